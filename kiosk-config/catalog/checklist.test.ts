import { describe, expect, it } from 'vitest';
import { displayWidth, materialChecklistLines, wrapText } from './checklist.js';
import { CATALOG_LANGS, SAMPLE_CATALOG_JSON, validateCatalog, type Catalog } from './index.js';

function sample(): Catalog {
  const r = validateCatalog(SAMPLE_CATALOG_JSON);
  if (!r.ok) throw new Error('sample catalog invalid');
  return r.catalog;
}

describe('wrapText', () => {
  it('measures ASCII as 1 column and everything else as 2', () => {
    expect(displayWidth('AB 12')).toBe(5);
    expect(displayWidth('身份证（原件）')).toBe(14);
  });

  it('wraps hanzi at the column limit with a hanging indent', () => {
    expect(wrapText('一二三四五六七八九十', 10, '1. ', '   ')).toEqual(['1. 一二三', '   四五六', '   七八九', '   十']);
  });

  it('does not start a line with closing punctuation (carries the previous character)', () => {
    expect(wrapText('一二三四。五六', 8)).toEqual(['一二三', '四。五六']);
  });

  it('does not end a line with an opening bracket', () => {
    expect(wrapText('一二三（四）', 8)).toEqual(['一二三', '（四）']);
  });

  it('keeps ASCII words whole and cuts words longer than a line', () => {
    expect(wrapText('Social security card', 12)).toEqual(['Social', 'security', 'card']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('materialChecklistLines', () => {
  const catalog = sample();

  it('never exceeds 24 hanzi (48 columns) for any item in any language', () => {
    for (const item of catalog.items) {
      for (const lang of CATALOG_LANGS) {
        for (const line of materialChecklistLines(item, lang)) expect(displayWidth(line), `${item.id} ${lang}: ${line}`).toBeLessThanOrEqual(48);
      }
    }
  });

  it('lists every material with form, copies and 免证办 marker', () => {
    const item = catalog.items.find((i) => i.id === 'gd-gjj-001')!;
    const lines = materialChecklistLines(item, 'zh-CN', { notes: false });
    expect(lines).toEqual([
      '一次性告知·材料清单',
      '住房公积金提取（租房）',
      '-'.repeat(48),
      '1. 居民身份证',
      '   原件1份 · 必交',
      '2. 本人银行借记卡（I类账户）',
      '   原件1份 · 必交',
      '3. 无房情况证明',
      '   原件1份 · 必交',
      '   * 可免提交（数据共享）',
      '4. 房屋租赁合同（已登记备案）',
      '   原件和复印件各1份 · 视情形',
      '5. 住房公积金提取申请表',
      '   原件1份 · 必交',
      '-'.repeat(48),
      '承诺办结时限：即办',
      '收费标准：不收费',
      '办理地点：一楼公积金专区 C01-C04 号窗口',
      '办理地点：自助服务区（本终端及粤智助自助机）',
      '咨询电话：020-12345604',
    ]);
  });

  it('prints Traditional for zh-TW and honours narrower paper', () => {
    const item = catalog.items.find((i) => i.id === 'gd-hj-003')!;
    const lines = materialChecklistLines(item, 'zh-TW', { columns: 32 });
    expect(lines[1]).toBe('居民身份證補領（遺失）');
    expect(lines.some((l) => l.includes('40元'))).toBe(true);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(32);
    expect(() => materialChecklistLines(item, 'zh-CN', { columns: 10 })).toThrow(RangeError);
  });
});
