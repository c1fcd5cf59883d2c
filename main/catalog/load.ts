/**
 * Reading a catalog file on the host. A bad file is refused as a whole with the row report in the error's detail,
 * so that the caller keeps its last good catalog.
 */
import { readFile } from 'node:fs/promises';
import { validateCatalog, type Catalog } from '../../kiosk-config/catalog/index.js';
import { CatalogError } from './errors.js';

/** Reads and validates a JSON catalog. Throws CATALOG_UNREADABLE (I/O, not JSON) or CATALOG_INVALID (detail.errors). */
export async function loadCatalogFile(file: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CatalogError('CATALOG_UNREADABLE', `cannot read catalog ${file}`, { cause: e, detail: { file } });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as unknown;
  } catch (e) {
    throw new CatalogError('CATALOG_UNREADABLE', `catalog ${file} is not valid JSON`, { cause: e, detail: { file } });
  }
  const result = validateCatalog(json);
  if (!result.ok) {
    throw new CatalogError('CATALOG_INVALID', `catalog ${file} has ${result.errors.length} bad row(s): ${result.errors[0]!.message}`, {
      detail: { file, errors: result.errors },
    });
  }
  return result.catalog;
}
