/**
 * HID ID card readers carry the same SAM frames in a vendor envelope of 64-byte reports. Vendors differ; the envelope
 * implemented here is the common "length-prefixed chunk" form (configure per reader model if a vendor differs):
 *
 *   report (64 bytes) = COUNT | COUNT frame bytes | zero padding          COUNT = 1..63
 *
 * - host → reader: a frame is split over ceil(n / 63) output reports; hidapi's write gets the report ID first
 *   (`reportId`, default 0x00 = device without numbered reports), so each write is 65 bytes.
 * - reader → host: every input report (one `onData` chunk of HidTransport) contributes its COUNT bytes; when the
 *   device numbers its reports (`inputReportId` set), byte 0 is that ID and is checked and stripped first.
 *   A report with COUNT 0 is idle and ignored; COUNT > 63, a wrong report ID or a short report is dropped and counted
 *   (`discardedReports`). The unwrapped bytes go to the driver's framer, which finds the frames as on a serial line.
 *
 * `IdCardHidEnvelopeTransport` wraps any Transport (normally HidTransport) so IdCardReaderDriver runs unchanged.
 */
import { DriverError } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { ListenerSet, type Transport } from '../transport/transport.js';

export interface HidEnvelopeOptions {
  /** Report size without the report ID; default 64. */
  reportSize?: number;
  /** Report ID put before each output report; default 0x00. */
  reportId?: number;
  /** Report ID the device puts first in each input report; default undefined (unnumbered input reports). */
  inputReportId?: number;
}

function sizes(o: HidEnvelopeOptions): { reportSize: number; perReport: number } {
  const reportSize = o.reportSize ?? 64;
  if (reportSize < 2 || reportSize > 256) throw new DriverError('TRANSPORT_UNSUPPORTED', `HID report size ${reportSize} is not 2..256`);
  return { reportSize, perReport: Math.min(255, reportSize - 1) };
}

/** Splits a frame into output reports, each prefixed with the report ID for hidapi's write. */
export function wrapInReports(frame: Uint8Array, options: HidEnvelopeOptions = {}): Uint8Array[] {
  const { reportSize, perReport } = sizes(options);
  const out: Uint8Array[] = [];
  for (let i = 0; i < frame.length; i += perReport) {
    const part = frame.subarray(i, i + perReport);
    const r = new Uint8Array(1 + reportSize);
    r[0] = options.reportId ?? 0x00;
    r[1] = part.length;
    r.set(part, 2);
    out.push(r);
  }
  return out;
}

export type UnwrapResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'report-id' | 'count' | 'short' };

/** The frame bytes carried by one input report (empty for an idle report). */
export function unwrapReport(report: Uint8Array, options: HidEnvelopeOptions = {}): UnwrapResult {
  const { perReport } = sizes(options);
  let r = report;
  if (options.inputReportId !== undefined) {
    if (r[0] !== options.inputReportId) return { ok: false, reason: 'report-id' };
    r = r.subarray(1);
  }
  if (r.length < 1) return { ok: false, reason: 'short' };
  const count = r[0]!;
  if (count > perReport) return { ok: false, reason: 'count' };
  if (r.length < 1 + count) return { ok: false, reason: 'short' };
  return { ok: true, bytes: r.subarray(1, 1 + count) };
}

export class IdCardHidEnvelopeTransport implements Transport {
  readonly readable = true;
  readonly description: string;
  private readonly data = new ListenerSet<[Buffer]>();
  private readonly log: DriverLogger;
  /** Input reports dropped as malformed (wrong report ID, impossible COUNT, too short). */
  discardedReports = 0;

  constructor(
    private readonly inner: Transport,
    private readonly options: HidEnvelopeOptions & { logger?: DriverLogger } = {},
  ) {
    sizes(options);
    this.description = `${inner.description} (id-card envelope)`;
    this.log = options.logger ?? silentLogger;
    inner.onData((report) => this.onReport(report));
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async write(frame: Uint8Array): Promise<void> {
    for (const report of wrapInReports(frame, this.options)) await this.inner.write(report);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.inner.onClose(listener);
  }

  private onReport(report: Buffer): void {
    const r = unwrapReport(report, this.options);
    if (!r.ok) {
      this.discardedReports++;
      this.log.warn({ transport: this.inner.description, reason: r.reason, length: report.length }, 'malformed HID report dropped');
      return;
    }
    if (r.bytes.length > 0) this.data.emit(Buffer.from(r.bytes));
  }
}
