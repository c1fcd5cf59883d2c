/**
 * Coded errors of the catalog on the host side, in the config range (4100-4199) of main/errors.ts. Kept here until
 * the lead merges the codes into HostErrorCodes.
 */
export const CatalogErrorCodes = {
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
} as const;
export type CatalogErrorCode = keyof typeof CatalogErrorCodes;

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly code: CatalogErrorCode;
  readonly detail: Readonly<Record<string, unknown>> | undefined;
  constructor(code: CatalogErrorCode, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = options?.detail;
  }
}

export function isCatalogError(e: unknown, code?: CatalogErrorCode): e is CatalogError {
  return e instanceof CatalogError && (code === undefined || e.code === code);
}
