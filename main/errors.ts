/**
 * Coded errors of the host layers (the drivers have their own, 1000-3999, in drivers/errors.ts):
 *   4000-4999 config   5000-5999 storage   6000-6999 queue   7000-7999 auth/staff   8000-8999 bridge/request
 * Across the bridge an error travels as `{ code, message }` with the symbolic code; the renderer maps codes to
 * sentences that tell the citizen what to do.
 */
export const HostErrorCodes = {
  CONFIG_INVALID: 4001,
  CONFIG_NOT_FOUND: 4002,
  CONFIG_UNREADABLE: 4003,
  CONFIG_VERSION_UNKNOWN: 4004,
  // service catalog (4100-4199)
  /** The catalog file or import failed validation; `detail.errors` holds the row report. */
  CATALOG_INVALID: 4101,
  /** The catalog file could not be read or is not JSON. */
  CATALOG_UNREADABLE: 4102,
  /** No item with the requested id. */
  CATALOG_ITEM_UNKNOWN: 4103,
  /** No blank form with the requested id. */
  CATALOG_FORM_UNKNOWN: 4104,
  /** No CJK font file found for PDF rendering. */
  CATALOG_FONT_MISSING: 4105,
  /** pdfkit failed while rendering a document. */
  CATALOG_RENDER_FAILED: 4106,
  STORAGE_OPEN_FAILED: 5001,
  STORAGE_MIGRATION_FAILED: 5002,
  STORAGE_TOO_NEW: 5003,
  STORAGE_WRITE_FAILED: 5004,
  QUEUE_CATEGORY_UNKNOWN: 6001,
  QUEUE_CLOSED: 6002,
  QUEUE_QUOTA_REACHED: 6003,
  QUEUE_PERSON_LIMIT: 6004,
  QUEUE_ID_REQUIRED: 6005,
  QUEUE_TICKET_UNKNOWN: 6006,
  QUEUE_INVALID_STATE: 6007,
  QUEUE_HOST_UNREACHABLE: 6008,
  QUEUE_APPOINTMENT_UNKNOWN: 6009,
  QUEUE_APPOINTMENT_TOO_EARLY: 6010,
  QUEUE_APPOINTMENT_TOO_LATE: 6011,
  QUEUE_ALREADY_RATED: 6012,
  QUEUE_REASON_REQUIRED: 6013,
  QUEUE_COUNTER_UNKNOWN: 6014,
  /** The hall refuses tickets while the receipt printer cannot print (`queue.whenPrinterDown: refuse`). */
  QUEUE_PRINTER_DOWN: 6015,
  AUTH_REQUIRED: 7001,
  AUTH_FORBIDDEN: 7002,
  AUTH_WRONG_PIN: 7003,
  AUTH_LOCKED: 7004,
  AUTH_NOT_CONFIGURED: 7005,
  AUTH_PIN_WEAK: 7006,
  BAD_REQUEST: 8001,
  UNKNOWN_REQUEST: 8002,
  NOT_AVAILABLE: 8003,
  INTERNAL: 8999,
} as const;

export type HostErrorCode = keyof typeof HostErrorCodes;

export class HostError extends Error {
  override readonly name = 'HostError';
  readonly code: HostErrorCode;
  readonly detail: Readonly<Record<string, unknown>> | undefined;
  constructor(code: HostErrorCode, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = options?.detail;
  }
}

export function isHostError(e: unknown, code?: HostErrorCode): e is HostError {
  return e instanceof HostError && (code === undefined || e.code === code);
}
