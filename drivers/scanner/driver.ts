import { DriverError, assertNever } from '../errors.js';
import { silentLogger, toHex, type DriverLogger, type TraceSink } from '../log.js';
import { ListenerSet, type Transport } from '../transport/transport.js';
import { HidPosFramer, ScannerLineFramer, realTimers, type ScannerFrame, type Timers } from './framer.js';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  HONEYWELL_HIDPOS_FEATURE,
  classifyPayload,
  decodePayload,
  parseAimId,
  splitAimPrefix,
  type ClassifyOptions,
  type PayloadClass,
  type PayloadKind,
  type Symbology,
} from './protocol.js';

export type ScannerMode = 'serial' | 'hid-pos';

export interface ScanEvent {
  /** Decoded, control-stripped, length-bounded text; untrusted. Personal data may be in it: never log it. */
  payload: string;
  symbology?: Symbology;
  /** AIM id as sent, e.g. `]Q1`. */
  aim?: string;
  kind: PayloadKind;
  classification: PayloadClass;
  /** epoch ms when the code was complete */
  at: number;
}

export type ScannerStatus =
  | { state: 'open'; transport: string }
  | { state: 'closed' }
  | { state: 'disconnected'; error: DriverError }
  | { state: 'discarded'; reason: ScannerDiscardReason; length: number; error?: DriverError };

export type ScannerDiscardReason = 'too-long' | 'garbage' | 'bad-report' | 'incomplete' | 'empty';

export interface ScannerCounters {
  scans: number;
  discarded: number;
  tooLong: number;
  garbage: number;
  badReports: number;
  incomplete: number;
  bytesIn: number;
}

/** A transport that can send HID feature reports (HidTransport). */
interface FeatureReportCapable {
  sendFeatureReport(reportId: number, data: ArrayLike<number>): Promise<void>;
}

export interface ScannerDriverOptions {
  transport: Transport;
  mode: ScannerMode;
  /** Longest payload accepted, 1..4096 bytes, default 512; longer → SCANNER_PAYLOAD_TOO_LONG, discarded, counted. */
  maxPayloadBytes?: number;
  /** Serial: silence that ends a code sent without suffix; default 100 ms. */
  interByteTimeoutMs?: number;
  /** HID POS: wait for the continuation report of a multi-report code; default 200 ms. */
  continuationTimeoutMs?: number;
  /** Serial: strip a leading AIM id (`]Q1…`) when present; default true. */
  aimPrefix?: boolean;
  /** HID POS: send Honeywell's feature report 254 = [0x01] after opening; default false. */
  switchToHidPos?: boolean;
  classify?: ClassifyOptions;
  logger?: DriverLogger;
  trace?: TraceSink;
  timers?: Timers;
  now?: () => number;
}

/**
 * The scanner session on an injected transport: frames bytes (serial CDC lines or HID POS reports), decodes and
 * classifies each code, and emits `scan`. Garbage and overlong input never throws: it is discarded, counted and
 * reported through `status` ({ state: 'discarded' }). Traces show lengths and a redacted hex header only.
 */
export class ScannerDriver {
  private readonly scans = new ListenerSet<[ScanEvent]>();
  private readonly statuses = new ListenerSet<[ScannerStatus]>();
  private readonly framer: ScannerLineFramer | HidPosFramer;
  private readonly log: DriverLogger;
  private readonly now: () => number;
  private readonly maxBytes: number;
  private offs: Array<() => void> = [];
  private readonly counters_: ScannerCounters = {
    scans: 0,
    discarded: 0,
    tooLong: 0,
    garbage: 0,
    badReports: 0,
    incomplete: 0,
    bytesIn: 0,
  };

  constructor(private readonly options: ScannerDriverOptions) {
    this.log = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.maxBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    if (!Number.isInteger(this.maxBytes) || this.maxBytes < 1 || this.maxBytes > 4096) {
      throw new RangeError('maxPayloadBytes must be 1..4096');
    }
    const timers = options.timers ?? realTimers;
    const onFrame = (f: ScannerFrame) => this.onFrame(f);
    switch (options.mode) {
      case 'serial':
        // + 3: room for an AIM prefix, which is not part of the payload bound
        this.framer = new ScannerLineFramer(onFrame, {
          maxBytes: this.maxBytes + 3,
          interByteTimeoutMs: options.interByteTimeoutMs ?? 100,
          timers,
        });
        break;
      case 'hid-pos':
        this.framer = new HidPosFramer(onFrame, {
          maxBytes: this.maxBytes,
          continuationTimeoutMs: options.continuationTimeoutMs ?? 200,
          timers,
        });
        break;
      default:
        assertNever(options.mode, 'scanner mode');
    }
  }

  get transport(): Transport {
    return this.options.transport;
  }

  get counters(): Readonly<ScannerCounters> {
    return { ...this.counters_ };
  }

  /** Subscribes to the transport and opens it if needed. */
  async open(): Promise<void> {
    const t = this.options.transport;
    this.detach();
    this.offs.push(
      t.onData((chunk) => {
        this.counters_.bytesIn += chunk.length;
        this.framer.push(chunk);
      }),
      t.onClose((err) => {
        this.framer.reset();
        this.detach();
        this.statuses.emit(err ? { state: 'disconnected', error: err } : { state: 'closed' });
      }),
    );
    try {
      if (!t.isOpen) await t.open();
      if (this.options.switchToHidPos && this.options.mode === 'hid-pos') await this.switchToHidPos();
    } catch (e) {
      this.detach();
      throw e;
    }
    this.log.info({ transport: t.description, mode: this.options.mode }, 'scanner open');
    this.statuses.emit({ state: 'open', transport: t.description });
  }

  async close(): Promise<void> {
    const t = this.options.transport;
    this.framer.reset();
    if (t.isOpen) await t.close(); // onClose listener emits { state: 'closed' } and detaches
    else this.detach();
  }

  onScan(listener: (e: ScanEvent) => void): () => void {
    return this.scans.add(listener);
  }

  onStatus(listener: (s: ScannerStatus) => void): () => void {
    return this.statuses.add(listener);
  }

  /** Resolves with the next scan; rejects PROTOCOL_TIMEOUT after timeoutMs, or when `signal` aborts. */
  nextScan(timeoutMs: number, signal?: AbortSignal): Promise<ScanEvent> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        off();
        offClose();
        signal?.removeEventListener('abort', onAbort);
      };
      const timer = setTimeout(() => {
        done();
        reject(new DriverError('PROTOCOL_TIMEOUT', `no scan within ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = () => {
        done();
        reject(new DriverError('DEVICE_CLOSED', 'waiting for a scan was aborted'));
      };
      signal?.addEventListener('abort', onAbort);
      const off = this.onScan((e) => {
        done();
        resolve(e);
      });
      const offClose = this.onStatus((s) => {
        if (s.state === 'disconnected') {
          done();
          reject(s.error);
        }
      });
    });
  }

  private async switchToHidPos(): Promise<void> {
    const t = this.options.transport as Transport & Partial<FeatureReportCapable>;
    if (typeof t.sendFeatureReport !== 'function') {
      throw new DriverError('TRANSPORT_UNSUPPORTED', `${t.description} cannot send HID feature reports`);
    }
    await t.sendFeatureReport(HONEYWELL_HIDPOS_FEATURE.reportId, HONEYWELL_HIDPOS_FEATURE.data);
    this.trace('tx', Uint8Array.from([HONEYWELL_HIDPOS_FEATURE.reportId, ...HONEYWELL_HIDPOS_FEATURE.data]), 'feature 254 = 01: switch to HID POS', false);
  }

  private detach(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private onFrame(f: ScannerFrame): void {
    switch (f.kind) {
      case 'discarded':
        this.discard(f.reason, f.length);
        return;
      case 'frame':
        this.onCode(f.bytes, f.aim);
        return;
      default:
        assertNever(f, 'scanner frame');
    }
  }

  private onCode(bytes: Buffer, reportAim: string | undefined): void {
    const decoded = decodePayload(bytes);
    let text = decoded.text;
    let aim = reportAim;
    let payloadBytes = bytes.length;
    if (this.options.mode === 'serial' && (this.options.aimPrefix ?? true)) {
      const split = splitAimPrefix(text);
      if (split.aim) {
        aim = split.aim.raw;
        text = split.rest;
        payloadBytes -= 3;
      }
    }
    if (payloadBytes > this.maxBytes) {
      this.discard('too-long', payloadBytes);
      return;
    }
    if (text.length === 0) {
      this.discard('empty', bytes.length);
      return;
    }
    const classification = classifyPayload(text, this.options.classify);
    const symbology = aim ? parseAimId(aim)?.symbology : undefined;
    const event: ScanEvent = { payload: text, kind: classification.kind, classification, at: this.now() };
    if (symbology) event.symbology = symbology;
    if (aim) event.aim = aim;
    this.counters_.scans++;
    this.trace('rx', bytes, `scan ${classification.kind}${aim ? ` ${aim}` : ''} (${decoded.encoding})`, true);
    this.log.debug({ kind: classification.kind, length: text.length, symbology }, 'scan');
    this.scans.emit(event);
  }

  private discard(reason: ScannerDiscardReason, length: number): void {
    this.counters_.discarded++;
    let error: DriverError | undefined;
    switch (reason) {
      case 'too-long':
        this.counters_.tooLong++;
        error = new DriverError('SCANNER_PAYLOAD_TOO_LONG', `scanned code of ${length} bytes exceeds ${this.maxBytes}`, {
          detail: { length, max: this.maxBytes },
        });
        break;
      case 'garbage':
      case 'empty':
        this.counters_.garbage++;
        break;
      case 'bad-report':
        this.counters_.badReports++;
        error = new DriverError('PROTOCOL_MALFORMED', 'HID POS report malformed', { detail: { length } });
        break;
      case 'incomplete':
        this.counters_.incomplete++;
        error = new DriverError('PROTOCOL_TIMEOUT', 'HID POS continuation report missing', { detail: { length } });
        break;
      default:
        assertNever(reason, 'discard reason');
    }
    this.log.warn({ reason, length, code: error?.code }, 'scanner input discarded');
    this.options.trace?.({
      device: 'scanner',
      dir: 'discarded',
      at: this.now(),
      length,
      hex: '',
      meaning: `discarded: ${reason}`,
    });
    const status: ScannerStatus = { state: 'discarded', reason, length };
    if (error) status.error = error;
    this.statuses.emit(status);
  }

  private trace(dir: 'tx' | 'rx', bytes: Uint8Array, meaning: string, redact: boolean): void {
    if (!this.options.trace) return;
    // scanned payloads may carry personal data (e-licence tokens, names in URLs): only the first 3 bytes (AIM id
    // or a code prefix) are shown
    const hex = redact ? `${toHex(bytes.subarray(0, 3))} …[redacted ${Math.max(0, bytes.length - 3)} bytes]` : toHex(bytes);
    this.options.trace({ device: 'scanner', dir, at: this.now(), length: bytes.length, hex, meaning });
  }
}
