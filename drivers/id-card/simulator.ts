/**
 * The reader's side of the GA/T 467 SAM protocol on a Transport, written from /work/shared/protocols/id-card-sam.md
 * alone: it does not import the driver's codec or framer, so a misreading of the spec in one is caught by the other.
 * Simulator entry point: production code does not import it (lint rule; wired only in main/simulation/ and tests).
 *
 * Behaviours and switches: placeCard / removeCard; the real-reader quirk "won't find the same card after a read until
 * it is lifted" (`quirkNoRefindAfterRead`, on by default as on most readers); one-shot faults (bad checksum, wrong
 * length, any SW3, no answer, card removed mid-read); SAM self-test failure; slow responder; wire time at the baud rate.
 *
 * Card presence, as the protocol has it: a card that was read and stays on the reader is HALTED — find answers
 * 80 "no card", yet it is still in the field, so select answers 90 (and a select + read would read it again). A removed
 * card answers neither: find 80, select 81. Lifting and placing a card again wakes it (find 9F); with
 * `quirkSelectWakesHaltedCard` a select wakes it too (a hardware variant the driver must survive).
 */
import type { DriverError } from '../errors.js';
import type { Transport } from '../transport/transport.js';

/** A card's text fields exactly as the card stores them (dates `YYYYMMDD`, validity to `长期`, raw codes). */
export type SimulatedCard =
  | {
      type: 'resident';
      name: string;
      /** GB/T 2261.1 digit */
      gender: string;
      /** two digits 01..56, 97, 98 */
      nation: string;
      birth: string;
      address: string;
      idNumber: string;
      authority: string;
      validFrom: string;
      validTo: string;
      appendedAddress?: string;
    }
  | {
      type: 'J';
      name: string;
      gender: string;
      birth: string;
      address: string;
      idNumber: string;
      authority: string;
      validFrom: string;
      validTo: string;
      passNumber: string;
      issueCount: string;
    }
  | {
      type: 'I';
      englishName: string;
      gender: string;
      cardNumber: string;
      nationality: string;
      chineseName: string;
      validFrom: string;
      validTo: string;
      birth: string;
      cardVersion: string;
      officeCode: string;
    }
  | {
      type: 'Y';
      name: string;
      gender: string;
      renewalCount: string;
      birth: string;
      englishName1: string;
      cardNumber: string;
      validFrom: string;
      validTo: string;
      englishName2: string;
      nationality: string;
    };

export interface PlacedCard {
  card: SimulatedCard;
  /** 1024 bytes by default (pseudo-random, deliberately containing the frame preamble). */
  photo?: Uint8Array;
  /** Fingerprint data (1024 bytes for two templates) returned by 30 10; absent: the card has none. */
  fingerprint?: Uint8Array;
}

/** One-shot faults, applied to the next answer of `command` (default: the next answer of any command). */
export type SimulatorFault =
  | { kind: 'bad-checksum'; command?: SimCommand }
  | { kind: 'wrong-length'; variant: 'len-too-small' | 'len-too-large' | 'inner-lengths'; command?: SimCommand }
  | { kind: 'sw3'; sw3: number; command?: SimCommand }
  | { kind: 'no-answer'; command?: SimCommand }
  /** The card leaves during the next read: the reader answers 41, or nothing at all. The card is then gone. */
  | { kind: 'removed-mid-read'; answer: '41' | 'none' };

export type SimCommand = 'reset' | 'status' | 'sam-id' | 'find' | 'select' | 'read' | 'read-address' | 'read-fingerprint' | 'baud';

export interface IdCardReaderSimulatorOptions {
  /** Baud rate for wire-time simulation; default 115200. `60 0x` commands change it. */
  baudRate?: number;
  /** Delay each answer by bytes*10/baud (8N1), as the real UART would; default false (a pty does not enforce baud). */
  simulateWireTime?: boolean;
  /** Extra delay before each answer (slow responder), ms; default 0. */
  responseDelayMs?: number;
  /** After a successful read the same card is not found again until removed; default true. */
  quirkNoRefindAfterRead?: boolean;
  /**
   * A select reaching a halted card wakes it: the next find answers 9F again (and a read halts it once more).
   * Default false. Some readers may behave so; the driver must then not take the woken card for a new placement.
   */
  quirkSelectWakesHaltedCard?: boolean;
  /** SW3 of a failing SAM self-test (60 or 66), or undefined for a healthy SAM. */
  samFault?: number;
  /** 16 bytes answered to 12 FF. */
  samId?: Uint8Array;
}

export interface SimulatorCounters {
  framesReceived: number;
  badFramesReceived: number;
  answers: number;
  reads: number;
  writeFailures: number;
}

const PRE = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
const BAUD_BY_PARA: Record<number, number> = { 0: 115200, 1: 57600, 2: 38400, 3: 19200, 4: 9600 };

export class IdCardReaderSimulator {
  private placed: PlacedCard | undefined;
  /** The quirk: the placed card has been read and is halted: find misses it, select still reaches it, until lifted. */
  private readDone = false;
  private selected = false;
  private faults: SimulatorFault[] = [];
  private rx: number[] = [];
  private unsubscribe: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly opts: Required<Omit<IdCardReaderSimulatorOptions, 'samFault'>> & { samFault: number | undefined };
  readonly counters: SimulatorCounters = { framesReceived: 0, badFramesReceived: 0, answers: 0, reads: 0, writeFailures: 0 };
  /** The last failed write (after an unplug), for assertions. */
  lastWriteError: unknown;
  /** Every command received, as `CMD PARA` hex (for assertions). */
  readonly commandLog: string[] = [];

  constructor(
    private transport: Transport,
    options: IdCardReaderSimulatorOptions = {},
  ) {
    this.opts = {
      baudRate: options.baudRate ?? 115200,
      simulateWireTime: options.simulateWireTime ?? false,
      responseDelayMs: options.responseDelayMs ?? 0,
      quirkNoRefindAfterRead: options.quirkNoRefindAfterRead ?? true,
      quirkSelectWakesHaltedCard: options.quirkSelectWakesHaltedCard ?? false,
      samFault: options.samFault,
      samId: options.samId ?? Uint8Array.from([0x05, 0x00, 0x01, 0x00, 0x10, 0x27, 0x00, 0x00, 0x15, 0xcd, 0x5b, 0x07, 0x39, 0x30, 0x00, 0x00]),
    };
  }

  get baudRate(): number {
    return this.opts.baudRate;
  }

  /** Opens the transport (if needed) and starts answering. */
  async start(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
    this.attach();
  }

  /** Stops answering and closes the transport. */
  async stop(): Promise<void> {
    this.detach();
    await this.queue;
    if (this.transport.isOpen) await this.transport.close();
  }

  /** Plays the device on a fresh transport (after an unplug / replug). */
  async restart(transport: Transport): Promise<void> {
    this.detach();
    this.transport = transport;
    await this.start();
  }

  placeCard(card: SimulatedCard | PlacedCard): void {
    this.placed = 'type' in card ? { card } : card;
    this.readDone = false;
    this.selected = false;
  }

  removeCard(): void {
    this.placed = undefined;
    this.readDone = false;
    this.selected = false;
  }

  get cardPresent(): boolean {
    return this.placed !== undefined;
  }

  injectFault(fault: SimulatorFault): void {
    this.faults.push(fault);
  }

  setSamFault(sw3: number | undefined): void {
    this.opts.samFault = sw3;
  }

  setResponseDelay(ms: number): void {
    this.opts.responseDelayMs = ms;
  }

  setQuirkNoRefindAfterRead(on: boolean): void {
    this.opts.quirkNoRefindAfterRead = on;
  }

  setSimulateWireTime(on: boolean): void {
    this.opts.simulateWireTime = on;
  }

  private attach(): void {
    this.detach();
    this.rx = [];
    this.unsubscribe.push(
      this.transport.onData((chunk) => this.receive(chunk)),
      this.transport.onClose((_e: DriverError | undefined) => this.detach()),
    );
  }

  private detach(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Host frame parsing (device side, from the spec)

  private receive(chunk: Uint8Array): void {
    for (const b of chunk) this.rx.push(b);
    for (;;) {
      const start = indexOfPreamble(this.rx);
      if (start === -1) {
        // keep up to 4 bytes that may begin a preamble
        this.rx.splice(0, Math.max(0, this.rx.length - 4));
        return;
      }
      if (start > 0) this.rx.splice(0, start);
      if (this.rx.length < 7) return;
      const len = this.rx[5]! * 256 + this.rx[6]!;
      if (len < 3 || len > 64) {
        // host frames are short; a reader answers a length error and drops the byte
        this.counters.badFramesReceived++;
        this.rx.splice(0, 1);
        this.answer('status', 0x11);
        continue;
      }
      if (this.rx.length < 7 + len) return;
      const frame = this.rx.splice(0, 7 + len);
      let x = 0;
      for (let i = 5; i < frame.length - 1; i++) x ^= frame[i]!;
      if (x !== frame[frame.length - 1]) {
        this.counters.badFramesReceived++;
        this.answer('status', 0x10);
        continue;
      }
      this.counters.framesReceived++;
      this.handle(frame[7]!, frame[8]!);
    }
  }

  private handle(cmd: number, para: number): void {
    this.commandLog.push(`${hex(cmd)} ${hex(para)}`);
    const k = (cmd << 8) | para;
    switch (k) {
      case 0x10ff:
        this.selected = false;
        return this.answer('reset', this.opts.samFault ?? 0x90);
      case 0x11ff:
        return this.answer('status', this.opts.samFault ?? 0x90);
      case 0x12ff:
        return this.opts.samFault !== undefined ? this.answer('sam-id', this.opts.samFault) : this.answer('sam-id', 0x90, [...this.opts.samId]);
      case 0x2001: {
        if (this.opts.samFault !== undefined) return this.answer('find', this.opts.samFault);
        const findable = this.placed !== undefined && !(this.opts.quirkNoRefindAfterRead && this.readDone);
        this.selected = false;
        return findable ? this.answer('find', 0x9f, [0, 0, 0, 0]) : this.answer('find', 0x80);
      }
      case 0x2002:
        if (this.opts.samFault !== undefined) return this.answer('select', this.opts.samFault);
        // a halted card (read, still lying there) is in the field and answers select; only an absent card fails
        if (!this.placed) return this.answer('select', 0x81);
        if (this.opts.quirkSelectWakesHaltedCard) this.readDone = false;
        this.selected = true;
        return this.answer('select', 0x90, [0, 0, 0, 0, 0, 0, 0, 0]);
      case 0x3001:
      case 0x3010:
        return this.read(para === 0x10);
      case 0x3003: {
        if (!this.placed || !this.selected) return this.answer('read-address', 0x41);
        const c = this.placed.card;
        const extra = c.type === 'resident' ? c.appendedAddress : undefined;
        return extra ? this.answer('read-address', 0x90, encodeField(extra, 70)) : this.answer('read-address', 0x91);
      }
      case 0x6000:
      case 0x6001:
      case 0x6002:
      case 0x6003:
      case 0x6004:
        // the answer goes out at the old rate; the new one applies after it
        this.answer('baud', 0x90);
        this.queue = this.queue.then(() => {
          this.opts.baudRate = BAUD_BY_PARA[para]!;
        });
        return;
      default:
        return this.answer('status', 0x21);
    }
  }

  private read(withFingerprint: boolean): void {
    const command: SimCommand = withFingerprint ? 'read-fingerprint' : 'read';
    if (this.opts.samFault !== undefined) return this.answer(command, this.opts.samFault);
    const midRead = this.takeFault((f) => f.kind === 'removed-mid-read');
    if (midRead && midRead.kind === 'removed-mid-read') {
      this.removeCard();
      if (midRead.answer === '41') this.answer(command, 0x41);
      return;
    }
    if (!this.placed || !this.selected) return this.answer(command, 0x41);
    const textBlock = buildTextBlock(this.placed.card);
    const photo = this.placed.photo ?? samplePhoto(textBlock);
    const body: number[] = [0x01, 0x00, photo.length >> 8, photo.length & 0xff];
    if (withFingerprint) {
      const fp = this.placed.fingerprint ?? new Uint8Array(0);
      body.push(fp.length >> 8, fp.length & 0xff, ...textBlock, ...photo, ...fp);
    } else body.push(...textBlock, ...photo);
    // a fault status or silence means the reader did not finish the read: the card stays findable. A corrupted
    // answer (checksum, length) was a finished read garbled on the wire: the quirk applies.
    const failing = this.faults.some(
      (f) => (f.kind === 'sw3' || f.kind === 'no-answer') && (f.command === undefined || f.command === command),
    );
    if (!failing) {
      this.counters.reads++;
      this.readDone = true;
    }
    this.selected = false;
    this.answer(command, 0x90, body);
  }

  private takeFault(match: (f: SimulatorFault) => boolean): SimulatorFault | undefined {
    const i = this.faults.findIndex(match);
    return i === -1 ? undefined : this.faults.splice(i, 1)[0];
  }

  /** Builds `AA AA AA 96 69 LEN SW1 SW2 SW3 DATA CHK`, applies a pending fault, sends it after the delays. */
  private answer(command: SimCommand, sw3: number, data: number[] = []): void {
    const fault = this.takeFault((f) => f.kind !== 'removed-mid-read' && (f.command === undefined || f.command === command));
    let sw = sw3;
    let payload = data;
    if (fault?.kind === 'no-answer') return;
    if (fault?.kind === 'sw3') {
      sw = fault.sw3;
      payload = [];
    }
    if (fault?.kind === 'wrong-length' && fault.variant === 'inner-lengths' && payload.length >= 4) {
      payload = [...payload];
      payload[1] = (payload[1]! + 2) & 0xff; // text length 0x0102: no longer adds up
    }
    const len = 3 + payload.length + 1;
    const frame = [...PRE, len >> 8, len & 0xff, 0x00, 0x00, sw, ...payload];
    let chk = 0;
    for (let i = 5; i < frame.length; i++) chk ^= frame[i]!;
    frame.push(chk);
    if (fault?.kind === 'bad-checksum') frame[frame.length - 1] = chk ^ 0x5a;
    if (fault?.kind === 'wrong-length' && fault.variant !== 'inner-lengths') {
      const wrong = fault.variant === 'len-too-small' ? len - 2 : len + 2;
      frame[5] = wrong >> 8;
      frame[6] = wrong & 0xff;
    }
    this.send(Uint8Array.from(frame));
  }

  private send(frame: Uint8Array): void {
    const wireMs = this.opts.simulateWireTime ? (frame.length * 10 * 1000) / this.opts.baudRate : 0;
    const delay = this.opts.responseDelayMs + wireMs;
    const transport = this.transport;
    this.queue = this.queue.then(async () => {
      if (delay > 0) await sleep(delay);
      if (!transport.isOpen) return;
      this.counters.answers++;
      try {
        await transport.write(frame);
      } catch (e) {
        // a write racing an unplug fails; the device has nobody to tell (the host sees its own time-out): count it
        this.counters.writeFailures++;
        this.lastWriteError = e;
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Text block encoding (device side: its own UTF-16LE encoder)

/** UTF-16LE code units of `value`, padded with U+0020 to `bytes` (truncated at a code-unit boundary if too long). */
function encodeField(value: string, bytes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < value.length && out.length + 2 <= bytes; i++) {
    const u = value.charCodeAt(i);
    out.push(u & 0xff, u >> 8);
  }
  while (out.length < bytes) out.push(0x20, 0x00);
  return out;
}

/** The 256-byte text block of a card, laid out per card type (spec tables). */
export function buildTextBlock(card: SimulatedCard): Uint8Array {
  const block = new Uint8Array(256);
  const put = (offset: number, len: number, value: string) => block.set(encodeField(value, len), offset);
  put(0, 256, '');
  switch (card.type) {
    case 'resident':
    case 'J':
      put(0, 30, card.name);
      put(30, 2, card.gender);
      put(32, 4, card.type === 'resident' ? card.nation : '');
      put(36, 16, card.birth);
      put(52, 70, card.address);
      put(122, 36, card.idNumber);
      put(158, 30, card.authority);
      put(188, 16, card.validFrom);
      put(204, 16, card.validTo);
      if (card.type === 'J') {
        put(220, 18, card.passNumber);
        put(238, 4, card.issueCount);
        put(248, 2, 'J');
      }
      break;
    case 'I':
      put(0, 120, card.englishName);
      put(120, 2, card.gender);
      put(122, 30, card.cardNumber);
      put(152, 6, card.nationality);
      put(158, 30, card.chineseName);
      put(188, 16, card.validFrom);
      put(204, 16, card.validTo);
      put(220, 16, card.birth);
      put(236, 4, card.cardVersion);
      put(240, 8, card.officeCode);
      put(248, 2, 'I');
      break;
    case 'Y':
      put(0, 30, card.name);
      put(30, 2, card.gender);
      put(32, 4, card.renewalCount);
      put(36, 16, card.birth);
      put(52, 70, card.englishName1);
      put(122, 36, card.cardNumber);
      put(188, 16, card.validFrom);
      put(204, 16, card.validTo);
      put(220, 22, card.englishName2);
      put(242, 6, card.nationality);
      put(248, 2, 'Y');
      break;
    default: {
      const never: never = card;
      throw new Error(`unhandled simulated card ${JSON.stringify(never)}`);
    }
  }
  return block;
}

/**
 * 1024 opaque "WLT" bytes derived from the text block (xorshift), so each card has its own photo. Bytes 100..104 are
 * the frame preamble on purpose: a framer that rescans inside a frame's data would split the answer there.
 */
export function samplePhoto(seedBytes: Uint8Array, length = 1024): Uint8Array {
  let s = 0x9e3779b9;
  for (const b of seedBytes) s = (Math.imul(s ^ b, 0x01000193) >>> 0) || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  if (length >= 105) out.set(PRE, 100);
  return out;
}

function indexOfPreamble(buf: number[]): number {
  outer: for (let i = 0; i + 5 <= buf.length; i++) {
    for (let j = 0; j < 5; j++) if (buf[i + j] !== PRE[j]) continue outer;
    return i;
  }
  return -1;
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
