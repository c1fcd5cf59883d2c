/**
 * Session for an RS-485 bus of HK-LED/1 window strips (led-protocol.md). One driver per bus; requests name the strip
 * address. The bus is half duplex with the host as the only master, so requests are strictly serialised: one frame
 * out, its answer (or time-out) in, then the next.
 *
 * Retries (default 2, i.e. up to 3 sends): on no answer within `timeoutMs`, on a garbled answer (bad BCC) and on
 * NAK '1' (the strip saw a bad BCC). Other NAKs are final: DISPLAY_REJECTED with `detail.reason`.
 * Exhausted retries: PROTOCOL_TIMEOUT (last attempt silent) or PROTOCOL_CHECKSUM (last attempt garbled).
 * Broadcast (address 0) is written once and not answered.
 */
import { DriverError, asDriverError, assertNever, isDriverError } from '../errors.js';
import { silentLogger, toHex, type DriverLogger, type TraceSink } from '../log.js';
import type { Transport } from '../transport/transport.js';
import { LedFramer } from './led-framer.js';
import {
  LED_BROADCAST,
  decodeLedAnswer,
  describeLedFrame,
  encodeLedRequest,
  type LedAnswer,
  type LedRequest,
  type LedStatus,
} from './led-protocol.js';

export interface LedStripDriverOptions {
  transport: Transport;
  /** Wait for an answer per attempt, ms; 20..5000, default 300 (strips answer within 100 ms). */
  timeoutMs?: number;
  /** Extra attempts after the first; 0..5, default 2. */
  retries?: number;
  logger?: DriverLogger;
  trace?: TraceSink;
  /** Device name in traces; default `led-strip`. */
  name?: string;
}

export interface LedStripDriverStats {
  requests: number;
  sends: number;
  timeouts: number;
  garbled: number;
  naks: number;
  discardedBytes: number;
}

type Outcome = { kind: 'answer'; answer: LedAnswer } | { kind: 'garbled'; error: DriverError } | { kind: 'timeout' };

interface Pending {
  address: number;
  expectStatus: boolean;
  settle: (o: Outcome) => void;
  fail: (e: DriverError) => void;
}

export class LedStripDriver {
  private readonly transport: Transport;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly log: DriverLogger;
  private readonly trace: TraceSink | undefined;
  private readonly name: string;
  private readonly framer = new LedFramer();
  private pending: Pending | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private unsubs: (() => void)[] = [];
  readonly stats: LedStripDriverStats = { requests: 0, sends: 0, timeouts: 0, garbled: 0, naks: 0, discardedBytes: 0 };

  constructor(options: LedStripDriverOptions) {
    this.transport = options.transport;
    this.timeoutMs = clamp(options.timeoutMs ?? 300, 20, 5000);
    this.retries = clamp(options.retries ?? 2, 0, 5);
    this.log = options.logger ?? silentLogger;
    this.trace = options.trace;
    this.name = options.name ?? 'led-strip';
  }

  get description(): string {
    return this.transport.description;
  }

  async open(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
    if (this.unsubs.length) return;
    this.unsubs.push(
      this.transport.onData((chunk) => this.onChunk(chunk)),
      this.transport.onClose((error) => {
        this.pending?.fail(error ?? new DriverError('DEVICE_CLOSED', `${this.transport.description} closed`));
      }),
    );
  }

  async close(): Promise<void> {
    for (const u of this.unsubs) u();
    this.unsubs = [];
    this.pending?.fail(new DriverError('DEVICE_CLOSED', `${this.transport.description} closed`));
    if (this.transport.isOpen) await this.transport.close();
  }

  /** Shows text (GB18030, ≤ 64 bytes, no control characters) on the strip at `address`. */
  async showText(address: number, text: string): Promise<void> {
    await this.request({ address, cmd: 'text', text });
  }

  async clear(address: number): Promise<void> {
    await this.request({ address, cmd: 'clear' });
  }

  /** 0 (off) .. 15 (brightest). */
  async setBrightness(address: number, level: number): Promise<void> {
    await this.request({ address, cmd: 'brightness', level });
  }

  async status(address: number): Promise<LedStatus> {
    if (address === LED_BROADCAST) throw new DriverError('DISPLAY_REJECTED', 'status cannot be queried by broadcast');
    const answer = await this.request({ address, cmd: 'status' });
    if (answer?.kind !== 'ack' || !answer.status) {
      throw new DriverError('PROTOCOL_UNEXPECTED_RESPONSE', 'status query was not answered with status data');
    }
    return answer.status;
  }

  /** Sends one request (queued behind earlier ones). Resolves with the ACK, or undefined for a broadcast. */
  request(req: LedRequest): Promise<LedAnswer | undefined> {
    // Encode now so that a bad request fails at once, without waiting for the queue.
    const frame = encodeLedRequest(req);
    const run = this.chain.then(() => this.exchange(req, frame));
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async exchange(req: LedRequest, frame: Buffer): Promise<LedAnswer | undefined> {
    if (!this.transport.isOpen) throw new DriverError('TRANSPORT_NOT_OPEN', `${this.transport.description} is not open`);
    this.stats.requests++;
    if (req.address === LED_BROADCAST) {
      await this.send(frame);
      return undefined;
    }
    let last: Outcome = { kind: 'timeout' };
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) this.log.debug({ address: req.address, attempt, after: last.kind }, 'led strip retry');
      last = await this.attempt(req, frame);
      switch (last.kind) {
        case 'answer': {
          const a = last.answer;
          if (a.kind === 'ack') return a;
          this.stats.naks++;
          if (a.reason === 'bcc') continue; // the strip saw a corrupted frame: send again
          throw new DriverError('DISPLAY_REJECTED', `LED strip ${req.address} refused ${req.cmd}: ${a.reason}`, {
            detail: { address: req.address, cmd: req.cmd, reason: a.reason },
          });
        }
        case 'garbled':
          this.stats.garbled++;
          continue;
        case 'timeout':
          this.stats.timeouts++;
          continue;
        default:
          assertNever(last, 'LED outcome');
      }
    }
    const detail = { address: req.address, cmd: req.cmd, attempts: this.retries + 1 };
    switch (last.kind) {
      case 'garbled':
        throw new DriverError('PROTOCOL_CHECKSUM', `LED strip ${req.address}: garbled answers after ${detail.attempts} attempts`, {
          cause: last.error,
          detail,
        });
      case 'answer':
        // only NAK 'bcc' reaches here: the strip kept receiving corrupted frames
        throw new DriverError('PROTOCOL_CHECKSUM', `LED strip ${req.address} reported bad BCC ${detail.attempts} times`, { detail });
      case 'timeout':
        throw new DriverError('PROTOCOL_TIMEOUT', `LED strip ${req.address} did not answer ${req.cmd} (${detail.attempts} attempts)`, {
          detail,
        });
      default:
        return assertNever(last, 'LED outcome');
    }
  }

  private attempt(req: LedRequest, frame: Buffer): Promise<Outcome> {
    for (const d of this.framer.reset()) this.onDiscarded(d.bytes, d.reason);
    return new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => done({ kind: 'timeout' }), this.timeoutMs);
      const done = (o: Outcome): void => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(o);
      };
      this.pending = {
        address: req.address,
        expectStatus: req.cmd === 'status',
        settle: done,
        fail: (e) => {
          clearTimeout(timer);
          this.pending = undefined;
          reject(e);
        },
      };
      this.send(frame).catch((e: unknown) => this.pending?.fail(asDriverError(e, 'TRANSPORT_WRITE_FAILED')));
    });
  }

  private async send(frame: Buffer): Promise<void> {
    this.stats.sends++;
    this.trace?.({ device: this.name, dir: 'tx', at: Date.now(), length: frame.length, hex: toHex(frame), meaning: describeLedFrame(frame) });
    await this.transport.write(frame);
  }

  private onChunk(chunk: Buffer): void {
    for (const out of this.framer.push(chunk)) {
      switch (out.kind) {
        case 'discarded':
          this.onDiscarded(out.bytes, out.reason);
          break;
        case 'frame':
          this.onFrame(out.bytes);
          break;
        default:
          assertNever(out, 'framer output');
      }
    }
  }

  private onDiscarded(bytes: Buffer, reason: string): void {
    this.stats.discardedBytes += bytes.length;
    this.trace?.({ device: this.name, dir: 'discarded', at: Date.now(), length: bytes.length, hex: toHex(bytes), meaning: reason });
    this.log.debug({ length: bytes.length, reason }, 'led strip bytes discarded');
  }

  private onFrame(frame: Buffer): void {
    this.trace?.({ device: this.name, dir: 'rx', at: Date.now(), length: frame.length, hex: toHex(frame), meaning: describeLedFrame(frame) });
    const p = this.pending;
    if (!p) {
      this.log.debug({ length: frame.length }, 'led strip frame with no request pending');
      return;
    }
    let answer: LedAnswer;
    try {
      answer = decodeLedAnswer(frame, p.expectStatus);
    } catch (e) {
      if (isDriverError(e, 'PROTOCOL_CHECKSUM') || isDriverError(e, 'PROTOCOL_MALFORMED')) {
        p.settle({ kind: 'garbled', error: e });
        return;
      }
      if (isDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE')) {
        // another master's request on the bus, or our own echo on a 2-wire adapter: not the answer we wait for
        this.log.debug({ code: e.code }, 'led strip frame ignored');
        return;
      }
      p.fail(asDriverError(e, 'PROTOCOL_MALFORMED'));
      return;
    }
    if (answer.address !== p.address) {
      this.log.debug({ expected: p.address, got: answer.address }, 'led strip answer from another address ignored');
      return;
    }
    p.settle({ kind: 'answer', answer });
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
