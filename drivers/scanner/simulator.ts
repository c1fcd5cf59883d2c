import { assertNever } from '../errors.js';
import type { Transport } from '../transport/transport.js';

/**
 * Device side of the scanner protocols, written from protocols/scanners-and-displays.md only. It shares no code
 * with protocol.ts / framer.ts / driver.ts, so a misreading of the spec in one is caught by the other and by the
 * byte-exact vectors in the tests. Test and simulation use only (main/simulation wires it; production never).
 */

// spec constants, restated here on purpose (no import from the driver side)
const CR = 0x0d;
const LF = 0x0a;
const REPORT_ID = 0x02; // HID POS decoded-data input report
const REPORT_PAYLOAD = 63; // bytes after the report ID
const DATA_OFFSET = 4; // payload byte 0 = length, 1..3 = AIM id, data from 4
const DATA_PER_REPORT = 56; // bytes 4..59; 60-61 reserved
const MORE_OFFSET = 62; // non-zero: more reports follow

export type ScannerSuffix = 'cr' | 'lf' | 'crlf' | 'none';

export interface SerialScannerSimulatorOptions {
  /** Suffix the scanner is configured to send; default 'cr' (factory default of most CDC scanners). */
  suffix?: ScannerSuffix;
  /** Send the AIM id in front of the data (`]Q1…`); default false. */
  aimPrefix?: boolean;
  /** Bytes per write (USB CDC full-speed packets carry up to 64); default 64. */
  chunkSize?: number;
  /** Gap between writes in ms; default 1 (a scanner's decoder emits a code in one burst). */
  interChunkMs?: number;
  /** Quirk: stray bytes (NUL, 0xFF) before each code, as some cheap scanners do on wake-up; default false. */
  noiseBeforeCode?: boolean;
}

export interface ScanOptions {
  /** AIM id for this scan, default `]Q1` (QR). */
  aim?: string;
  suffix?: ScannerSuffix;
  aimPrefix?: boolean;
  chunkSize?: number;
  interChunkMs?: number;
}

/** A USB CDC scanner: "scanning" writes payload (+ optional AIM prefix) + suffix to its end of the line. */
export class SerialScannerSimulator {
  scansSent = 0;
  constructor(
    private readonly port: Transport,
    private readonly options: SerialScannerSimulatorOptions = {},
  ) {}

  /** The exact bytes a scan of `payload` puts on the wire. */
  bytesFor(payload: string | Uint8Array, opts: ScanOptions = {}): Buffer {
    const suffix = opts.suffix ?? this.options.suffix ?? 'cr';
    const prefix = opts.aimPrefix ?? this.options.aimPrefix ?? false ? Buffer.from(opts.aim ?? ']Q1', 'latin1') : Buffer.alloc(0);
    const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
    const noise = this.options.noiseBeforeCode ? Buffer.from([0x00, 0xff]) : Buffer.alloc(0);
    return Buffer.concat([noise, prefix, data, suffixBytes(suffix)]);
  }

  async scan(payload: string | Uint8Array, opts: ScanOptions = {}): Promise<void> {
    const bytes = this.bytesFor(payload, opts);
    const chunk = Math.max(1, opts.chunkSize ?? this.options.chunkSize ?? 64);
    const gap = opts.interChunkMs ?? this.options.interChunkMs ?? 1;
    for (let i = 0; i < bytes.length; i += chunk) {
      if (i > 0 && gap > 0) await sleep(gap);
      await this.port.write(bytes.subarray(i, i + chunk));
    }
    this.scansSent++;
  }

  /** Raw bytes on the line (noise, partial codes) for fault tests. */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    await this.port.write(bytes);
  }
}

function suffixBytes(s: ScannerSuffix): Buffer {
  switch (s) {
    case 'cr':
      return Buffer.from([CR]);
    case 'lf':
      return Buffer.from([LF]);
    case 'crlf':
      return Buffer.from([CR, LF]);
    case 'none':
      return Buffer.alloc(0);
    default:
      return assertNever(s, 'scanner suffix');
  }
}

/** The host-facing side a HID POS simulator drives (FakeHidDevice from drivers/testing/fake-hid.ts fits). */
export interface HidReportSink {
  sendInputReport(report: Uint8Array): boolean;
  onFeatureReport: ((report: Buffer) => void) | undefined;
}

export interface HidPosScannerSimulatorOptions {
  /**
   * Quirk of Honeywell units: they start as a keyboard and send HID POS reports only after the host sent feature
   * report 254 = [0x01]. Until then `scan` delivers nothing (the code went out as keystrokes). Default false.
   */
  requiresSwitch?: boolean;
  /** Quirk: clear the "more" flag on every report (firmware bug), so multi-report codes arrive cut. Default false. */
  dropMoreFlag?: boolean;
}

/** A HID POS scanner: each scan becomes one or more 64-byte input reports built from the spec. */
export class HidPosScannerSimulator {
  hidPosEnabled: boolean;
  /** Reports sent, for assertions. */
  readonly sent: Buffer[] = [];

  constructor(
    private readonly sink: HidReportSink,
    private readonly options: HidPosScannerSimulatorOptions = {},
  ) {
    this.hidPosEnabled = !options.requiresSwitch;
    sink.onFeatureReport = (r) => {
      if (r[0] === 254 && r[1] === 0x01) this.hidPosEnabled = true;
    };
  }

  /** Reports for one code: [0x02, len, a, i, m, data…, 0…, more] — 64 bytes each. */
  static reportsFor(payload: string | Uint8Array, aim: string | null = ']Q1', opts: { dropMoreFlag?: boolean } = {}): Buffer[] {
    const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
    const aimBytes = aim === null ? Buffer.alloc(3) : Buffer.from(aim, 'latin1');
    if (aimBytes.length !== 3) throw new RangeError('an AIM id has 3 characters');
    const reports: Buffer[] = [];
    let off = 0;
    do {
      const part = data.subarray(off, off + DATA_PER_REPORT);
      off += part.length;
      const r = Buffer.alloc(1 + REPORT_PAYLOAD);
      r[0] = REPORT_ID;
      const p = r.subarray(1);
      p[0] = part.length;
      aimBytes.copy(p, 1);
      part.copy(p, DATA_OFFSET);
      p[MORE_OFFSET] = off < data.length && !opts.dropMoreFlag ? 0x01 : 0x00;
      reports.push(r);
    } while (off < data.length);
    return reports;
  }

  /** Sends the reports of one code with `gapMs` between reports; returns the number delivered. */
  async scan(payload: string | Uint8Array, opts: { aim?: string | null; gapMs?: number } = {}): Promise<number> {
    if (!this.hidPosEnabled) return 0;
    const reports = HidPosScannerSimulator.reportsFor(payload, opts.aim === undefined ? ']Q1' : opts.aim, {
      dropMoreFlag: this.options.dropMoreFlag ?? false,
    });
    let delivered = 0;
    for (const [i, r] of reports.entries()) {
      if (i > 0 && (opts.gapMs ?? 2) > 0) await sleep(opts.gapMs ?? 2);
      this.sent.push(r);
      if (this.sink.sendInputReport(r)) delivered++;
    }
    return delivered;
  }

  /** Sends one raw report (fault tests: wrong report ID, bad length). */
  sendRaw(report: Uint8Array): boolean {
    return this.sink.sendInputReport(report);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
