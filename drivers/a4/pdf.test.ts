import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriverError } from '../errors.js';
import { findCjkFonts, renderDocumentPdf, tableFromRecords, type PdfDocumentSpec } from './pdf.js';

const run = promisify(execFile);

describe('renderDocumentPdf (pdfkit + Noto CJK, checked with poppler)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-pdf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function inspect(pdf: Buffer, name: string): Promise<{ pages: number; text: string; pageText: (n: number) => Promise<string>; info: string; fonts: string }> {
    const file = join(dir, name);
    await writeFile(file, pdf);
    const info = (await run('pdfinfo', [file])).stdout;
    const fonts = (await run('pdffonts', [file])).stdout;
    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
    return {
      pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]),
      text,
      info,
      fonts,
      pageText: async (n) => (await run('pdftotext', ['-f', String(n), '-l', String(n), file, '-'])).stdout,
    };
  }

  it('a service guide: A4, one page, Chinese text extractable, CJK font embedded', async () => {
    const spec: PdfDocumentSpec = {
      title: '居民身份证换领 办事指南',
      subtitle: '一次性告知',
      sections: [
        { heading: '办理条件', paragraphs: ['居民身份证有效期满前三个月内可申请换领。'] },
        { heading: '所需材料', list: { style: 'checkbox', items: ['原居民身份证（原件）', '户口簿（原件及复印件 1 份）'] } },
        { heading: '办理流程', list: { style: 'number', items: ['取号', '窗口受理', '领证'] } },
        { heading: '申请表', fields: [{ label: '联系电话' }, { label: '申请事由', lines: 3 }] },
      ],
      footer: '天河区政务服务中心',
    };
    const pdf = await renderDocumentPdf(spec, { createdAt: new Date('2026-01-01T00:00:00Z') });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const r = await inspect(pdf, 'guide.pdf');
    expect(r.pages).toBe(1);
    expect(r.info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(r.info).toContain('居民身份证换领 办事指南'); // document title metadata
    expect(r.fonts).toMatch(/NotoSans(Mono)?CJK\w*-Regular/);
    for (const s of ['居民身份证换领 办事指南', '办理条件', '原居民身份证（原件）', '户口簿（原件及复印件 1 份）', '2. 窗口受理', '联系电话', '第 1 页 / 共 1 页', '天河区政务服务中心']) {
      expect(r.text.replace(/\s+/g, ''), s).toContain(s.replace(/\s+/g, '')); // poppler may drop spaces next to CJK
    }
  });

  it('a long statistics table breaks across pages and repeats its header; footers count pages', async () => {
    const records = Array.from({ length: 80 }, (_, i) => ({ date: `11-${String(i + 1).padStart(2, '0')}`, item: '社保卡补办', count: i * 3, wait: i / 3 }));
    const table = tableFromRecords(records, [
      { key: 'date', header: '日期' },
      { key: 'item', header: '事项', width: 2 },
      { key: 'count', header: '办件量', align: 'right' },
      { key: 'wait', header: '平均等候（分钟）', align: 'right' },
    ]);
    expect(table.rows[4]).toEqual(['11-05', '社保卡补办', '12', '1.33']);
    const r = await inspect(await renderDocumentPdf({ title: '月度统计报表', sections: [{ heading: '办件统计', table }] }), 'stats.pdf');
    expect(r.pages).toBeGreaterThanOrEqual(3);
    for (let p = 1; p <= r.pages; p++) {
      const t = (await r.pageText(p)).replace(/\s+/g, ''); // poppler drops spaces between CJK characters
      expect(t, `page ${p}`).toContain('平均等候（分钟）');
      expect(t, `page ${p}`).toContain(`第${p}页/共${r.pages}页`);
    }
    expect(r.text).toContain('11-80');
    expect(r.text).toContain('237');
  });

  it('without a CJK font it refuses (Chinese would print as boxes)', async () => {
    expect(findCjkFonts()?.regular.path).toMatch(/NotoS\w+CJK-Regular\.ttc$/);
    const e = await renderDocumentPdf({ title: '测试', sections: [] }, { fonts: { regular: { path: '/nonexistent/font.ttc' } } }).catch((x: unknown) => x);
    expect(isDriverError(e, 'PRINTER_UNPRINTABLE_TEXT')).toBe(true);
  });
});
