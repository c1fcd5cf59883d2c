/**
 * Printer status: DLE EOT n requests (real-time status, n = 1..4, one answer byte each) and GS a automatic status
 * back (4-byte answers), parsed into one `PrinterStatus`, and the DriverError code that blocks printing.
 * Pure: no I/O, no timers. Bit 0 = least significant.
 */
import { assertNever, type DriverErrorCode } from '../errors.js';
import { toHex } from '../log.js';

export type StatusRequest = 1 | 2 | 3 | 4;
export const STATUS_REQUESTS: readonly StatusRequest[] = [1, 2, 3, 4];

/** What each DLE EOT n asks for (the names the trace shows). */
export const STATUS_REQUEST_MEANING: Record<StatusRequest, string> = {
  1: 'printer status',
  2: 'offline cause status',
  3: 'error cause status',
  4: 'roll paper sensor status',
};

/** DLE EOT n = real-time status transmission (10 04 n). */
export function statusRequestBytes(n: StatusRequest): Uint8Array {
  return Uint8Array.of(0x10, 0x04, n);
}

/**
 * A DLE EOT answer has bits 1 and 4 set and bits 0 and 7 clear (fixed bits, escpos.md: "0x12 means all clear").
 * Anything else is not a status byte (noise, XON/XOFF, an ASB block) and must not be read as one.
 */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** The first byte of a GS a (ASB) block: bit 4 set, bits 0, 1 and 7 clear (so it can never pass as a DLE EOT byte). */
export function isAsbHeader(b: number): boolean {
  return (b & 0x93) === 0x10;
}

/** Bytes 2..4 of an ASB block have bits 4 and 7 clear. */
export function isAsbTrailer(b: number): boolean {
  return (b & 0x90) === 0x00;
}

/** Meaning of the DLE EOT 4 bits, a printer profile property (`PrinterProfile.dleEot4Layout`). */
export type DleEot4Layout = 'standard' | 'presenter';

export type StatusByteMeaning =
  | { n: 1; offline: boolean; waitingForRecovery: boolean; drawerPinHigh: boolean }
  | { n: 2; coverOpen: boolean; feedButton: boolean; paperEndStop: boolean; errorOccurred: boolean }
  | { n: 3; cutterError: boolean; unrecoverable: boolean; autoRecoverable: boolean }
  | { n: 4; paperNearEnd: boolean; paperEnd: boolean; paperInPresenter: boolean };

const bit = (b: number, i: number): boolean => (b & (1 << i)) !== 0;

/**
 * Parses the answer to DLE EOT n; undefined when `b` is not a status byte (fixed bits wrong). `layout` says what
 * DLE EOT 4 bit 6 means (default 'standard': a second paper-end sensor bit; 'presenter': the presenter sensor).
 */
export function parseStatusByte(n: StatusRequest, b: number, layout: DleEot4Layout = 'standard'): StatusByteMeaning | undefined {
  if (!isStatusByte(b)) return undefined;
  switch (n) {
    case 1:
      return { n, offline: bit(b, 3), waitingForRecovery: bit(b, 5), drawerPinHigh: bit(b, 2) };
    case 2:
      return { n, coverOpen: bit(b, 2), feedButton: bit(b, 3), paperEndStop: bit(b, 5), errorOccurred: bit(b, 6) };
    case 3:
      return { n, cutterError: bit(b, 3), unrecoverable: bit(b, 5), autoRecoverable: bit(b, 6) };
    case 4:
      switch (layout) {
        case 'standard':
          // Two sensor bits each (2+3 near end, 5+6 end): either set counts, some printers report only one.
          return { n, paperNearEnd: bit(b, 2) || bit(b, 3), paperEnd: bit(b, 5) || bit(b, 6), paperInPresenter: false };
        case 'presenter':
          // Presenter printers (e.g. Citizen PPU-231II) report paper end in bit 5 only; bit 6 = paper in the presenter.
          return { n, paperNearEnd: bit(b, 2) || bit(b, 3), paperEnd: bit(b, 5), paperInPresenter: bit(b, 6) };
        default:
          return assertNever(layout, 'DLE EOT 4 layout');
      }
    default:
      return assertNever(n, 'DLE EOT n');
  }
}

/** Short human meaning of one answer byte, for traces: `0x1E near end`. No personal data can occur here. */
export function describeStatusByte(n: StatusRequest, b: number, layout: DleEot4Layout = 'standard'): string {
  const hex = `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  const m = parseStatusByte(n, b, layout);
  if (!m) return `${hex} not a status byte`;
  const flags: string[] = [];
  switch (m.n) {
    case 1:
      if (m.offline) flags.push('offline');
      if (m.waitingForRecovery) flags.push('waiting for online recovery');
      if (m.drawerPinHigh) flags.push('drawer pin high');
      break;
    case 2:
      if (m.coverOpen) flags.push('cover open');
      if (m.feedButton) flags.push('feed button');
      if (m.paperEndStop) flags.push('stopped: paper end');
      if (m.errorOccurred) flags.push('error occurred');
      break;
    case 3:
      if (m.cutterError) flags.push('auto-cutter error');
      if (m.unrecoverable) flags.push('unrecoverable error');
      if (m.autoRecoverable) flags.push('auto-recoverable error');
      break;
    case 4:
      if (m.paperEnd) flags.push('paper end');
      if (m.paperNearEnd) flags.push('near end');
      if (m.paperInPresenter) flags.push('paper in presenter');
      break;
    default:
      assertNever(m, 'status byte meaning');
  }
  return `${hex} ${flags.length ? flags.join(', ') : n === 4 ? 'paper adequate' : 'all clear'}`;
}

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperEnd: boolean;
  cutterError: boolean;
  unrecoverable: boolean;
  autoRecoverable: boolean;
  feedButton: boolean;
  /** A ticket waits in the presenter (presenter printers only; DLE EOT 4 bit 6 on the 'presenter' layout). */
  paperInPresenter?: boolean;
  /** Where the status came from and its raw bytes (hex), for diagnostics. */
  source: 'dle-eot' | 'asb';
  raw: string;
}

/**
 * Combines the four DLE EOT answers (n = 1, 2, 3, 4 in this order). Returns undefined if any byte is not a status
 * byte; the caller treats that as a protocol error rather than guessing.
 */
export function combineStatus(bytes: readonly [number, number, number, number], layout: DleEot4Layout = 'standard'): PrinterStatus | undefined {
  const [a, b, c, d] = [parseStatusByte(1, bytes[0]), parseStatusByte(2, bytes[1]), parseStatusByte(3, bytes[2]), parseStatusByte(4, bytes[3], layout)];
  if (a?.n !== 1 || b?.n !== 2 || c?.n !== 3 || d?.n !== 4) return undefined;
  return {
    online: !a.offline,
    coverOpen: b.coverOpen,
    // DLE EOT 2 bit 5 (printing stopped by paper end) and DLE EOT 4 bits 5/6 (sensor) both mean paper end.
    paperEnd: b.paperEndStop || d.paperEnd,
    paperNearEnd: d.paperNearEnd,
    cutterError: c.cutterError,
    unrecoverable: c.unrecoverable,
    autoRecoverable: c.autoRecoverable,
    feedButton: b.feedButton,
    ...(layout === 'presenter' ? { paperInPresenter: d.paperInPresenter } : {}),
    source: 'dle-eot',
    raw: toHex(Uint8Array.from(bytes)),
  };
}

/**
 * Parses a GS a (ASB) 4-byte block (Epson TM layout; escpos.md gives only the length, so this follows the Epson
 * reference — check it on the target printer):
 *   byte 1: bit 2 drawer pin, bit 3 offline, bit 5 cover open, bit 6 paper fed by button
 *   byte 2: bit 2 recoverable (mechanical) error, bit 3 auto-cutter error, bit 5 unrecoverable, bit 6 auto-recoverable
 *   byte 3: bits 0+1 roll paper near end, bits 2+3 roll paper end
 *   byte 4: vendor-specific, ignored
 * Returns undefined when the fixed bits do not match.
 */
export function parseAsb(bytes: ArrayLike<number>): PrinterStatus | undefined {
  if (bytes.length !== 4) return undefined;
  const [b1, b2, b3, b4] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (!isAsbHeader(b1) || !isAsbTrailer(b2) || !isAsbTrailer(b3) || !isAsbTrailer(b4)) return undefined;
  return {
    online: !bit(b1, 3),
    coverOpen: bit(b1, 5),
    feedButton: bit(b1, 6),
    cutterError: bit(b2, 3),
    unrecoverable: bit(b2, 5),
    autoRecoverable: bit(b2, 6) || bit(b2, 2),
    paperNearEnd: bit(b3, 0) || bit(b3, 1),
    paperEnd: bit(b3, 2) || bit(b3, 3),
    source: 'asb',
    raw: toHex(Uint8Array.of(b1, b2, b3, b4)),
  };
}

/**
 * The error that blocks printing, most specific cause first: a paper-end or cover-open printer is also offline, and
 * the citizen-facing message must name the cause. Near end does not block (it is a warning).
 */
export function blockingCode(status: PrinterStatus): DriverErrorCode | undefined {
  if (status.coverOpen) return 'PRINTER_COVER_OPEN';
  if (status.paperEnd) return 'PRINTER_PAPER_END';
  if (status.cutterError) return 'PRINTER_CUTTER_ERROR';
  if (status.unrecoverable) return 'PRINTER_UNRECOVERABLE';
  if (status.autoRecoverable) return 'PRINTER_RECOVERABLE';
  if (!status.online) return 'PRINTER_OFFLINE';
  return undefined;
}

export type PrinterState = 'unknown' | 'ok' | 'warning' | 'error' | 'offline' | 'disconnected';

/** ok / warning (near end) / error (a named fault) / offline (offline without a named cause). */
export function stateOf(status: PrinterStatus): PrinterState {
  const code = blockingCode(status);
  if (code === 'PRINTER_OFFLINE') return 'offline';
  if (code) return 'error';
  return status.paperNearEnd ? 'warning' : 'ok';
}
