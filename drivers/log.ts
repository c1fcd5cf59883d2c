/**
 * The logger drivers receive. The host injects a per-subsystem child logger (`createLogger('drivers/id-card')`) whose
 * redaction step is the last line of defence; drivers themselves never pass personal data (names, ID numbers,
 * addresses, photos, raw ID-card text blocks) to a logger or a trace.
 */
export interface DriverLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export const silentLogger: DriverLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One line of a protocol trace, as the technician's live trace shows it. */
export interface TraceEntry {
  device: string;
  dir: 'tx' | 'rx' | 'discarded';
  /** epoch ms */
  at: number;
  length: number;
  /** Hex of the bytes; for frames that carry personal data only the header, followed by `…[redacted N bytes]`. */
  hex: string;
  /** Decoded meaning, e.g. `find card (20 01)` or `SW3 9F find OK`. Never personal data. */
  meaning: string;
}

export type TraceSink = (entry: TraceEntry) => void;

export function toHex(bytes: Uint8Array, max = 64): string {
  const parts: string[] = [];
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) parts.push(bytes[i]!.toString(16).padStart(2, '0').toUpperCase());
  return parts.join(' ') + (bytes.length > max ? ` …(+${bytes.length - max})` : '');
}
