/**
 * The command exchange of the ID card reader session: one command on the wire at a time, its answer matched through
 * the framer, time-outs, retries of protocol errors, and the redacted trace. No polling and no card logic: the
 * session (driver.ts) decides what to ask, this file how to ask it.
 *
 * Time-outs: `commandTimeoutMs` for every command unless the caller passes its own (the read). Protocol errors
 * (time-out, checksum, length, malformed, host frame rejected with SW3 10/11) are retried `retries` times; before a
 * retry the rest of a broken answer is let in and dropped (`settle`), so the retry's answer starts clean. SW3 faults
 * are returned to the caller, not thrown.
 *
 * Privacy: traces and logs carry hex of commands and short answers only; the read answer is cut after its header
 * (`…[redacted N bytes]`), discarded bytes are never shown (they may be part of a read answer).
 */
import { DriverError, asDriverError, type DriverErrorCode } from '../errors.js';
import { toHex, type DriverLogger, type TraceEntry, type TraceSink } from '../log.js';
import type { Transport } from '../transport/transport.js';
import { IdCardFramer, type FramerOutput } from './framer.js';
import {
  IdCardCommands,
  Sw3,
  answerFits,
  buildCommand,
  describeSw3,
  expectSuccess,
  parseResponse,
  readAnswerHeaderLength,
  type IdCardCommandName,
  type IdCardResponse,
} from './protocol.js';

/** The counters the channel keeps (a slice of the driver's IdCardReaderCounters, shared by reference). */
export interface ChannelCounters {
  timeouts: number;
  retries: number;
  /** Frames or byte runs the framer dropped, plus well-formed answers that fit no pending command. */
  discardedFrames: number;
  discardedBytes: number;
}

export interface IdCardCommandChannelOptions {
  log: DriverLogger;
  trace: TraceSink | undefined;
  device: string;
  baudRate: number;
  commandTimeoutMs: number;
  /** Retries after a protocol error, 0..5. */
  retries: number;
  counters: ChannelCounters;
  /** Whether the session counts as open (a command on a closed session fails with TRANSPORT_NOT_OPEN). */
  isOpen: () => boolean;
}

interface Pending {
  command: IdCardCommandName;
  resolve: (r: IdCardResponse) => void;
  reject: (e: DriverError) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Wire time in ms of `bytes` at `baud` with 8N1 framing (10 bits per byte). */
export function wireTimeMs(bytes: number, baud: number): number {
  return (bytes * 10 * 1000) / baud;
}

/** Bytes of the longest answer to `command`: 1295 for 30 01, 2321 for 30 10 (with fingerprints), 32 otherwise. */
export function longestAnswerBytes(command: IdCardCommandName): number {
  return command === 'readText' ? 1295 : command === 'readWithFingerprint' ? 2321 : 32;
}

export class IdCardCommandChannel {
  private transport: Transport | undefined;
  private framer = new IdCardFramer();
  private pending: Pending | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  readonly retries: number;

  constructor(private readonly o: IdCardCommandChannelOptions) {
    this.retries = o.retries;
  }

  /** Uses `transport` from now on, with a fresh framer (call before the transport delivers data). */
  attach(transport: Transport): void {
    this.transport = transport;
    this.framer = new IdCardFramer();
  }

  /** Feed of the transport's bytes. */
  onData(chunk: Uint8Array): void {
    this.handleFramerOutput(this.framer.push(chunk));
  }

  /** Rejects the command waiting for an answer, if any (close, unplug). */
  failPending(error: DriverError): void {
    this.settlePending({ ok: false, error });
  }

  /** Sends one command and waits for its answer; retries protocol errors. SW3 faults are returned, not thrown. */
  exchange(command: IdCardCommandName, options: { retries?: number; timeoutMs?: number } = {}): Promise<IdCardResponse> {
    const run = async (): Promise<IdCardResponse> => {
      const retries = options.retries ?? this.retries;
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await this.exchangeOnce(command, options.timeoutMs ?? this.o.commandTimeoutMs);
          if (r.sw3 === Sw3.HOST_CHECKSUM_ERROR || r.sw3 === Sw3.HOST_LENGTH_ERROR) expectSuccess(r, command);
          return r;
        } catch (e) {
          const err = asDriverError(e, 'PROTOCOL_UNEXPECTED_RESPONSE');
          if (attempt >= retries || !isRetryable(err)) throw err;
          this.o.counters.retries++;
          this.o.log.warn({ device: this.o.device, command, code: err.code, attempt: attempt + 1 }, 'retrying command');
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
  async settle(command: IdCardCommandName): Promise<void> {
    await new Promise((r) => setTimeout(r, 20 + wireTimeMs(longestAnswerBytes(command), this.o.baudRate)));
    this.handleFramerOutput(this.framer.flush());
  }

  private async exchangeOnce(command: IdCardCommandName, timeoutMs: number): Promise<IdCardResponse> {
    const transport = this.transport;
    if (!transport || !this.o.isOpen() || !transport.isOpen) {
      throw new DriverError('TRANSPORT_NOT_OPEN', `${transport?.description ?? 'the ID card reader'} is not open`);
    }
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
      await transport.write(frame);
    } catch (e) {
      this.pending = undefined;
      throw asDriverError(e, 'TRANSPORT_WRITE_FAILED');
    }
    if (this.pending === pending) {
      pending.timer = setTimeout(() => {
        if (this.pending !== pending) return;
        this.pending = undefined;
        this.o.counters.timeouts++;
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

  private handleFramerOutput(outputs: FramerOutput[]): void {
    for (const out of outputs) {
      if (out.kind === 'discarded') {
        this.o.counters.discardedFrames++;
        this.o.counters.discardedBytes += out.bytes.length;
        this.emitTrace('discarded', out.bytes, `discarded (${out.reason})`);
        this.o.log.warn({ device: this.o.device, reason: out.reason, length: out.bytes.length }, 'discarded bytes from the reader');
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
    this.o.counters.discardedFrames++;
    this.o.counters.discardedBytes += frame.length;
    this.emitTrace('discarded', frame, meaning);
    this.o.log.warn({ device: this.o.device, length: frame.length, meaning }, 'dropped an answer');
  }

  private emitTrace(dir: TraceEntry['dir'], bytes: Uint8Array, meaning: string): void {
    if (!this.o.trace) return;
    this.o.trace({ device: this.o.device, dir, at: Date.now(), length: bytes.length, hex: redactedHex(dir, bytes), meaning });
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

/** Protocol errors worth another try (the answer was lost or garbled, or the reader rejected a garbled command). */
export function isRetryable(err: DriverError): boolean {
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
