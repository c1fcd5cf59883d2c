/**
 * A4 documents rendered with pdfkit and a CJK font (fonts-noto-cjk): service guides (一次性告知), material checklists,
 * blank forms and the manager's statistics report. Printed through CupsPrinter. A plain-text job with Chinese prints
 * as boxes, so the kiosk always submits PDFs with the font embedded (subset).
 *
 * Layout: A4 portrait, 20 mm margins (bottom 25 mm, room for the footer); title 18 pt bold; headings 13 pt bold;
 * body 11 pt. Tables repeat their header row on each page. Every page has `footer` on the left and `第 n 页 / 共 m 页`
 * on the right.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { DriverError, assertNever } from '../errors.js';

export interface PdfTableColumn {
  header: string;
  /** Relative width (default 1). */
  width?: number;
  align?: 'left' | 'center' | 'right';
}

export interface PdfTable {
  columns: PdfTableColumn[];
  rows: (string | number)[][];
}

export type PdfList = string[] | { style?: 'bullet' | 'number' | 'checkbox'; items: string[] };

export interface PdfField {
  label: string;
  /** Blank lines to write on; 1..10, default 1. */
  lines?: number;
}

/** Parts are drawn in this order: paragraphs, list, table, fields. */
export interface PdfSection {
  heading?: string;
  paragraphs?: string[];
  list?: PdfList;
  table?: PdfTable;
  fields?: PdfField[];
}

export interface PdfDocumentSpec {
  title: string;
  subtitle?: string;
  sections: PdfSection[];
  /** Left part of every page's footer, e.g. the hall's name and the print time. */
  footer?: string;
}

export interface CjkFont {
  /** .ttc/.otf/.ttf file */
  path: string;
  /** PostScript name inside a collection, e.g. `NotoSansCJKsc-Regular`; omit for a single-font file. */
  family?: string;
}

export interface RenderPdfOptions {
  fonts?: { regular: CjkFont; bold?: CjkFont };
  /** Fixed creation date (reproducible output in tests); default now. */
  createdAt?: Date;
}

const FONT_CANDIDATES: { regular: CjkFont; bold: CjkFont }[] = [
  {
    regular: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  },
  {
    regular: { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  },
  {
    regular: { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc', family: 'NotoSerifCJKsc-Bold' },
  },
];

/** The first installed Noto CJK pair (Simplified Chinese faces); undefined when none is installed. */
export function findCjkFonts(): { regular: CjkFont; bold?: CjkFont } | undefined {
  for (const c of FONT_CANDIDATES) {
    if (existsSync(c.regular.path)) return existsSync(c.bold.path) ? c : { regular: c.regular };
  }
  return undefined;
}

/** Builds a table from records, e.g. the statistics report's rows. */
export function tableFromRecords<T extends Record<string, unknown>>(
  records: readonly T[],
  columns: { key: keyof T & string; header: string; width?: number; align?: PdfTableColumn['align']; format?: (v: T[keyof T]) => string }[],
): PdfTable {
  return {
    columns: columns.map(({ header, width, align }) => ({ header, width, align })),
    rows: records.map((r) => columns.map((c) => (c.format ? c.format(r[c.key]) : formatCell(r[c.key])))),
  };
}

function formatCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return String(v);
}

const MM = 72 / 25.4;
const MARGIN = { top: 20 * MM, bottom: 25 * MM, left: 20 * MM, right: 20 * MM };
const SIZE = { title: 18, subtitle: 11, heading: 13, body: 11, table: 10, footer: 9 };

type Doc = InstanceType<typeof PDFDocument>;

export async function renderDocumentPdf(spec: PdfDocumentSpec, options: RenderPdfOptions = {}): Promise<Buffer> {
  const fonts = options.fonts ?? findCjkFonts();
  if (!fonts) {
    throw new DriverError('PRINTER_UNPRINTABLE_TEXT', 'no CJK font installed (apt-get install fonts-noto-cjk): Chinese would print as boxes', {
      detail: { reason: 'cjk-font-missing' },
    });
  }
  if (!existsSync(fonts.regular.path)) {
    throw new DriverError('PRINTER_UNPRINTABLE_TEXT', `CJK font file ${fonts.regular.path} not found`, { detail: { reason: 'cjk-font-missing' } });
  }
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: spec.title, Creator: 'hall-kiosk', Producer: 'hall-kiosk (pdfkit)', CreationDate: options.createdAt ?? new Date() },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', (e: unknown) => reject(e));
  });

  try {
    doc.registerFont('body', fonts.regular.path, fonts.regular.family);
    const bold = fonts.bold && existsSync(fonts.bold.path) ? fonts.bold : fonts.regular;
    doc.registerFont('bold', bold.path, bold.family);
  } catch (e) {
    throw new DriverError('PRINTER_UNPRINTABLE_TEXT', `cannot load CJK font: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
      detail: { reason: 'cjk-font-unreadable' },
    });
  }

  const w = contentWidth(doc);
  doc.font('bold').fontSize(SIZE.title).text(spec.title, { align: 'center', width: w });
  if (spec.subtitle) doc.moveDown(0.2).font('body').fontSize(SIZE.subtitle).fillColor('#444444').text(spec.subtitle, { align: 'center', width: w });
  doc.fillColor('black').moveDown(0.8);

  for (const section of spec.sections) drawSection(doc, section);

  drawFooters(doc, spec.footer);
  doc.end();
  return finished;
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

function drawSection(doc: Doc, s: PdfSection): void {
  const left = doc.page.margins.left;
  const w = contentWidth(doc);
  if (s.heading) {
    // keep a heading with at least three body lines
    ensureSpace(doc, SIZE.heading * 1.6 + SIZE.body * 4.5);
    doc.font('bold').fontSize(SIZE.heading).text(s.heading, left, doc.y, { width: w });
    const y = doc.y + 2;
    doc.save().moveTo(left, y).lineTo(left + w, y).lineWidth(0.5).strokeColor('#999999').stroke().restore();
    doc.y = y + 5;
  }
  doc.font('body').fontSize(SIZE.body);
  for (const p of s.paragraphs ?? []) {
    doc.text(p, left, doc.y, { width: w, lineGap: 3 });
    doc.moveDown(0.4);
  }
  if (s.list) drawList(doc, s.list);
  if (s.table) drawTable(doc, s.table);
  if (s.fields) drawFields(doc, s.fields);
  doc.moveDown(0.6);
}

function drawList(doc: Doc, list: PdfList): void {
  const { style = 'bullet', items } = Array.isArray(list) ? { items: list } : list;
  const left = doc.page.margins.left;
  const indent = style === 'number' ? 24 : 18;
  const w = contentWidth(doc) - indent;
  doc.font('body').fontSize(SIZE.body);
  items.forEach((item, i) => {
    const h = doc.heightOfString(item, { width: w, lineGap: 3 });
    ensureSpace(doc, Math.min(h, SIZE.body * 2.5));
    const y = doc.y;
    switch (style) {
      case 'bullet':
        doc.circle(left + 5, y + SIZE.body * 0.62, 1.8).fill('black');
        break;
      case 'number':
        doc.text(`${i + 1}.`, left, y, { width: indent - 4, align: 'right', lineBreak: false });
        break;
      case 'checkbox':
        doc.save().rect(left + 1, y + 2.5, 9, 9).lineWidth(0.8).stroke('black').restore();
        break;
      default:
        assertNever(style, 'list style');
    }
    doc.text(item, left + indent, y, { width: w, lineGap: 3 });
    doc.moveDown(0.25);
  });
  doc.x = left;
}

function drawTable(doc: Doc, t: PdfTable): void {
  const left = doc.page.margins.left;
  const w = contentWidth(doc);
  const total = t.columns.reduce((a, c) => a + (c.width ?? 1), 0);
  const widths = t.columns.map((c) => ((c.width ?? 1) / total) * w);
  const pad = 4;
  const rowHeight = (cells: string[], font: 'body' | 'bold'): number => {
    doc.font(font).fontSize(SIZE.table);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], font: 'body' | 'bold', fill?: string): void => {
    const h = rowHeight(cells, font);
    const y = doc.y;
    let x = left;
    if (fill) doc.save().rect(left, y, w, h).fill(fill).restore();
    doc.fillColor('black').font(font).fontSize(SIZE.table);
    cells.forEach((c, i) => {
      doc.text(c, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: t.columns[i]?.align ?? 'left' });
      doc.save().rect(x, y, widths[i]!, h).lineWidth(0.5).stroke('#666666').restore();
      x += widths[i]!;
    });
    doc.x = left;
    doc.y = y + h;
  };
  const header = t.columns.map((c) => c.header);
  ensureSpace(doc, rowHeight(header, 'bold') * 2);
  drawRow(header, 'bold', '#e8e8e8');
  for (const row of t.rows) {
    const cells = t.columns.map((_, i) => formatCell(row[i]));
    if (doc.y + rowHeight(cells, 'body') > bottomLimit(doc)) {
      doc.addPage();
      drawRow(header, 'bold', '#e8e8e8');
    }
    drawRow(cells, 'body');
  }
  doc.moveDown(0.5);
}

function drawFields(doc: Doc, fields: PdfField[]): void {
  const left = doc.page.margins.left;
  const w = contentWidth(doc);
  const lineSpacing = 26;
  doc.font('body').fontSize(SIZE.body);
  for (const f of fields) {
    const lines = Math.min(10, Math.max(1, f.lines ?? 1));
    const labelW = Math.min(w * 0.35, doc.widthOfString(f.label) + 8);
    ensureSpace(doc, lines * lineSpacing + 4);
    const y = doc.y;
    doc.text(f.label, left, y + lineSpacing - SIZE.body - 6, { width: labelW, lineBreak: false });
    for (let i = 0; i < lines; i++) {
      const ly = y + (i + 1) * lineSpacing - 4;
      const lx = i === 0 ? left + labelW : left;
      doc.save().moveTo(lx, ly).lineTo(left + w, ly).lineWidth(0.6).stroke('#333333').restore();
    }
    doc.x = left;
    doc.y = y + lines * lineSpacing + 4;
  }
}

function drawFooters(doc: Doc, footer: string | undefined): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const left = doc.page.margins.left;
    const w = contentWidth(doc);
    const y = doc.page.height - doc.page.margins.bottom + 10 * MM * 0.8;
    // Writing below the bottom margin would make pdfkit add a page: lift the margin while drawing the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(SIZE.footer).fillColor('#555555');
    if (footer) doc.text(footer, left, y, { width: w * 0.7, lineBreak: false });
    doc.text(`第 ${i + 1 - range.start} 页 / 共 ${range.count} 页`, left + w * 0.7, y, { width: w * 0.3, align: 'right', lineBreak: false });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}
