import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CATALOG_JSON } from '../../kiosk-config/catalog/index.js';
import { isCatalogError, type CatalogError } from './errors.js';
import { loadCatalogFile } from './load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'catalog-load-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('loadCatalogFile', () => {
  it('loads the sample catalog (with a BOM)', async () => {
    const catalog = await loadCatalogFile(write('ok.json', '\uFEFF' + JSON.stringify(SAMPLE_CATALOG_JSON)));
    expect(catalog.items.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a missing file or bad JSON as unreadable', async () => {
    await expect(loadCatalogFile(path.join(dir, 'none.json'))).rejects.toSatisfy((e) => isCatalogError(e, 'CATALOG_UNREADABLE'));
    await expect(loadCatalogFile(write('bad.json', '{'))).rejects.toSatisfy((e) => isCatalogError(e, 'CATALOG_UNREADABLE'));
  });

  it('refuses an invalid catalog with the row report', async () => {
    const raw = JSON.parse(JSON.stringify(SAMPLE_CATALOG_JSON)) as { items: Record<string, unknown>[] };
    raw.items[0]!['serviceType'] = 'eventually';
    const err = await loadCatalogFile(write('invalid.json', JSON.stringify(raw))).catch((e: unknown) => e);
    expect(isCatalogError(err, 'CATALOG_INVALID')).toBe(true);
    const errors = (err as CatalogError).detail!['errors'] as { index: number; path: string }[];
    expect(errors).toEqual([expect.objectContaining({ index: 0, path: 'serviceType' })]);
  });
});
