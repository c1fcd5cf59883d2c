/**
 * The ID card reader session on an injected Transport (serial, USB-serial, or HID through IdCardHidEnvelopeTransport).
 *
 * open():  transport open → SAM status (11 FF); a fault (SW3 60 / 66) sets status `error` with IDCARD_SAM_FAULT,
 *          closes the transport and rejects. The driver can be opened again, also on a fresh transport.
 * polling: every `pollIntervalMs` (≥ 300 ms, from the start of one cycle to the start of the next):
 *          find (20 01) → select (20 02) → read (30 01, or 30 10 with `withFingerprint`).
 *
 * Placement and removal rule (documented for the flows that rely on it):
 * - `card-read` is emitted once per placement: after a successful read the card counts as present, and further
 *   "find OK" answers (readers without the quirk keep finding it) do not read it again.
 * - `card-removed` is emitted when, after a read, `removalConfirmations` (default 2) consecutive finds answer "no
 *   card" (SW3 80), or as soon as a find succeeds again after at least one "no card" (a card swapped within one
 *   poll: the next citizen's card is read at once rather than ignored as "still present"). Most readers do not find a card again after reading it until it is lifted: on those, the event
 *   comes about removalConfirmations × pollIntervalMs after the read even if the card still lies there. What it
 *   guarantees is one card-read per placement and a card-removed between two placements, not that the reader is empty.
 * - A failed select/read (card moved, SW3 41/81...) is counted and reported once per placement through `read-failed`;
 *   the next cycle tries again while the card stays.
 *
 * Time-outs: `commandTimeoutMs` (default 1000) for short commands; the read answer (1295 bytes, 2321 with fingerprints)
 * needs bytes×10/baud on the wire (~113 ms at 115200, ~1.35 s at 9600), so its time-out is commandTimeoutMs plus twice
 * that wire time unless `readTimeoutMs` is given. Protocol errors (time-out, checksum, length, malformed, host frame
 * rejected with SW3 10/11) are retried `retries` times (default 2); a failed read is retried as select → read.
 *
 * Privacy: traces and logs carry hex of commands and short answers only; the read answer is cut after its header
 * (`…[redacted N bytes]`), discarded bytes are never shown (they may be part of a read answer).
 */
import { DriverError, asDriverError, type DriverErrorCode } from '../errors.js';
import { silentLogger, toHex, type DriverLogger, type TraceEntry, type TraceSink } from '../log.js';
import { ListenerSet, type Transport } from '../transport/transport.js';
import { IdCardFramer, type FramerOutput } from './framer.js';
import type { Identity } from './identity.js';
import {
  IdCardCommands,
  Sw3,
  answerFits,
  buildCommand,
  describeSw3,
  expectSuccess,
  parseReadAnswer,
  parseResponse,
  parseTextBlock,
  readAnswerHeaderLength,
  type IdCardCommandName,
  type IdCardResponse,
} from './protocol.js';

export type IdCardReaderStatus = 'ready' | 'reading' | 'error' | 'disconnected';

export interface IdCardReaderEvents {
  'card-read': [identity: Identity];
  'card-removed': [];
  /** A placement that could not be read (first failure per placement; counters count every one). */
  'read-failed': [error: DriverError];
  status: [status: IdCardReaderStatus, error: DriverError | undefined];
}

export interface IdCardReaderDriverOptions {
  transport: Transport;
  /** Line rate, used to size the read time-out; default 115200. The transport is opened at its own rate. */
  baudRate?: number;
  /** Poll period in ms; default 300, values below 300 are raised to 300 (readers dislike faster polling). */
  pollIntervalMs?: number;
  /** Time-out of short commands in ms; default 1000. */
  commandTimeoutMs?: number;
  /** Time-out of the read command in ms; default commandTimeoutMs + 2 × wire time of the answer at baudRate. */
  readTimeoutMs?: number;
  /** Retries of a command after a protocol error; default 2 (0..5). */
  retries?: number;
  /** Read with 30 10 (text + photo + fingerprint); default false. */
  withFingerprint?: boolean;
  /** Consecutive "no card" finds after a read that count as removal; default 2 (1..10). */
  removalConfirmations?: number;
  logger?: DriverLogger;
  trace?: TraceSink;
  /** Device name in traces; default `id-card`. */
  device?: string;
}

export interface IdCardReaderCounters {
  reads: number;
  failures: number;
  removals: number;
  timeouts: number;
  retries: number;
  /** Frames or byte runs the framer dropped, plus well-formed answers that fit no pending command. */
  discardedFrames: number;
  discardedBytes: number;
}

interface Pending {
  command: IdCardCommandName;
  resolve: (r: IdCardResponse) => void;
  reject: (e: DriverError) => void;
  timer: NodeJS.Timeout | undefined;
}

const FIND_NO_CARD = Sw3.NO_CARD;

/** Wire time in ms of `bytes` at `baud` with 8N1 framing (10 bits per byte). */
export function wireTimeMs(bytes: number, baud: number): number {
  return (bytes * 10 * 1000) / baud;
}

export class IdCardReaderDriver {
  private transport: Transport;
  private readonly log: DriverLogger;
  private readonly trace: TraceSink | undefined;
  private readonly device: string;
  private readonly pollIntervalMs: number;
  private readonly commandTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly retries: number;
  private readonly withFingerprint: boolean;
  private readonly removalConfirmations: number;
  private readonly baudRate: number;

  private framer = new IdCardFramer();
  private pending: Pending | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private detach: (() => void)[] = [];
  private opened = false;
  private status_: IdCardReaderStatus = 'disconnected';
  private lastError_: DriverError | undefined;
  private statusError: DriverError | undefined;
  private lastFailure: DriverError | undefined;

  private polling = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private cardPresent = false;
  private noCardStreak = 0;
  private failedThisPlacement = false;

  private readonly listeners = {
    'card-read': new ListenerSet<IdCardReaderEvents['card-read']>(),
    'card-removed': new ListenerSet<IdCardReaderEvents['card-removed']>(),
    'read-failed': new ListenerSet<IdCardReaderEvents['read-failed']>(),
    status: new ListenerSet<IdCardReaderEvents['status']>(),
  };

  readonly counters: IdCardReaderCounters = {
    reads: 0,
    failures: 0,
    removals: 0,
    timeouts: 0,
    retries: 0,
    discardedFrames: 0,
    discardedBytes: 0,
  };

  constructor(options: IdCardReaderDriverOptions) {
    this.transport = options.transport;
    this.log = options.logger ?? silentLogger;
    this.trace = options.trace;
    this.device = options.device ?? 'id-card';
    this.baudRate = options.baudRate ?? 115200;
    this.pollIntervalMs = Math.max(300, options.pollIntervalMs ?? 300);
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.withFingerprint = options.withFingerprint ?? false;
    const answerBytes = this.withFingerprint ? 2321 : 1295;
    this.readTimeoutMs = options.readTimeoutMs ?? Math.ceil(this.commandTimeoutMs + 2 * wireTimeMs(answerBytes, this.baudRate));
    this.retries = Math.min(5, Math.max(0, options.retries ?? 2));
    this.removalConfirmations = Math.min(10, Math.max(1, options.removalConfirmations ?? 2));
  }

  get status(): IdCardReaderStatus {
    return this.status_;
  }

  get lastError(): DriverError | undefined {
    return this.lastError_;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  get isPolling(): boolean {
    return this.polling;
  }

  /** The effective read time-out (for the device board and tests). */
  get effectiveReadTimeoutMs(): number {
    return this.readTimeoutMs;
  }

  on<K extends keyof IdCardReaderEvents>(event: K, listener: (...args: IdCardReaderEvents[K]) => void): () => void {
    return (this.listeners[event] as unknown as ListenerSet<IdCardReaderEvents[K]>).add(listener);
  }

  /**
   * Opens the transport (unless already open) and checks the SAM. Pass a fresh transport to reopen after an unplug
   * (the supervisor's job); counters survive reopening.
   */
  async open(transport?: Transport): Promise<void> {
    if (this.opened) throw new DriverError('DEVICE_BUSY', `${this.transport.description} is already open`);
    if (transport) this.transport = transport;
    const t = this.transport;
    this.framer = new IdCardFramer();
    this.cardPresent = false;
    this.noCardStreak = 0;
    this.failedThisPlacement = false;
    this.detach.push(
      t.onData((chunk) => this.onData(chunk)),
      t.onClose((e) => this.onTransportClose(e)),
    );
    try {
      if (!t.isOpen) await t.open();
      this.opened = true;
      const status = await this.exchange('samStatus');
      expectSuccess(status, 'samStatus');
    } catch (e) {
      const err = asDriverError(e, 'TRANSPORT_OPEN_FAILED');
      this.opened = false;
      this.unsubscribe();
      if (t.isOpen) await t.close();
      this.setStatus(err.isTransport() ? 'disconnected' : 'error', err);
      this.log.error({ device: this.device, code: err.code, transport: t.description }, 'ID card reader could not be opened');
      throw err;
    }
    this.setStatus('ready', undefined);
    this.log.info({ device: this.device, transport: t.description }, 'ID card reader ready');
  }

  /** Stops polling and closes the transport; status becomes `disconnected` (without an error). */
  async close(): Promise<void> {
    if (!this.opened) return;
    await this.stopPolling();
    this.opened = false;
    this.failPending(new DriverError('DEVICE_CLOSED', 'the ID card reader was closed'));
    const t = this.transport;
    this.unsubscribe();
    if (t.isOpen) await t.close();
    this.setStatus('disconnected', undefined);
  }

  /** Starts the find → select → read loop (idempotent). */
  startPolling(): void {
    if (this.polling) return;
    if (!this.opened) throw new DriverError('DEVICE_NOT_READY', 'open the ID card reader before polling');
    this.polling = true;
    this.loop = this.pollLoop();
  }

  /** Stops the loop after the current cycle. */
  async stopPolling(): Promise<void> {
    this.polling = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /**
   * Waits for one card and resolves with its identity (the technician test-read and `diag idcard read`).
   * If the kiosk is already polling, resolves with the next `card-read`; otherwise polls until then.
   * Rejects with IDCARD_NO_CARD after `timeoutMs` (default 30 000), with the abort reason when `signal` aborts, with
   * the error of a non-transient failure (SAM fault, unsupported card, authentication, malformed text) and with
   * TRANSPORT_DISCONNECTED on unplug.
   */
  readOnce(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Identity> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const signal = options.signal;
    if (!this.opened) return Promise.reject(new DriverError('DEVICE_NOT_READY', 'open the ID card reader before reading'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const ownLoop = !this.polling;
    // on its own loop the caller wants whatever card lies there now, even one read before polling stopped
    if (ownLoop) this.cardPresent = false;
    const failureBefore = this.lastFailure;
    return new Promise<Identity>((resolve, reject) => {
      const offs: (() => void)[] = [];
      const timer = setTimeout(
        () => {
          const last = this.lastFailure && this.lastFailure !== failureBefore ? this.lastFailure : undefined;
          const why = last ? ` (last failure: ${last.code})` : '';
          finish(() => reject(new DriverError('IDCARD_NO_CARD', `no card was read within ${timeoutMs} ms${why}`, { detail: { timeoutMs, lastFailure: last?.code } })));
        },
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        for (const off of offs.splice(0)) off();
        clearTimeout(timer);
        const stopped = ownLoop ? this.stopPolling() : Promise.resolve();
        stopped.then(settle, (e: unknown) => reject(asDriverError(e, 'DEVICE_NOT_READY')));
      };
      offs.push(this.on('card-read', (identity) => finish(() => resolve(identity))));
      offs.push(
        this.on('read-failed', (error) => {
          if (!error.isTransient()) finish(() => reject(error));
        }),
      );
      offs.push(
        this.on('status', (status, error) => {
          if (status === 'disconnected') finish(() => reject(error ?? new DriverError('DEVICE_CLOSED', 'the ID card reader was closed')));
          else if (status === 'error' && error) finish(() => reject(error));
        }),
      );
      if (signal) {
        const onAbort = () => finish(() => reject(signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        offs.push(() => signal.removeEventListener('abort', onAbort));
      }
      if (ownLoop) this.startPolling();
    });
  }

  /** 11 FF: resolves when the SAM reports OK; rejects with IDCARD_SAM_FAULT otherwise. */
  async samStatus(): Promise<void> {
    expectSuccess(await this.exchange('samStatus'), 'samStatus');
  }

  /** 10 FF: resets the SAM. */
  async resetSam(): Promise<void> {
    expectSuccess(await this.exchange('resetSam'), 'resetSam');
  }

  /** 12 FF: the SAM's 16-byte id as hex (not personal data: it identifies the reader). */
  async readSamId(): Promise<string> {
    const r = expectSuccess(await this.exchange('readSamId'), 'readSamId');
    return toHex(r.data);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Poll loop

  private async pollLoop(): Promise<void> {
    while (this.polling && this.opened) {
      const started = Date.now();
      try {
        await this.cycle();
      } catch (e) {
        const err = asDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE');
        if (err.isTransport() || err.code === 'DEVICE_CLOSED') break;
        this.onCycleError(err);
      }
      const wait = started + this.pollIntervalMs - Date.now();
      if (this.polling && wait > 0) await this.sleep(wait);
    }
    this.polling = false;
  }

  private async cycle(): Promise<void> {
    const find = await this.exchange('findCard');
    if (find.sw3 === FIND_NO_CARD) {
      this.noCardStreak++;
      if (this.cardPresent && this.noCardStreak >= this.removalConfirmations) {
        this.cardPresent = false;
        this.counters.removals++;
        this.log.info({ device: this.device }, 'card removed');
        this.listeners['card-removed'].emit();
      }
      if (!this.cardPresent) this.failedThisPlacement = false;
      this.setStatus('ready', undefined);
      return;
    }
    expectSuccess(find, 'findCard');
    const sawNoCard = this.noCardStreak > 0;
    this.noCardStreak = 0;
    if (this.cardPresent && !sawNoCard) {
      this.setStatus('ready', undefined);
      return;
    }
    if (this.cardPresent) {
      // Found again after at least one "no card" since the read: the card was lifted and put back, or swapped for
      // the next citizen's card before the removal was confirmed. Either way it is a new placement.
      this.cardPresent = false;
      this.counters.removals++;
      this.log.info({ device: this.device }, 'card removed (a card was found again after a gap)');
      this.listeners['card-removed'].emit();
    }
    this.setStatus('reading', undefined);
    const identity = await this.selectAndRead();
    this.cardPresent = true;
    this.failedThisPlacement = false;
    this.counters.reads++;
    this.setStatus('ready', undefined);
    this.log.info({ device: this.device, cardType: identity.cardType }, 'card read');
    this.listeners['card-read'].emit(identity);
  }

  private async selectAndRead(): Promise<Identity> {
    const command: IdCardCommandName = this.withFingerprint ? 'readWithFingerprint' : 'readText';
    for (let attempt = 0; ; attempt++) {
      try {
        expectSuccess(await this.exchange('selectCard'), 'selectCard');
        const answer = expectSuccess(await this.exchange(command, { retries: 0, timeoutMs: this.readTimeoutMs }), command);
        const parts = parseReadAnswer(answer, this.withFingerprint);
        return parseTextBlock(parts.text, parts.photo, parts.fingerprint);
      } catch (e) {
        const err = asDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE');
        if (attempt >= this.retries || !isRetryable(err)) throw err;
        this.counters.retries++;
        this.log.warn({ device: this.device, code: err.code, attempt: attempt + 1 }, 'read failed, retrying select → read');
        await this.settle(command);
      }
    }
  }

  private onCycleError(err: DriverError): void {
    this.counters.failures++;
    this.lastFailure = err;
    if (err.code === 'IDCARD_SAM_FAULT') {
      this.setStatus('error', err);
      this.log.error({ device: this.device, code: err.code }, 'SAM fault while polling');
      return;
    }
    this.log.warn({ device: this.device, code: err.code }, 'card could not be read');
    this.setStatus('ready', undefined);
    if (!this.failedThisPlacement) {
      this.failedThisPlacement = true;
      this.listeners['read-failed'].emit(err);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Command exchange

  /** Sends one command and waits for its answer; retries protocol errors. SW3 faults are returned, not thrown. */
  private exchange(command: IdCardCommandName, options: { retries?: number; timeoutMs?: number } = {}): Promise<IdCardResponse> {
    const run = async (): Promise<IdCardResponse> => {
      const retries = options.retries ?? this.retries;
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await this.exchangeOnce(command, options.timeoutMs ?? this.commandTimeoutMs);
          if (r.sw3 === Sw3.HOST_CHECKSUM_ERROR || r.sw3 === Sw3.HOST_LENGTH_ERROR) expectSuccess(r, command);
          return r;
        } catch (e) {
          const err = asDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE');
          if (attempt >= retries || !isRetryable(err)) throw err;
          this.counters.retries++;
          this.log.warn({ device: this.device, command, code: err.code, attempt: attempt + 1 }, 'retrying command');
          await this.settle(command);
        }
      }
    };
    // one command on the wire at a time (the poll loop and technician calls share the reader)
    const result = this.lock.then(run, run);
    this.lock = result.catch((e: unknown) => e);
    return result;
  }

  /** Lets the rest of a broken answer arrive, then drops it, so the retry's answer starts clean. */
  private async settle(command: IdCardCommandName): Promise<void> {
    const bytes = command === 'readText' ? 1295 : command === 'readWithFingerprint' ? 2321 : 32;
    await new Promise((r) => setTimeout(r, 20 + wireTimeMs(bytes, this.baudRate)));
    this.handleFramerOutput(this.framer.flush());
  }

  private async exchangeOnce(command: IdCardCommandName, timeoutMs: number): Promise<IdCardResponse> {
    if (!this.opened || !this.transport.isOpen) throw new DriverError('TRANSPORT_NOT_OPEN', `${this.transport.description} is not open`);
    const frame = buildCommand(command);
    const answer = new Promise<IdCardResponse>((resolve, reject) => {
      this.pending = { command, resolve, reject, timer: undefined };
    });
    const pending = this.pending!;
    // An unplug can reject the answer while the write is still in flight, before anyone awaits it. Mark it handled
    // here; the error still reaches the caller: through `return answer`, or as the write's own failure.
    answer.catch(() => undefined);
    this.emitTrace('tx', frame, `${IdCardCommands[command].mnemonic} (${toHex(frame.subarray(7, 9))})`);
    try {
      await this.transport.write(frame);
    } catch (e) {
      this.pending = undefined;
      throw asDriverError(e, 'TRANSPORT_WRITE_FAILED');
    }
    if (this.pending === pending) {
      pending.timer = setTimeout(() => {
        if (this.pending !== pending) return;
        this.pending = undefined;
        this.counters.timeouts++;
        this.handleFramerOutput(this.framer.flush());
        pending.reject(
          new DriverError('PROTOCOL_TIMEOUT', `${IdCardCommands[command].mnemonic}: no answer within ${timeoutMs} ms`, {
            detail: { command, timeoutMs },
          }),
        );
      }, timeoutMs);
    }
    return answer;
  }

  private settlePending(outcome: { ok: true; response: IdCardResponse } | { ok: false; error: DriverError }): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    if (outcome.ok) p.resolve(outcome.response);
    else p.reject(outcome.error);
  }

  private failPending(error: DriverError): void {
    this.settlePending({ ok: false, error });
  }

  private onData(chunk: Buffer): void {
    this.handleFramerOutput(this.framer.push(chunk));
  }

  private handleFramerOutput(outputs: FramerOutput[]): void {
    for (const out of outputs) {
      if (out.kind === 'discarded') {
        this.counters.discardedFrames++;
        this.counters.discardedBytes += out.bytes.length;
        this.emitTrace('discarded', out.bytes, `discarded (${out.reason})`);
        this.log.warn({ device: this.device, reason: out.reason, length: out.bytes.length }, 'discarded bytes from the reader');
        if (this.pending && (out.reason === 'checksum' || out.reason === 'length')) {
          const code: DriverErrorCode = out.reason === 'checksum' ? 'PROTOCOL_CHECKSUM' : 'PROTOCOL_LENGTH';
          this.failPending(new DriverError(code, `${IdCardCommands[this.pending.command].mnemonic}: answer dropped (${out.reason})`));
        }
        continue;
      }
      this.onFrame(out.bytes);
    }
  }

  private onFrame(frame: Uint8Array): void {
    let response: IdCardResponse;
    try {
      response = parseResponse(frame);
    } catch (e) {
      // the framer checked preamble, LEN and CHK; what is left is an answer too short to carry SW1-3
      const err = asDriverError(e, 'PROTOCOL_MALFORMED');
      this.countDropped(frame, `discarded (${err.code})`);
      this.failPending(err);
      return;
    }
    const info = describeSw3(response.sw3);
    const p = this.pending;
    if (!p || !answerFits(response, p.command)) {
      // unsolicited, or a late answer to a command that already timed out
      this.countDropped(frame, `discarded answer SW3 ${hex2(response.sw3)} ${info.meaning}${p ? ` (does not fit ${p.command})` : ' (unsolicited)'}`);
      return;
    }
    this.emitTrace('rx', frame, `SW3 ${hex2(response.sw3)} ${info.meaning}`);
    this.settlePending({ ok: true, response });
  }

  private countDropped(frame: Uint8Array, meaning: string): void {
    this.counters.discardedFrames++;
    this.counters.discardedBytes += frame.length;
    this.emitTrace('discarded', frame, meaning);
    this.log.warn({ device: this.device, length: frame.length, meaning }, 'dropped an answer');
  }

  private onTransportClose(error: DriverError | undefined): void {
    const wasOpen = this.opened;
    this.opened = false;
    this.polling = false;
    this.wake?.();
    this.unsubscribe();
    const err = error ?? new DriverError('DEVICE_CLOSED', 'the transport was closed');
    this.failPending(err);
    if (wasOpen) {
      this.log.warn({ device: this.device, code: err.code, transport: this.transport.description }, 'ID card reader disconnected');
      this.setStatus('disconnected', error);
    }
  }

  private unsubscribe(): void {
    for (const off of this.detach.splice(0)) off();
  }

  private setStatus(status: IdCardReaderStatus, error: DriverError | undefined): void {
    const changed = status !== this.status_ || error?.code !== this.statusError?.code;
    this.status_ = status;
    this.statusError = error;
    if (error) this.lastError_ = error;
    if (changed) this.listeners.status.emit(status, error);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Trace (redacted)

  private emitTrace(dir: TraceEntry['dir'], bytes: Uint8Array, meaning: string): void {
    if (!this.trace) return;
    this.trace({ device: this.device, dir, at: Date.now(), length: bytes.length, hex: redactedHex(dir, bytes), meaning });
  }
}

/**
 * Hex for a trace line without personal data. Answers up to 27 bytes (status, find, select, SAM id, bare faults) are
 * shown whole; longer frames (read answers, appended address) only up to SW3 and the read lengths; discarded bytes
 * only when they are a frame header (preamble + LEN), never their payload.
 */
export function redactedHex(dir: TraceEntry['dir'], bytes: Uint8Array): string {
  if (dir === 'tx') return toHex(bytes);
  const isFrame = bytes.length >= 7 && bytes[0] === 0xaa && bytes[1] === 0xaa && bytes[2] === 0xaa && bytes[3] === 0x96 && bytes[4] === 0x69;
  if (dir === 'discarded') {
    return isFrame ? `${toHex(bytes.subarray(0, 7))} …[redacted ${bytes.length - 7} bytes]` : `…[redacted ${bytes.length} bytes]`;
  }
  if (bytes.length <= 27) return toHex(bytes);
  let header = isFrame ? 10 : 0;
  if (isFrame && bytes[9] === Sw3.SUCCESS) {
    const len = (bytes[5]! << 8) | bytes[6]!;
    const asRead = (fp: boolean) => {
      const h = readAnswerHeaderLength(fp);
      if (bytes.length < h) return false;
      const sum = 3 + (fp ? 6 : 4) + ((bytes[10]! << 8) | bytes[11]!) + ((bytes[12]! << 8) | bytes[13]!) + (fp ? (bytes[14]! << 8) | bytes[15]! : 0) + 1;
      return sum === len;
    };
    if (asRead(false)) header = readAnswerHeaderLength(false);
    else if (asRead(true)) header = readAnswerHeaderLength(true);
  }
  return `${toHex(bytes.subarray(0, header))} …[redacted ${bytes.length - header} bytes]`;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function isRetryable(err: DriverError): boolean {
  switch (err.code) {
    case 'PROTOCOL_TIMEOUT':
    case 'PROTOCOL_CHECKSUM':
    case 'PROTOCOL_LENGTH':
    case 'PROTOCOL_MALFORMED':
      return true;
    case 'IDCARD_HOST_FRAME_REJECTED': {
      const sw3 = err.detail?.['sw3'];
      return sw3 === Sw3.HOST_CHECKSUM_ERROR || sw3 === Sw3.HOST_LENGTH_ERROR;
    }
    default:
      return false;
  }
}

