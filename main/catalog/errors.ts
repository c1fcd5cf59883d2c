import { HostError, isHostError, type HostErrorCode } from '../errors.js';

/**
 * Errors of the service catalog are host errors with codes in the config range (CATALOG_*, 4100-4199 in
 * main/errors.ts); these names keep the catalog code readable.
 */
export type CatalogErrorCode = Extract<HostErrorCode, `CATALOG_${string}`>;
export { HostError as CatalogError };

export function isCatalogError(e: unknown, code?: CatalogErrorCode): e is HostError {
  return isHostError(e) && e.code.startsWith('CATALOG_') && (code === undefined || e.code === code);
}
