import { describe, expect, it } from 'vitest';
import {
  CATALOG_CSV_COLUMNS,
  SAMPLE_CATALOG_JSON,
  catalogFromCsv,
  catalogToCsv,
  departmentGroups,
  findItem,
  formatMaterialForm,
  itemsByDepartment,
  itemsByLifeEvent,
  itemsByTheme,
  lifeEventGroups,
  localize,
  parseCsv,
  themeGroups,
  validateCatalog,
  type Catalog,
  type CatalogEnvelope,
} from './index.js';

function sample(): Catalog {
  const r = validateCatalog(SAMPLE_CATALOG_JSON);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.catalog;
}
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
function envelopeOf(c: Catalog): CatalogEnvelope {
  const { items: _items, ...env } = c;
  return env;
}

describe('sample catalog', () => {
  const catalog = sample();

  it('is valid, marked as sample data and has at least 32 items', () => {
    expect(catalog.sampleData).toBe(true);
    expect(catalog.items.length).toBeGreaterThanOrEqual(32);
    expect(catalog.forms.length).toBeGreaterThanOrEqual(3);
  });

  it('covers every theme and has unique ids', () => {
    expect(new Set(catalog.items.map((i) => i.theme)).size).toBe(12);
    expect(new Set(catalog.items.map((i) => i.id)).size).toBe(catalog.items.length);
  });

  it('keeps the public fee standards', () => {
    const fee = (id: string) => {
      const f = findItem(catalog, id)!.fees;
      return f.kind === 'charged' ? f.items.map((x) => x.amountCny) : 'free';
    };
    expect(fee('gd-hj-001')).toEqual([20]); // 居民身份证 20元
    expect(fee('gd-hj-003')).toEqual([40]); // 遗失补领 40元
    expect(fee('gd-hj-004')).toEqual([10]); // 临时身份证 10元
    expect(fee('gd-hy-001')).toBe('free'); // 婚姻登记免费
    expect(fee('gd-crj-001')).toEqual([120]);
  });

  it('uses fictitious phone numbers only (12345 or 020-12345xxx)', () => {
    for (const i of catalog.items) expect(i.phone).toMatch(/^(12345|020-12345\d{3})$/);
  });

  it('has Traditional text that differs from Simplified where the characters differ', () => {
    const item = findItem(catalog, 'gd-sb-001')!;
    expect(item.name['zh-TW']).toBe('社會保障卡申領');
    expect(item.materials[0]!.name['zh-TW']).toBe('居民身份證');
  });
});

describe('localize', () => {
  it('falls back from English to zh-CN only', () => {
    const t = { 'zh-CN': '身份证', 'zh-TW': '身份證' };
    expect(localize(t, 'en')).toBe('身份证');
    expect(localize(t, 'zh-TW')).toBe('身份證');
    expect(localize({ ...t, en: 'ID card' }, 'en')).toBe('ID card');
  });

  it('phrases material forms', () => {
    expect(formatMaterialForm({ form: 'original-and-copy', copies: 2 }, 'zh-CN')).toBe('原件和复印件各2份');
    expect(formatMaterialForm({ form: 'copy', copies: 3 }, 'zh-TW')).toBe('複印件3份');
    expect(formatMaterialForm({ form: 'original', copies: 1 }, 'en')).toBe('Original ×1');
  });
});

describe('validateCatalog', () => {
  it('reports one entry per bad row with index, id and path', () => {
    const raw = clone(SAMPLE_CATALOG_JSON) as { items: Record<string, unknown>[] };
    (raw.items[2]!['materials'] as Record<string, unknown>[])[1]!['copies'] = 0;
    raw.items[2]!['phone'] = '13800138000';
    raw.items[5]!['theme'] = 'weather';
    const r = validateCatalog(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.index, e.id, e.path])).toEqual([
      [2, 'gd-sb-003', 'materials[1].copies'],
      [5, 'gd-sb-006', 'theme'],
    ]);
    expect(r.errors[0]!.issues.map((i) => i.path)).toEqual(['materials[1].copies', 'phone']);
    expect(r.errors[0]!.message).toMatch(/^Item 3 \(gd-sb-003\): materials\[1\]\.copies: .*; phone: /);
  });

  it('checks invariants: promised ≤ legal, 即办件 has promised 0', () => {
    const raw = clone(SAMPLE_CATALOG_JSON) as { items: Record<string, unknown>[] };
    raw.items[0]!['promisedTimeLimitDays'] = 30; // immediate item, legal 20
    const r = validateCatalog(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.issues.map((i) => i.path).sort()).toEqual(['promisedTimeLimitDays', 'serviceType']);
  });

  it('finds duplicate ids and dangling document references', () => {
    const raw = clone(SAMPLE_CATALOG_JSON) as { items: Record<string, unknown>[] };
    raw.items[1]!['id'] = 'gd-sb-001';
    raw.items[0]!['documents'] = [
      { id: 'no-such-form', title: { 'zh-CN': '表', 'zh-TW': '表' }, kind: 'blank-form' },
      { id: 'gd-zz-999', title: { 'zh-CN': '指南', 'zh-TW': '指南' }, kind: 'guide' },
    ];
    const r = validateCatalog(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.issues.map((i) => `${e.index}:${i.path}:${i.code}`))).toEqual([
      ['0:documents[0].id:unknown-form', '0:documents[1].id:unknown-item'],
      ['1:id:duplicate-id'],
    ]);
  });

  it('reports envelope problems with index null', () => {
    const raw = clone(SAMPLE_CATALOG_JSON) as Record<string, unknown>;
    delete raw['sampleData'];
    const r = validateCatalog(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ index: null, path: 'sampleData' });
  });

  it('refuses what is not a catalog object', () => {
    for (const bad of [null, [], 'x', { items: 'x' }]) {
      const r = validateCatalog(bad);
      expect(r.ok).toBe(false);
    }
  });
});

describe('CSV', () => {
  const catalog = sample();

  it('round-trips every item exactly', () => {
    const csv = catalogToCsv(catalog);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe('\uFEFF' + CATALOG_CSV_COLUMNS.join(','));
    const back = catalogFromCsv(csv, envelopeOf(catalog));
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.catalog).toEqual(catalog);
  });

  it('accepts LF line ends, no BOM and columns in another order', () => {
    const records = parseCsv(catalogToCsv(catalog));
    const order = [...CATALOG_CSV_COLUMNS.keys()].reverse();
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const text = records.map((r) => order.map((i) => quote(r.cells[i]!)).join(',')).join('\n');
    const back = catalogFromCsv(text, envelopeOf(catalog));
    expect(back.ok).toBe(true);
  });

  it('reports every bad record with its line number', () => {
    const records = parseCsv(catalogToCsv(catalog));
    const col = (name: string) => CATALOG_CSV_COLUMNS.indexOf(name as (typeof CATALOG_CSV_COLUMNS)[number]);
    // Record 2 (item index 1): broken materials JSON. Record 4 (index 3): bad boolean and bad theme.
    records[2]!.cells[col('materials')] = '[{"name": ';
    records[4]!.cells[col('onlineAvailable')] = 'yes';
    records[4]!.cells[col('theme')] = 'weather';
    // A multi-line cell in record 1 pushes the following lines down.
    records[1]!.cells[col('name.zh-CN')] = '社会保障卡\n申领';
    const text = records.map((r) => r.cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
    const r = catalogFromCsv(text, envelopeOf(catalog));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.index, e.id, e.issues.map((i) => `${i.path}:${i.code}`)])).toEqual([
      [4, 1, 'gd-sb-002', ['materials:csv-cell']],
      [6, 3, 'gd-sb-004', ['onlineAvailable:csv-cell', 'theme:invalid_value']],
    ]);
    expect(r.errors[0]!.message).toMatch(/^Line 4 \(gd-sb-002\): materials: not valid JSON/);
  });

  it('reports header problems on line 1', () => {
    const csv = catalogToCsv(catalog).replace('serviceType,', 'svcType,');
    const r = catalogFromCsv(csv, envelopeOf(catalog));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ index: null, line: 1 });
    expect(r.errors[0]!.issues.map((i) => i.message)).toEqual(['unknown column "svcType"', 'missing column "serviceType"']);
  });

  it('reports a record with the wrong number of cells and an unterminated quote', () => {
    const header = CATALOG_CSV_COLUMNS.join(',');
    const short = catalogFromCsv(`${header}\ngd-sb-001,a,b\n`, envelopeOf(catalog));
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.errors[0]!.issues[0]).toMatchObject({ code: 'csv-shape', message: `has 3 cells, the header has ${CATALOG_CSV_COLUMNS.length}` });
    const open = catalogFromCsv(`${header}\n"gd-sb-001,\n`, envelopeOf(catalog));
    expect(open.ok).toBe(false);
    if (!open.ok) expect(open.errors[0]).toMatchObject({ index: null, line: 2 });
  });

  it('parses quoted cells with commas, quotes and newlines', () => {
    expect(parseCsv('a,"b,c","d ""e""\nf"\r\n\r\n1,2,3')).toEqual([
      { line: 1, cells: ['a', 'b,c', 'd "e"\nf'] },
      { line: 4, cells: ['1', '2', '3'] },
    ]);
  });
});

describe('browse', () => {
  const catalog = sample();

  it('groups by theme in tile order, by life event and by department', () => {
    const themes = themeGroups(catalog, 'zh-CN');
    expect(themes[0]).toEqual({ key: 'social-insurance', label: '社保', count: itemsByTheme(catalog, 'social-insurance').length });
    expect(themes.reduce((n, g) => n + g.count, 0)).toBe(catalog.items.length);
    expect(themeGroups(catalog, 'zh-TW').find((g) => g.key === 'housing-fund')!.label).toBe('公積金');
    const newborn = itemsByLifeEvent(catalog, 'newborn').map((i) => i.id);
    expect(newborn).toEqual(expect.arrayContaining(['gd-hj-007', 'gd-yb-004', 'gd-sb-001', 'gd-yb-003']));
    expect(lifeEventGroups(catalog, 'en').find((g) => g.key === 'retirement')!.label).toBe('Retirement');
    const depts = departmentGroups(catalog, 'zh-CN');
    expect(depts.reduce((n, g) => n + g.count, 0)).toBe(catalog.items.length);
    expect(itemsByDepartment(catalog, 'gz-housing-fund').every((i) => i.theme === 'housing-fund')).toBe(true);
  });
});
