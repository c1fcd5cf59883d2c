import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CATALOG_JSON, validateCatalog, type Catalog } from '../../kiosk-config/catalog/index.js';
import { CatalogSearchIndex, normalizeForSearch } from './search.js';

let catalog: Catalog;
let index: CatalogSearchIndex;
beforeAll(() => {
  const r = validateCatalog(SAMPLE_CATALOG_JSON);
  if (!r.ok) throw new Error('sample catalog invalid');
  catalog = r.catalog;
  index = new CatalogSearchIndex(catalog.items);
});
const ids = (q: string, limit = 10) => index.search(q, { limit }).map((h) => h.item.id);

describe('CatalogSearchIndex', () => {
  it('indexes every item', () => {
    expect(index.size).toBe(catalog.items.length);
  });

  it('finds Chinese substrings, name hits first', () => {
    const hits = index.search('身份证');
    expect(hits.slice(0, 4).map((h) => h.item.id).sort()).toEqual(['gd-hj-001', 'gd-hj-002', 'gd-hj-003', 'gd-hj-004']);
    expect(hits.slice(0, 4).every((h) => h.field === 'name' || h.field === 'alias')).toBe(true);
    // Items that only ask for an ID card as a material come after every name hit.
    const firstMaterial = hits.findIndex((h) => h.field === 'material');
    expect(firstMaterial).toBeGreaterThanOrEqual(4);
  });

  it('ranks a name hit above a material hit', () => {
    const hits = index.search('结婚证');
    expect(hits[0]!.item.id).toBe('gd-hy-001');
    expect(hits[0]!.field).not.toBe('material');
    const material = hits.find((h) => h.item.id === 'gd-gjj-002')!;
    expect(material.field).toBe('material');
    expect(material.score).toBeLessThan(hits[0]!.score);
  });

  it('is tolerant of Traditional and mixed script', () => {
    expect(ids('社保卡申領')[0]).toBe('gd-sb-001');
    expect(ids('護照')[0]).toBe('gd-crj-001');
    expect(ids('住房公積金')).toEqual(expect.arrayContaining(['gd-gjj-001', 'gd-gjj-002', 'gd-gjj-003', 'gd-gjj-004']));
    expect(normalizeForSearch('戶口遷移（省內）')).toBe('户口迁移省内');
  });

  it('finds by pinyin initials', () => {
    expect(ids('sbk')[0]).toBe('gd-sb-001');
    expect(ids('sbk')).toContain('gd-sb-002');
    const gjj = ids('gjj');
    expect(gjj.slice(0, 4).sort()).toEqual(['gd-gjj-001', 'gd-gjj-002', 'gd-gjj-003', 'gd-gjj-004']);
    expect(index.search('sbk')[0]!.via).toBe('initials');
  });

  it('finds by full pinyin, and not through prefixes of other syllables', () => {
    const shebao = index.search('shebao', { limit: 50 });
    expect(shebao[0]!.item.theme).toBe('social-insurance');
    expect(shebao.every((h) => h.item.theme === 'social-insurance')).toBe(true);
    expect(shebao[0]!.via).toBe('pinyin');
    // 参保 is shen-bao: `shebao` must not match it, so the medical insurance enrolment is not found.
    expect(shebao.map((h) => h.item.id)).not.toContain('gd-yb-004');
    expect(ids('hukou')[0]).toBe('gd-hj-005');
    expect(ids('jiehun')[0]).toBe('gd-hy-001');
    expect(ids('zhufang gongjijin').slice(0, 4).sort()).toEqual(['gd-gjj-001', 'gd-gjj-002', 'gd-gjj-003', 'gd-gjj-004']);
  });

  it('finds English words by prefix', () => {
    expect(ids('passport')[0]).toBe('gd-crj-001');
    expect(ids('retire')[0]).toBe('gd-sb-005');
    expect(ids('ID card').slice(0, 4).sort()).toEqual(['gd-hj-001', 'gd-hj-002', 'gd-hj-003', 'gd-hj-004']);
    expect(index.search('passport')[0]!.via).toBe('english');
  });

  it('requires every term to match', () => {
    const hits = ids('公积金 退休');
    expect(hits[0]).toBe('gd-gjj-003');
    expect(hits.every((id) => ['gd-gjj-003', 'gd-sb-005'].includes(id))).toBe(true);
  });

  it('uses fuzzy character pairs only when nothing matches exactly', () => {
    const hits = index.search('社保卡的申领');
    expect(hits[0]!.item.id).toBe('gd-sb-001');
    expect(hits[0]!.via).toBe('fuzzy');
    expect(index.search('天气预报')).toEqual([]);
  });

  it('limits results, filters by theme, ignores blank queries', () => {
    expect(index.search('办理', { limit: 3 })).toHaveLength(3);
    expect(index.search('证', { theme: 'marriage', limit: 50 }).every((h) => h.item.theme === 'marriage')).toBe(true);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('x')).toEqual([]);
    expect(() => index.search('社保', { limit: 0 })).toThrow(RangeError);
  });
});
