/**
 * Device side of HK-LED/1, written from led-protocol.md alone: it does not import the driver's codec or framer, so a
 * misreading of the spec in one of them shows up as a failing test instead of cancelling out.
 *
 * One simulator plays every strip on one bus (a list of addresses). Each strip keeps its text bytes, brightness and
 * fault flags. Fault switches per address, each for the next `times` answers (default: until cleared):
 *   - `nak`: answer NAK with the given reason digit instead of executing;
 *   - `silent`: execute nothing, answer nothing (strip unplugged / address not set);
 *   - `corruptBcc`: execute, but send the answer with a wrong BCC (noise on the bus).
 *
 * Test-only entry point: production code never imports simulators (lint rule, STYLE.md §1).
 */
import type { Transport } from '../transport/transport.js';

const STX = 0x02;
const ETX = 0x03;
const ACK = 0x06;
const NAK = 0x15;

export type LedSimNakReason = '1' | '2' | '3' | '4' | '5';

export interface LedSimFault {
  nak?: LedSimNakReason;
  silent?: boolean;
  corruptBcc?: boolean;
  /** How many answers the fault applies to; default Infinity. */
  times?: number;
}

export interface LedSimReceived {
  address: number;
  /** CMD as a character ('T', 'C', 'B', 'S') or hex for anything else. */
  cmd: string;
  bccOk: boolean;
  dataLength: number;
}

interface Strip {
  text: Buffer;
  brightness: number;
  flags: number;
  fault: (LedSimFault & { left: number }) | undefined;
}

export interface LedStripSimulatorOptions {
  transport: Transport;
  /** Unicast addresses of the strips on this bus, 1..254. */
  addresses: number[];
  /** Delay before answering, ms; default 5. */
  replyDelayMs?: number;
}

export class LedStripSimulator {
  private readonly strips = new Map<number, Strip>();
  private readonly transport: Transport;
  private readonly replyDelayMs: number;
  private frame: number[] | undefined;
  private afterEtx = false;
  private unsubscribe: (() => void) | undefined;
  /** Every delimited frame seen on the bus, in order. */
  readonly received: LedSimReceived[] = [];
  /** Bytes ignored outside frames or in over-long frames. */
  ignoredBytes = 0;
  /** Answers written, in order (for byte-exact assertions). */
  readonly sent: Buffer[] = [];

  constructor(options: LedStripSimulatorOptions) {
    this.transport = options.transport;
    this.replyDelayMs = options.replyDelayMs ?? 5;
    for (const a of options.addresses) {
      if (!Number.isInteger(a) || a < 1 || a > 254) throw new Error(`simulated strip address must be 1..254, got ${a}`);
      this.strips.set(a, { text: Buffer.alloc(0), brightness: 8, flags: 0, fault: undefined });
    }
  }

  async start(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
    this.unsubscribe = this.transport.onData((chunk) => this.feed(chunk));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.transport.isOpen) await this.transport.close();
  }

  /** The text a strip shows now (decoded from its GB18030 bytes), '' when blank. */
  shown(address: number): string {
    return new TextDecoder('gb18030').decode(this.strip(address).text);
  }

  brightness(address: number): number {
    return this.strip(address).brightness;
  }

  /** Sets the fault flag byte reported by status (bit 0 LED module, bit 1 temperature, bit 2 supply low). */
  setFaultFlags(address: number, flags: number): void {
    this.strip(address).flags = flags & 0xff;
  }

  setFault(address: number, fault: LedSimFault | undefined): void {
    this.strip(address).fault = fault ? { ...fault, left: fault.times ?? Infinity } : undefined;
  }

  private strip(address: number): Strip {
    const s = this.strips.get(address);
    if (!s) throw new Error(`no simulated strip at address ${address}`);
    return s;
  }

  private feed(chunk: Buffer): void {
    for (const b of chunk) {
      if (this.afterEtx) {
        this.frame!.push(b);
        const whole = this.frame!;
        this.frame = undefined;
        this.afterEtx = false;
        this.handle(whole);
      } else if (b === STX) {
        if (this.frame) this.ignoredBytes += this.frame.length;
        this.frame = [b];
      } else if (!this.frame) {
        this.ignoredBytes++;
      } else if (b === ETX) {
        this.frame.push(b);
        this.afterEtx = true;
      } else {
        this.frame.push(b);
        if (this.frame.length > 72) {
          this.ignoredBytes += this.frame.length;
          this.frame = undefined;
        }
      }
    }
  }

  private handle(f: number[]): void {
    // f = STX A1 A2 CMD DATA.. ETX BCC
    if (f.length < 6) {
      this.ignoredBytes += f.length;
      return;
    }
    const hex = String.fromCharCode(f[1]!, f[2]!);
    const address = /^[0-9A-F]{2}$/.test(hex) ? parseInt(hex, 16) : -1;
    let x = 0;
    for (let i = 1; i < f.length - 1; i++) x ^= f[i]!;
    const bccOk = x === f[f.length - 1];
    const cmd = f[3]!;
    const data = Buffer.from(f.slice(4, f.length - 2));
    this.received.push({
      address,
      cmd: cmd >= 0x20 && cmd < 0x7f ? String.fromCharCode(cmd) : cmd.toString(16).padStart(2, '0'),
      bccOk,
      dataLength: data.length,
    });
    if (address === 0) {
      // Broadcast: every strip executes a valid request, nobody answers.
      if (bccOk) for (const s of this.strips.values()) this.execute(s, cmd, data);
      return;
    }
    const strip = this.strips.get(address);
    if (!strip) return; // another strip's frame
    let active: LedSimFault | undefined;
    const fault = strip.fault;
    if (fault && fault.left > 0) {
      active = fault;
      fault.left--;
      if (fault.left === 0) strip.fault = undefined;
    }
    if (active?.silent) return;
    if (!bccOk) return this.answer(address, NAK, Buffer.from('1'), active?.corruptBcc);
    if (active?.nak) return this.answer(address, NAK, Buffer.from(active.nak), active.corruptBcc);
    const result = this.execute(strip, cmd, data);
    if (typeof result === 'string') return this.answer(address, NAK, Buffer.from(result), active?.corruptBcc);
    this.answer(address, ACK, result, active?.corruptBcc);
  }

  /** Executes a request; returns the ACK DATA, or a NAK reason digit. */
  private execute(strip: Strip, cmd: number, data: Buffer): Buffer | LedSimNakReason {
    switch (cmd) {
      case 0x54: {
        // 'T': 1..64 bytes, no byte below 0x20, must decode as GB18030
        if (data.length < 1 || data.length > 64 || data.some((b) => b < 0x20)) return '3';
        try {
          new TextDecoder('gb18030', { fatal: true }).decode(data);
        } catch (e) {
          if (e instanceof TypeError) return '3';
          throw e;
        }
        strip.text = data;
        return Buffer.alloc(0);
      }
      case 0x43: // 'C'
        if (data.length) return '3';
        strip.text = Buffer.alloc(0);
        return Buffer.alloc(0);
      case 0x42: {
        // 'B': one hex digit 0..F
        const s = data.toString('latin1');
        if (!/^[0-9A-F]$/.test(s)) return '4';
        strip.brightness = parseInt(s, 16);
        return Buffer.alloc(0);
      }
      case 0x53: // 'S'
        return Buffer.concat([
          Buffer.from(strip.brightness.toString(16).toUpperCase() + strip.flags.toString(16).toUpperCase().padStart(2, '0'), 'latin1'),
          strip.text,
        ]);
      default:
        return '2';
    }
  }

  private answer(address: number, cmd: number, data: Buffer, corrupt: boolean | undefined): void {
    const body = [...Buffer.from(address.toString(16).toUpperCase().padStart(2, '0'), 'latin1'), cmd, ...data, ETX];
    let x = 0;
    for (const b of body) x ^= b;
    const frame = Buffer.from([STX, ...body, corrupt ? x ^ 0xff : x]);
    this.sent.push(frame);
    setTimeout(() => {
      if (this.transport.isOpen) {
        this.transport.write(frame).catch((e: unknown) => {
          // The host side went away mid-answer; the test that caused it sees the time-out on its side.
          this.writeErrors.push(e);
        });
      }
    }, this.replyDelayMs);
  }

  /** Errors from writing answers (e.g. port closed underneath), kept for assertions rather than dropped. */
  readonly writeErrors: unknown[] = [];
}
