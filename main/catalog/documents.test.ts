import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CATALOG_JSON, validateCatalog, type Catalog } from '../../kiosk-config/catalog/index.js';
import { findCjkFonts, renderBlankFormPdf, renderGuidePdf } from './documents.js';
import { isCatalogError } from './errors.js';

// pdftotext (poppler-utils) reads the text back; without it the rendering tests cannot check anything.
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    void e;
    return false;
  }
})();
const hasFonts = (() => {
  try {
    findCjkFonts();
    return true;
  } catch (e) {
    if (isCatalogError(e, 'CATALOG_FONT_MISSING')) return false;
    throw e;
  }
})();

const dir = mkdtempSync(path.join(tmpdir(), 'catalog-docs-'));
function pdfText(pdf: Buffer, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  // Spaces between table cells vary with the layout: compare without whitespace.
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}
const squash = (s: string) => s.replace(/\s+/g, '');
const pages = (text: string) => text.split('\f').filter((p) => p.trim() !== '').length;

let catalog: Catalog;
beforeAll(() => {
  const r = validateCatalog(SAMPLE_CATALOG_JSON);
  if (!r.ok) throw new Error('sample catalog invalid');
  catalog = r.catalog;
});
// 09:30 in the hall (+08:00), whatever zone the test machine is in: the footer prints hall time.
const printedAt = new Date('2025-01-15T01:30:00Z');

describe.skipIf(!hasPdftotext || !hasFonts)('catalog documents (pdfkit + Noto Sans CJK)', () => {
  it('renders the 一次性告知单 with every element, in Chinese that extracts as text', async () => {
    const pdf = await renderGuidePdf(catalog, 'gd-gjj-002', { printedAt });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = squash(pdfText(pdf, 'guide-gjj-002.pdf'));
    for (const s of [
      '一次性告知单',
      '住房公积金提取（购房）',
      '广州住房公积金管理中心',
      '承诺件',
      '法定办结时限3日',
      '承诺办结时限1个工作日',
      '不收费',
      '购房发票或付款凭证',
      '原件和复印件各1份',
      '可免提交（数据共享）',
      '一楼公积金专区C01-C04号窗口',
      '020-12345604',
      '《住房公积金管理条例》第二十四条',
      '住房公积金提取申请表',
      '样例数据',
      '打印时间2025-01-1509:30',
    ]) {
      expect(text).toContain(squash(s));
    }
  });

  it('renders Traditional Chinese for zh-TW and repeats the footer on every page', async () => {
    const pdf = await renderGuidePdf(catalog, 'gd-qy-001', { lang: 'zh-TW', printedAt });
    const raw = pdfText(pdf, 'guide-qy-001-tw.pdf');
    const text = squash(raw);
    expect(text).toContain('企業開辦一件事');
    expect(text).toContain('營業執照');
    expect(text).toContain('申請材料');
    const n = pages(raw);
    expect(n).toBeGreaterThanOrEqual(2);
    raw
      .split('\f')
      .filter((p) => p.trim() !== '')
      .forEach((page, i) => {
        expect(squash(page)).toContain(`第${i + 1}/${n}頁`);
        expect(squash(page)).toContain('樣例數據');
      });
  });

  it('renders at least three blank forms with their labelled boxes', async () => {
    const expected: Record<string, string[]> = {
      'sb-card-application': ['社会保障卡申领登记表', '申领人信息', '证件号码', '首次申领', '签名'],
      'gjj-withdrawal': ['住房公积金提取申请表', '个人公积金账号', '提取原因', '租房', '收款银行卡号'],
      'hukou-migration': ['户口迁移申请表', '迁出地详细地址', '迁入地详细地址', '夫妻投靠', '随迁人员'],
    };
    for (const [id, words] of Object.entries(expected)) {
      const text = squash(pdfText(await renderBlankFormPdf(catalog, id, { printedAt }), `form-${id}.pdf`));
      for (const w of words) expect(text, `${id}: ${w}`).toContain(w);
    }
  });
});

describe('catalog documents: errors', () => {
  it('refuses an unknown item or form with a code', async () => {
    const fonts = { regular: '/nonexistent.ttc' };
    await expect(renderGuidePdf(catalog, 'gd-zz-999', { fonts })).rejects.toSatisfy((e) => isCatalogError(e, 'CATALOG_ITEM_UNKNOWN'));
    await expect(renderBlankFormPdf(catalog, 'no-such-form', { fonts })).rejects.toSatisfy((e) => isCatalogError(e, 'CATALOG_FORM_UNKNOWN'));
  });

  it('reports a missing CJK font', () => {
    expect(() => findCjkFonts(['/nonexistent'])).toThrow(expect.objectContaining({ code: 'CATALOG_FONT_MISSING' }));
  });

  it('reports a font file that cannot be opened', async () => {
    await expect(renderGuidePdf(catalog, 'gd-sb-001', { fonts: { regular: '/nonexistent.ttc' } })).rejects.toSatisfy((e) =>
      isCatalogError(e, 'CATALOG_FONT_MISSING'),
    );
  });
});
