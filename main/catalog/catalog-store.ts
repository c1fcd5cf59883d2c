import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SAMPLE_CATALOG_JSON } from '../../kiosk-config/catalog/sample.js';
import { validateCatalog, type Catalog } from '../../kiosk-config/catalog/index.js';
import { CatalogError } from './errors.js';
import { CatalogSearchIndex } from './search.js';

/**
 * The hall's active service catalog and its search index. Starts from `<data-dir>/catalog.json` when a manager has
 * imported one, else from the sample catalog shipped in kiosk-config/. `replace()` takes only a validated catalog,
 * writes it atomically (temp file + rename) and swaps the index; readers always see a whole catalog.
 */
export class CatalogStore {
  private catalog_: Catalog;
  private index_: CatalogSearchIndex;
  private readonly listeners = new Set<(c: Catalog) => void>();
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'catalog.json');
    this.catalog_ = existsSync(this.file) ? parseCatalog(readFileSync(this.file, 'utf8'), this.file) : sampleCatalog();
    this.index_ = new CatalogSearchIndex(this.catalog_.items);
  }

  get catalog(): Catalog {
    return this.catalog_;
  }

  get search(): CatalogSearchIndex {
    return this.index_;
  }

  replace(catalog: Catalog): void {
    const r = validateCatalog(catalog);
    if (!r.ok) throw new CatalogError('CATALOG_INVALID', `catalog has ${r.errors.length} bad row(s)`, { detail: { errors: r.errors } });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(r.catalog, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
    this.catalog_ = r.catalog;
    this.index_ = new CatalogSearchIndex(r.catalog.items);
    for (const l of this.listeners) l(r.catalog);
  }

  onReplaced(listener: (c: Catalog) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function sampleCatalog(): Catalog {
  const r = validateCatalog(SAMPLE_CATALOG_JSON);
  if (!r.ok) throw new CatalogError('CATALOG_INVALID', `the shipped sample catalog is invalid: ${r.errors[0]?.message ?? ''}`);
  return r.catalog;
}

function parseCatalog(text: string, file: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CatalogError('CATALOG_UNREADABLE', `${file} is not valid JSON`, { cause: e });
  }
  const r = validateCatalog(json);
  if (!r.ok) throw new CatalogError('CATALOG_INVALID', `${file} has ${r.errors.length} bad row(s)`, { detail: { errors: r.errors } });
  return r.catalog;
}
