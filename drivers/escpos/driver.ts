/**
 * The receipt printer session on an injected Transport.
 * - `status()`: DLE EOT 1, 2, 3, 4 one after another, each answered by one byte within `statusTimeoutMs`; answers
 *   are matched in order (the first status byte after a request is its answer). Needs a two-way link.
 * - `print(job)`: checks status before (refuses with the blocking code), writes, waits for the paper to move
 *   (estimated from the job's paper length and the profile's speed), checks status again, and reports `printed` only
 *   when that after-check is clean. Over a write-only transport (device file, spooler) the bytes are sent and the
 *   result says `statusKnown: false`: the driver never claims what it could not verify.
 * - States as events (unknown / ok / warning / error / offline / disconnected), counters, protocol trace.
 * Operations are serialised: a status request never interleaves with a job.
 */
import { DriverError, asDriverError, assertNever, type DriverErrorCode } from '../errors.js';
import { silentLogger, toHex, type DriverLogger, type TraceEntry } from '../log.js';
import { ListenerSet, type Transport } from '../transport/transport.js';
import type { PrintJob } from './encoder.js';
import { EscPosStatusFramer } from './framer.js';
import { DEFAULT_PRINTER_PROFILE, type PrinterProfile } from './profiles.js';
import {
  STATUS_REQUESTS,
  STATUS_REQUEST_MEANING,
  blockingCode,
  combineStatus,
  describeStatusByte,
  parseAsb,
  stateOf,
  statusRequestBytes,
  type PrinterState,
  type PrinterStatus,
  type StatusRequest,
} from './status.js';

export interface ReceiptPrinterDriverOptions {
  transport: Transport;
  /** Default: 80 mm. */
  profile?: PrinterProfile;
  /** Wait for each DLE EOT answer; default 1000 ms, range 50..10000. */
  statusTimeoutMs?: number;
  /**
   * Wait between writing a job and the after-check, in ms. Default 'auto': job paper length / profile speed + 300 ms
   * (DLE EOT is answered in real time, so asking too early would report a job that is still printing as clean).
   */
  settleMs?: number | 'auto';
  logger?: DriverLogger;
  /** Device name in trace entries; default 'printer'. */
  device?: string;
}

export type PrintResult =
  /** The after-check was clean: the job printed (with a warning when paper is near its end). */
  | { outcome: 'printed'; statusKnown: true; status: PrinterStatus; warning: 'paper-near-end' | undefined; durationMs: number }
  /** Write-only link: bytes were handed over; whether paper came out is unknown. */
  | { outcome: 'sent'; statusKnown: false; durationMs: number };

export interface PrinterCounters {
  /** Jobs confirmed printed by a clean after-check. */
  jobsPrinted: number;
  /** Jobs sent over a write-only link (not verified). */
  jobsSentUnverified: number;
  /** Jobs refused before printing or failed during/after. */
  jobsFailed: number;
  /** Text lines of printed and sent jobs (estimate from the encoder). */
  lines: number;
  /** Paper used by printed and sent jobs, mm (estimate from the encoder). */
  paperMm: number;
  /** State transitions into error, offline or disconnected. */
  faults: number;
}

export interface PrinterStateEvent {
  state: PrinterState;
  previous: PrinterState;
  /** The status that led here, when one was read. */
  status?: PrinterStatus;
  /** The error that led here (disconnected, time-out, blocking fault). */
  code?: DriverErrorCode;
}

interface Waiter {
  resolve: (byte: number) => void;
  reject: (e: DriverError) => void;
}

export class ReceiptPrinterDriver {
  private readonly transport: Transport;
  private readonly profile: PrinterProfile;
  private readonly statusTimeoutMs: number;
  private readonly settle: number | 'auto';
  private readonly log: DriverLogger;
  private readonly device: string;
  private readonly framer = new EscPosStatusFramer();
  private readonly stateListeners = new ListenerSet<[PrinterStateEvent]>();
  private readonly traceListeners = new ListenerSet<[TraceEntry]>();
  private readonly asbListeners = new ListenerSet<[PrinterStatus]>();
  private waiter: Waiter | undefined;
  private state_: PrinterState = 'unknown';
  private lastStatus_: PrinterStatus | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private offTransport: (() => void)[] = [];
  private lostLink: DriverError | undefined;
  readonly counters: PrinterCounters = { jobsPrinted: 0, jobsSentUnverified: 0, jobsFailed: 0, lines: 0, paperMm: 0, faults: 0 };

  constructor(options: ReceiptPrinterDriverOptions) {
    this.transport = options.transport;
    this.profile = options.profile ?? DEFAULT_PRINTER_PROFILE;
    this.statusTimeoutMs = options.statusTimeoutMs ?? 1000;
    if (this.statusTimeoutMs < 50 || this.statusTimeoutMs > 10_000) throw new RangeError(`statusTimeoutMs out of range 50..10000: ${this.statusTimeoutMs}`);
    this.settle = options.settleMs ?? 'auto';
    this.log = options.logger ?? silentLogger;
    this.device = options.device ?? 'printer';
  }

  get state(): PrinterState {
    return this.state_;
  }

  get lastStatus(): PrinterStatus | undefined {
    return this.lastStatus_;
  }

  /** True when status can be read back (serial, TCP, USB with bulk-in); false for a device file or spooler. */
  get statusReadable(): boolean {
    return this.transport.readable;
  }

  onState(listener: (e: PrinterStateEvent) => void): () => void {
    return this.stateListeners.add(listener);
  }

  onTrace(listener: (e: TraceEntry) => void): () => void {
    return this.traceListeners.add(listener);
  }

  /** Statuses pushed by the printer after `enableAsb()`. */
  onAsb(listener: (s: PrinterStatus) => void): () => void {
    return this.asbListeners.add(listener);
  }

  /** Opens the transport (if needed) and listens to it. */
  async open(): Promise<void> {
    this.detachTransport();
    this.offTransport.push(
      this.transport.onData((chunk) => this.onData(chunk)),
      this.transport.onClose((e) => this.onTransportClose(e)),
    );
    if (!this.transport.isOpen) await this.transport.open();
    this.lostLink = undefined;
    this.framer.reset();
  }

  async close(): Promise<void> {
    this.detachTransport();
    this.failWaiter(new DriverError('DEVICE_CLOSED', 'printer driver closed'));
    await this.transport.close();
  }

  /** Reads DLE EOT 1..4 and combines them. Rejects PRINTER_NO_STATUS on a write-only link. */
  status(): Promise<PrinterStatus> {
    return this.serial(() => this.readStatus());
  }

  /** GS a n: asks the printer to push 4-byte status blocks on every change (profile must support it). */
  enableAsb(mask = 0xff): Promise<void> {
    return this.serial(async () => {
      if (!this.profile.supportsAsb) throw new DriverError('TRANSPORT_UNSUPPORTED', `profile ${this.profile.id} has no automatic status back`);
      const bytes = Uint8Array.of(0x1d, 0x61, mask);
      this.trace('tx', bytes, `GS a ${mask} = automatic status back ${mask ? 'on' : 'off'}`);
      await this.transport.write(bytes);
    });
  }

  print(job: PrintJob | Uint8Array): Promise<PrintResult> {
    const j: PrintJob = job instanceof Uint8Array ? { bytes: job, lines: 0, paperMm: 0, unprintable: [] } : job;
    return this.serial(() => this.printNow(j));
  }

  private async printNow(job: PrintJob): Promise<PrintResult> {
    const started = Date.now();
    try {
      if (!this.transport.isOpen) throw this.notOpen();
      if (!this.transport.readable) {
        this.trace('tx', job.bytes, `print job (${job.bytes.length} bytes, ${job.lines} lines), status unknown: write-only link`, true);
        await this.transport.write(job.bytes);
        this.counters.jobsSentUnverified++;
        this.count(job);
        return { outcome: 'sent', statusKnown: false, durationMs: Date.now() - started };
      }
      const before = await this.readStatus();
      this.refuseIfBlocked(before, 'before');
      this.trace('tx', job.bytes, `print job (${job.bytes.length} bytes, ${job.lines} lines)`, true);
      await this.transport.write(job.bytes);
      await delay(this.settle === 'auto' ? Math.round((job.paperMm / this.profile.printSpeedMmPerS) * 1000) + 300 : this.settle);
      const after = await this.readStatus();
      this.refuseIfBlocked(after, 'after');
      this.counters.jobsPrinted++;
      this.count(job);
      return { outcome: 'printed', statusKnown: true, status: after, warning: after.paperNearEnd ? 'paper-near-end' : undefined, durationMs: Date.now() - started };
    } catch (e) {
      this.counters.jobsFailed++;
      let err = asDriverError(e, 'TRANSPORT_WRITE_FAILED');
      // A write racing an unplug fails as "not open" or EIO just before the transport reports the disconnect:
      // give the close event a moment, then report the cause (the lost link) rather than the symptom.
      if (err.code === 'TRANSPORT_NOT_OPEN' || err.code === 'TRANSPORT_WRITE_FAILED') {
        if (!this.lostLink) await this.closeSettled(LINK_LOSS_GRACE_MS);
        if (this.lostLink) err = this.lostLink;
      }
      this.log.warn({ code: err.code, phase: err.detail?.['phase'] }, 'print job failed');
      throw err;
    }
  }

  private refuseIfBlocked(status: PrinterStatus, phase: 'before' | 'after'): void {
    const code = blockingCode(status);
    if (!code) return;
    const what = phase === 'before' ? 'print refused' : 'job not confirmed printed';
    throw new DriverError(code, `${what}: ${code}`, { detail: { phase, printed: false, status: status.raw } });
  }

  private count(job: PrintJob): void {
    this.counters.lines += job.lines;
    this.counters.paperMm = Math.round((this.counters.paperMm + job.paperMm) * 10) / 10;
  }

  private async readStatus(): Promise<PrinterStatus> {
    if (!this.transport.readable) throw new DriverError('PRINTER_NO_STATUS', `${this.transport.description} is write-only: printer status cannot be read`);
    if (!this.transport.isOpen) throw this.notOpen();
    const bytes: number[] = [];
    try {
      for (const n of STATUS_REQUESTS) bytes.push(await this.request(n));
    } catch (e) {
      const err = asDriverError(e, 'PROTOCOL_TIMEOUT');
      if (err.code === 'PROTOCOL_TIMEOUT') this.setState('offline', { code: err.code });
      throw err;
    }
    const status = combineStatus(bytes as [number, number, number, number], this.profile.dleEot4Layout);
    if (!status) throw new DriverError('PROTOCOL_UNEXPECTED_RESPONSE', 'status bytes failed validation', { detail: { raw: toHex(Uint8Array.from(bytes)) } });
    this.lastStatus_ = status;
    const code = blockingCode(status);
    this.setState(stateOf(status), { status, ...(code ? { code } : {}) });
    return status;
  }

  private request(n: StatusRequest): Promise<number> {
    const meaning = `DLE EOT ${n} = ${STATUS_REQUEST_MEANING[n]}`;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new DriverError('PROTOCOL_TIMEOUT', `no answer to ${meaning} within ${this.statusTimeoutMs} ms`, { detail: { n } }));
      }, this.statusTimeoutMs);
      this.waiter = {
        resolve: (b) => {
          clearTimeout(timer);
          this.waiter = undefined;
          this.trace('rx', Uint8Array.of(b), `${meaning} → ${describeStatusByte(n, b, this.profile.dleEot4Layout)}`);
          resolve(b);
        },
        reject: (e) => {
          clearTimeout(timer);
          this.waiter = undefined;
          reject(e);
        },
      };
      const bytes = statusRequestBytes(n);
      this.trace('tx', bytes, meaning);
      this.transport.write(bytes).catch((e: unknown) => this.failWaiter(asDriverError(e, 'TRANSPORT_WRITE_FAILED')));
    });
  }

  private onData(chunk: Buffer): void {
    for (const frame of this.framer.push(chunk)) {
      switch (frame.kind) {
        case 'status':
          if (this.waiter) this.waiter.resolve(frame.byte);
          else this.trace('discarded', Uint8Array.of(frame.byte), 'status byte without a pending request');
          break;
        case 'asb': {
          const status = parseAsb(frame.bytes);
          if (!status) {
            this.trace('discarded', frame.bytes, 'ASB block failed validation');
            break;
          }
          this.trace('rx', frame.bytes, `GS a automatic status back → ${stateOf(status)}`);
          this.lastStatus_ = status;
          const code = blockingCode(status);
          this.setState(stateOf(status), { status, ...(code ? { code } : {}) });
          this.asbListeners.emit(status);
          break;
        }
        case 'discarded':
          this.trace('discarded', frame.bytes, frame.reason);
          break;
        default:
          assertNever(frame, 'printer frame');
      }
    }
  }

  /** Resolves when the transport reports a close, or after `ms`. */
  private closeSettled(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const off = this.transport.onClose(done);
      function done(): void {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }

  /** TRANSPORT_DISCONNECTED when the link was lost (unplug), else TRANSPORT_NOT_OPEN. */
  private notOpen(): DriverError {
    return this.lostLink ?? new DriverError('TRANSPORT_NOT_OPEN', `${this.transport.description} is not open`);
  }

  private onTransportClose(e: DriverError | undefined): void {
    const err = e ?? new DriverError('DEVICE_CLOSED', `${this.transport.description} closed`);
    if (e) this.lostLink = e;
    this.failWaiter(err);
    this.setState('disconnected', { code: err.code });
  }

  private failWaiter(e: DriverError): void {
    this.waiter?.reject(e);
  }

  private setState(state: PrinterState, extra: { status?: PrinterStatus; code?: DriverErrorCode }): void {
    if (state === this.state_) return;
    const previous = this.state_;
    this.state_ = state;
    if (state === 'error' || state === 'offline' || state === 'disconnected') this.counters.faults++;
    this.log.info({ state, previous, code: extra.code }, 'printer state');
    this.stateListeners.emit({ state, previous, ...extra });
  }

  /** Job bytes may carry personal data (names on tickets): the trace keeps only their length. */
  private trace(dir: TraceEntry['dir'], bytes: Uint8Array, meaning: string, redact = false): void {
    const entry: TraceEntry = {
      device: this.device,
      dir,
      at: Date.now(),
      length: bytes.length,
      hex: redact ? `…[redacted ${bytes.length} bytes]` : toHex(bytes),
      meaning,
    };
    this.traceListeners.emit(entry);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    // The queue only orders operations; each caller gets its own result or error from `run`.
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private detachTransport(): void {
    for (const off of this.offTransport) off();
    this.offTransport = [];
  }
}

/** How long a failed write waits for the transport's close event before reporting the write failure itself. */
const LINK_LOSS_GRACE_MS = 200;

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
