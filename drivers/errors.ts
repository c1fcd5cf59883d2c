/**
 * Coded errors of the hardware layer. Codes are numbered by range so a log reader can tell the layer at a glance:
 *   1000-1999 transport (port could not open, unplugged, write failed)
 *   2000-2999 protocol  (time-out waiting for an answer, bad checksum, malformed or unexpected frame)
 *   3000-3999 device    (the device answered, and the answer is a fault: no card, paper end, SAM fault...)
 * The wire form across the UI bridge is the symbolic name (`code`), never the message; tests assert codes.
 */
export const DriverErrorCodes = {
  // transport
  TRANSPORT_OPEN_FAILED: 1001,
  TRANSPORT_NOT_OPEN: 1002,
  TRANSPORT_WRITE_FAILED: 1003,
  TRANSPORT_DISCONNECTED: 1004,
  TRANSPORT_UNSUPPORTED: 1005,
  // protocol
  PROTOCOL_TIMEOUT: 2001,
  PROTOCOL_CHECKSUM: 2002,
  PROTOCOL_LENGTH: 2003,
  PROTOCOL_UNEXPECTED_RESPONSE: 2004,
  PROTOCOL_MALFORMED: 2005,
  // device: generic
  DEVICE_BUSY: 3001,
  DEVICE_NOT_READY: 3002,
  DEVICE_CLOSED: 3003,
  // device: ID card reader (GA/T 467 SW3 faults)
  IDCARD_NO_CARD: 3101,
  IDCARD_SELECT_FAILED: 3102,
  IDCARD_READ_FAILED: 3103,
  IDCARD_SAM_FAULT: 3104,
  IDCARD_AUTH_FAILED: 3105,
  IDCARD_UNSUPPORTED_CARD: 3106,
  IDCARD_HOST_FRAME_REJECTED: 3107,
  IDCARD_NO_CONTENT: 3108,
  // device: receipt printer
  PRINTER_OFFLINE: 3201,
  PRINTER_COVER_OPEN: 3202,
  PRINTER_PAPER_END: 3203,
  PRINTER_CUTTER_ERROR: 3204,
  PRINTER_UNRECOVERABLE: 3205,
  PRINTER_RECOVERABLE: 3206,
  PRINTER_UNPRINTABLE_TEXT: 3207,
  PRINTER_NO_STATUS: 3208,
  // device: scanner / display / A4
  SCANNER_PAYLOAD_TOO_LONG: 3301,
  DISPLAY_REJECTED: 3401,
  SPOOLER_FAILED: 3501,
} as const;

export type DriverErrorCode = keyof typeof DriverErrorCodes;

/** Codes after which the same operation may succeed if simply tried again (used by retry loops and the UI). */
const TRANSIENT: ReadonlySet<DriverErrorCode> = new Set<DriverErrorCode>([
  'TRANSPORT_DISCONNECTED',
  'TRANSPORT_OPEN_FAILED',
  'PROTOCOL_TIMEOUT',
  'PROTOCOL_CHECKSUM',
  'PROTOCOL_LENGTH',
  'PROTOCOL_MALFORMED',
  'DEVICE_BUSY',
  'IDCARD_NO_CARD',
  'IDCARD_SELECT_FAILED',
  'IDCARD_READ_FAILED',
  'PRINTER_RECOVERABLE',
]);

export class DriverError extends Error {
  override readonly name = 'DriverError';
  readonly code: DriverErrorCode;
  /** Extra machine-readable facts (never personal data). */
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: DriverErrorCode, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = options?.detail;
  }

  get numericCode(): number {
    return DriverErrorCodes[this.code];
  }

  isTransient(): boolean {
    return TRANSIENT.has(this.code);
  }

  isTransport(): boolean {
    return this.numericCode >= 1000 && this.numericCode < 2000;
  }
}

export function isDriverError(e: unknown, code?: DriverErrorCode): e is DriverError {
  return e instanceof DriverError && (code === undefined || e.code === code);
}

/** Turns any thrown value into a DriverError without losing it (kept as `cause`). */
export function asDriverError(e: unknown, fallback: DriverErrorCode, message?: string): DriverError {
  if (e instanceof DriverError) return e;
  const text = e instanceof Error ? e.message : String(e);
  return new DriverError(fallback, message ?? text, { cause: e });
}

/** Exhaustiveness guard for `switch` over unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
