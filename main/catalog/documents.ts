/**
 * Printable documents of the catalog, rendered to A4 PDF with pdfkit and a Noto Sans CJK font:
 *   - the 一次性告知单 of an item: basic information, legal basis, conditions, the complete material table
 *     (form, copies, required, 免证办), process, related forms, and the catalog notice on every page;
 *   - blank forms (空白表格) described as data in the catalog's `forms`, drawn as labelled boxes.
 * Self-contained: does not use drivers/a4. The receipt-printer checklist is `materialChecklistLines`
 * (kiosk-config/catalog/checklist.ts), re-exported here.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import {
  fillTemplate,
  formatFeeLines,
  formatLegalLimit,
  formatMaterialForm,
  formatPromisedLimit,
  label,
  localize,
  serviceTypeLabel,
  type BlankForm,
  type Catalog,
  type CatalogLang,
  type FormField,
  type ServiceItem,
} from '../../kiosk-config/catalog/index.js';
import { CatalogError } from './errors.js';
import { DEFAULT_UTC_OFFSET, formatHallDateTime } from '../../kiosk-config/hall-clock.js';

export { materialChecklistLines } from '../../kiosk-config/catalog/index.js';

/** Font files: OpenType collections (.ttc) of Noto Sans CJK, which hold the SC and TC faces. */
export interface CjkFontSet {
  regular: string;
  /** Bold face; headings use the regular face when absent. */
  bold?: string;
}

/** Where Debian/Ubuntu (fonts-noto-cjk) and common layouts put Noto Sans CJK. */
export const DEFAULT_CJK_FONT_DIRS = [
  '/usr/share/fonts/opentype/noto',
  '/usr/share/fonts/noto-cjk',
  '/usr/share/fonts/google-noto-cjk',
  '/usr/local/share/fonts',
] as const;

/** Finds Noto Sans CJK Regular (required) and Bold (optional). Throws CATALOG_FONT_MISSING. */
export function findCjkFonts(dirs: readonly string[] = DEFAULT_CJK_FONT_DIRS): CjkFontSet {
  for (const dir of dirs) {
    const regular = `${dir}/NotoSansCJK-Regular.ttc`;
    if (!existsSync(regular)) continue;
    const bold = `${dir}/NotoSansCJK-Bold.ttc`;
    return existsSync(bold) ? { regular, bold } : { regular };
  }
  throw new CatalogError('CATALOG_FONT_MISSING', `NotoSansCJK-Regular.ttc not found in ${dirs.join(', ')} (install fonts-noto-cjk)`, {
    detail: { dirs: [...dirs] },
  });
}

export interface CatalogDocumentOptions {
  /** Language of the document, default zh-CN. */
  lang?: CatalogLang;
  /** Fonts, default `findCjkFonts()`. */
  fonts?: CjkFontSet;
  /** Printed in the footer, default now. */
  printedAt?: Date;
  /** The hall's UTC offset for the footer's print time (hall time, not the host's zone), default +08:00. */
  utcOffset?: string;
}

// A4 in PDF points; margins 42 pt (≈15 mm), footer band of 36 pt inside the bottom margin area.
const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = 42;
const FOOTER = 40;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const BOTTOM = PAGE.height - MARGIN - FOOTER;
const INK = '#000000';
const GREY = '#555555';
const RULE = '#999999';
const SHADE = '#eeeeee';

type Doc = PDFKit.PDFDocument;

/** Face names inside the collections: SC for zh-CN and English, TC for zh-TW. */
function faces(lang: CatalogLang): { regular: string; bold: string } {
  const script = lang === 'zh-TW' ? 'tc' : 'sc';
  return { regular: `NotoSansCJK${script}-Regular`, bold: `NotoSansCJK${script}-Bold` };
}

function openDocument(title: string, lang: CatalogLang, fonts: CjkFontSet, printedAt: Date): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
    bufferPages: true,
    info: { Title: title, Creator: 'hall-kiosk', CreationDate: printedAt },
    lang: lang,
  });
  const f = faces(lang);
  try {
    doc.registerFont('body', fonts.regular, f.regular);
    doc.registerFont('heading', fonts.bold ?? fonts.regular, fonts.bold === undefined ? f.regular : f.bold);
    // pdfkit opens a registered font on first use: use both now so that a bad file fails here.
    doc.font('heading').font('body').fillColor(INK);
  } catch (e) {
    throw new CatalogError('CATALOG_FONT_MISSING', `cannot open CJK font ${fonts.regular}${fonts.bold === undefined ? '' : ` / ${fonts.bold}`}`, {
      cause: e,
      detail: { ...fonts },
    });
  }
  return doc;
}

/** Collects the PDF bytes; rendering errors become CATALOG_RENDER_FAILED. */
function finish(doc: Doc, draw: () => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', (e: unknown) => reject(new CatalogError('CATALOG_RENDER_FAILED', 'PDF rendering failed', { cause: e })));
    try {
      draw();
      doc.end();
    } catch (e) {
      reject(e instanceof CatalogError ? e : new CatalogError('CATALOG_RENDER_FAILED', 'PDF rendering failed', { cause: e }));
    }
  });
}

/** Footer on every page: the catalog notice (sample-data disclaimer), page n/total and print time. */
function drawFooters(doc: Doc, notice: string, lang: CatalogLang, printedAt: Date, utcOffset: string): void {
  const range = doc.bufferedPageRange();
  const stamp = `${label('printedAt', lang)} ${formatHallDateTime(printedAt, utcOffset)}`;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit add a page: lift the margin while drawing the footer.
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = PAGE.height - MARGIN - FOOTER + 8;
    doc.moveTo(MARGIN, y).lineTo(PAGE.width - MARGIN, y).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font('body').fontSize(7).fillColor(GREY);
    doc.text(notice, MARGIN, y + 4, { width: CONTENT_WIDTH - 120, height: 28, ellipsis: true });
    const page = fillTemplate(label('page', lang), { n: i - range.start + 1, total: range.count });
    doc.text(`${page}\n${stamp}`, PAGE.width - MARGIN - 115, y + 4, { width: 115, align: 'right' });
    doc.fillColor(INK);
    doc.page.margins.bottom = saved;
  }
}

/** Starts a new page when `height` more points do not fit; returns true when it did. */
function ensureRoom(doc: Doc, height: number): boolean {
  if (doc.y + height <= BOTTOM) return false;
  doc.addPage();
  doc.y = MARGIN;
  return true;
}

function heading(doc: Doc, text: string): void {
  ensureRoom(doc, 40);
  doc.moveDown(0.6);
  const y = doc.y;
  doc.rect(MARGIN, y, 4, 16).fill(INK);
  doc.font('heading').fontSize(12.5).fillColor(INK).text(text, MARGIN + 10, y, { width: CONTENT_WIDTH - 10 });
  doc.moveDown(0.3);
  doc.font('body').fontSize(10);
}

function numberedList(doc: Doc, entries: readonly string[]): void {
  doc.font('body').fontSize(10);
  entries.forEach((e, i) => {
    const num = `${i + 1}. `;
    const h = doc.heightOfString(e, { width: CONTENT_WIDTH - 22 });
    ensureRoom(doc, h + 2);
    const y = doc.y;
    doc.text(num, MARGIN, y, { width: 22 });
    doc.text(e, MARGIN + 22, y, { width: CONTENT_WIDTH - 22 });
    doc.moveDown(0.15);
  });
}

interface Column {
  title: string;
  width: number;
}

/** A table with a header row repeated on every page; row height follows the tallest cell. */
function table(doc: Doc, columns: readonly Column[], rows: readonly (readonly string[])[], options: { header?: boolean } = {}): void {
  const fontSize = 9.5;
  const withHeader = options.header ?? true;
  const pad = 4;
  const drawRow = (cells: readonly string[], header: boolean) => {
    doc.font(header ? 'heading' : 'body').fontSize(fontSize);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i]!.width - 2 * pad }))) + 2 * pad;
    const y = doc.y;
    let x = MARGIN;
    if (header) doc.rect(MARGIN, y, CONTENT_WIDTH, height).fill(SHADE);
    doc.fillColor(INK);
    cells.forEach((c, i) => {
      const w = columns[i]!.width;
      doc.rect(x, y, w, height).lineWidth(0.5).strokeColor(RULE).stroke();
      doc.text(c, x + pad, y + pad, { width: w - 2 * pad });
      x += w;
    });
    doc.x = MARGIN;
    doc.y = y + height;
  };
  const headerCells = columns.map((c) => c.title);
  doc.font('heading').fontSize(fontSize);
  ensureRoom(doc, 40);
  if (withHeader) drawRow(headerCells, true);
  for (const row of rows) {
    doc.font('body').fontSize(fontSize);
    const height = Math.max(...row.map((c, i) => doc.heightOfString(c, { width: columns[i]!.width - 2 * pad }))) + 2 * pad;
    if (ensureRoom(doc, height) && withHeader) drawRow(headerCells, true);
    drawRow(row, false);
  }
}

function findItemOrThrow(catalog: Catalog, itemId: string): ServiceItem {
  const item = catalog.items.find((i) => i.id === itemId);
  if (item === undefined) throw new CatalogError('CATALOG_ITEM_UNKNOWN', `no item ${itemId} in the catalog`, { detail: { itemId } });
  return item;
}

function findFormOrThrow(catalog: Catalog, formId: string): BlankForm {
  const form = catalog.forms.find((f) => f.id === formId);
  if (form === undefined) throw new CatalogError('CATALOG_FORM_UNKNOWN', `no form ${formId} in the catalog`, { detail: { formId } });
  return form;
}

/** The 一次性告知单 of one item as an A4 PDF. Throws CATALOG_ITEM_UNKNOWN / CATALOG_FONT_MISSING. */
export async function renderGuidePdf(catalog: Catalog, itemId: string, options: CatalogDocumentOptions = {}): Promise<Buffer> {
  const item = findItemOrThrow(catalog, itemId);
  const lang = options.lang ?? 'zh-CN';
  const fonts = options.fonts ?? findCjkFonts();
  const printedAt = options.printedAt ?? new Date();
  const L = (t: Parameters<typeof localize>[0]) => localize(t, lang);
  const title = `${label('guideTitle', lang)} · ${L(item.name)}`;
  const doc = openDocument(title, lang, fonts, printedAt);
  return finish(doc, () => {
    doc.font('heading').fontSize(20).text(label('guideTitle', lang), { align: 'center' });
    doc.moveDown(0.2);
    doc.fontSize(15).text(L(item.name), { align: 'center' });
    if (catalog.sampleData) {
      doc.moveDown(0.2);
      doc.font('body').fontSize(9).fillColor(GREY).text(`【${label('sample', lang)}】 ${L(catalog.region)}`, { align: 'center' });
      doc.fillColor(INK);
    }

    heading(doc, label('basicInfo', lang));
    const channels = (item.onlineChannels ?? []).map(L);
    const online = !item.onlineAvailable
      ? label('notOnline', lang)
      : channels.length === 0
        ? label('yes', lang)
        : lang === 'en'
          ? `${label('yes', lang)} (${channels.join(', ')})`
          : `${label('yes', lang)}（${channels.join('、')}）`;
    table(
      doc,
      [
        { title: '', width: 120 },
        { title: '', width: CONTENT_WIDTH - 120 },
      ],
      [
        [label('itemCode', lang), item.id],
        [label('department', lang), L(item.department.name)],
        [label('serviceType', lang), serviceTypeLabel(item.serviceType, lang)],
        [label('legalLimit', lang), formatLegalLimit(item.legalTimeLimitDays, lang)],
        [label('promisedLimit', lang), formatPromisedLimit(item.promisedTimeLimitDays, lang)],
        [label('fees', lang), feeText(item, lang)],
        [label('windows', lang), item.windows.map(L).join('\n')],
        [label('phone', lang), item.phone],
        [label('online', lang), online],
        [label('result', lang), L(item.result)],
      ],
      { header: false },
    );

    heading(doc, label('conditions', lang));
    numberedList(doc, item.conditions.map(L));

    heading(doc, label('materials', lang));
    table(
      doc,
      [
        { title: label('no', lang), width: 30 },
        { title: label('materialName', lang), width: 165 },
        { title: label('formAndCopies', lang), width: 92 },
        { title: label('requiredCol', lang), width: 55 },
        { title: label('note', lang), width: CONTENT_WIDTH - 342 },
      ],
      item.materials.map((m, i) => [
        String(i + 1),
        L(m.name),
        formatMaterialForm(m, lang),
        label(m.required ? 'required' : 'optional', lang),
        [m.exemptIfSharedData === true ? `※${label('exempt', lang)}` : '', m.note === undefined ? '' : L(m.note)].filter((s) => s !== '').join('\n'),
      ]),
    );

    heading(doc, label('process', lang));
    numberedList(doc, item.process.map((p) => (p.detail === undefined ? L(p.title) : `${L(p.title)}${lang === 'en' ? ': ' : '：'}${L(p.detail)}`)));

    heading(doc, label('basis', lang));
    numberedList(doc, item.basis.map(L));

    if ((item.documents ?? []).length > 0) {
      heading(doc, label('related', lang));
      numberedList(doc, (item.documents ?? []).map((d) => L(d.title)));
    }
    drawFooters(doc, L(catalog.notice), lang, printedAt, options.utcOffset ?? DEFAULT_UTC_OFFSET);
  });
}

function feeText(item: ServiceItem, lang: CatalogLang): string {
  const lines = formatFeeLines(item.fees, lang);
  const paren = (s: string) => (lang === 'en' ? ` (${s})` : `（${s}）`);
  switch (item.fees.kind) {
    case 'free':
      return item.fees.basis === undefined ? lines.join('\n') : `${lines[0]}${paren(localize(item.fees.basis, lang))}`;
    case 'charged':
      return item.fees.items.map((f, i) => `${lines[i]}${paren(localize(f.basis, lang))}`).join('\n');
    default: {
      const never: never = item.fees;
      throw new Error(`unknown fee kind ${JSON.stringify(never)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Blank forms.

const UNITS: Record<FormField['width'], number> = { full: 6, half: 3, third: 2 };
const LINE = 20;

/** Options per line of a choice field: as many as fit the widest label, 1-6. */
function optionsPerLine(doc: Doc, field: FormField, width: number, lang: CatalogLang): number {
  doc.font('body').fontSize(10);
  const widest = Math.max(...(field.options ?? []).map((o) => doc.widthOfString(localize(o, lang))));
  return Math.max(1, Math.min(6, Math.floor((width - 8) / (widest + 24))));
}

function fieldHeight(doc: Doc, field: FormField, width: number, lang: CatalogLang): number {
  switch (field.kind) {
    case 'text':
      return 16 + (field.lines ?? 1) * LINE;
    case 'choice':
      return 16 + LINE * Math.ceil((field.options?.length ?? 0) / optionsPerLine(doc, field, width, lang));
    case 'signature':
      return 16 + 2 * LINE;
    default: {
      const never: never = field.kind;
      throw new Error(`unknown field kind ${String(never)}`);
    }
  }
}

function drawField(doc: Doc, field: FormField, x: number, y: number, w: number, h: number, lang: CatalogLang): void {
  doc.rect(x, y, w, h).lineWidth(0.7).strokeColor(INK).stroke();
  doc.font('body').fontSize(8).fillColor(GREY).text(localize(field.label, lang), x + 4, y + 3, { width: w - 8, lineBreak: false, ellipsis: true });
  doc.fillColor(INK).fontSize(10);
  switch (field.kind) {
    case 'text':
      for (let l = 1; l < (field.lines ?? 1); l++) {
        const ly = y + 16 + l * LINE;
        doc.moveTo(x + 4, ly).lineTo(x + w - 4, ly).lineWidth(0.3).strokeColor(RULE).dash(2, { space: 2 }).stroke().undash();
      }
      break;
    case 'choice': {
      const perRow = optionsPerLine(doc, field, w, lang);
      const cell = (w - 8) / perRow;
      (field.options ?? []).forEach((o, i) => {
        const ox = x + 4 + (i % perRow) * cell;
        const oy = y + 18 + Math.floor(i / perRow) * LINE;
        doc.rect(ox, oy + 2, 9, 9).lineWidth(0.7).strokeColor(INK).stroke();
        doc.text(localize(o, lang), ox + 13, oy, { width: cell - 15, lineBreak: false, ellipsis: true });
      });
      break;
    }
    case 'signature': {
      const sig = lang === 'en' ? 'Signature: ____________________    Date: ______ / ____ / ____' : lang === 'zh-TW' ? '簽名：____________________    日期：______年____月____日' : '签名：____________________    日期：______年____月____日';
      doc.text(sig, x + 8, y + 16 + LINE, { width: w - 16, lineBreak: false });
      break;
    }
    default: {
      const never: never = field.kind;
      throw new Error(`unknown field kind ${String(never)}`);
    }
  }
}

/** A blank form of the catalog as an A4 PDF with labelled boxes. Throws CATALOG_FORM_UNKNOWN / CATALOG_FONT_MISSING. */
export async function renderBlankFormPdf(catalog: Catalog, formId: string, options: CatalogDocumentOptions = {}): Promise<Buffer> {
  const form = findFormOrThrow(catalog, formId);
  const lang = options.lang ?? 'zh-CN';
  const fonts = options.fonts ?? findCjkFonts();
  const printedAt = options.printedAt ?? new Date();
  const doc = openDocument(localize(form.title, lang), lang, fonts, printedAt);
  return finish(doc, () => {
    doc.font('heading').fontSize(18).text(localize(form.title, lang), { align: 'center' });
    doc.font('body').fontSize(9).fillColor(GREY).text(localize(form.issuer, lang), { align: 'center' });
    doc.fillColor(INK).moveDown(0.8);
    for (const section of form.sections) {
      ensureRoom(doc, 60);
      const sy = doc.y;
      doc.rect(MARGIN, sy, CONTENT_WIDTH, 18).fill(SHADE);
      doc.fillColor(INK).font('heading').fontSize(10.5).text(localize(section.title, lang), MARGIN + 6, sy + 3, { width: CONTENT_WIDTH - 12 });
      doc.y = sy + 18;
      // Lay fields out in rows of 6 units (full = 6, half = 3, third = 2); a field that does not fit starts a row.
      const rows: FormField[][] = [];
      let used = 6;
      for (const f of section.fields) {
        if (used + UNITS[f.width] > 6) {
          rows.push([]);
          used = 0;
        }
        rows[rows.length - 1]!.push(f);
        used += UNITS[f.width];
      }
      for (const row of rows) {
        const unit = CONTENT_WIDTH / 6;
        const h = Math.max(...row.map((f) => fieldHeight(doc, f, UNITS[f.width] * unit, lang)));
        ensureRoom(doc, h);
        const y = doc.y;
        let x = MARGIN;
        for (const f of row) {
          const w = UNITS[f.width] * unit;
          drawField(doc, f, x, y, w, h, lang);
          x += w;
        }
        // The last field of a short row stretches visually: close the row with an empty box.
        const rest = MARGIN + CONTENT_WIDTH - x;
        if (rest > 1) doc.rect(x, y, rest, h).lineWidth(0.7).strokeColor(INK).stroke();
        doc.x = MARGIN;
        doc.y = y + h;
      }
      doc.moveDown(0.6);
    }
    if ((form.notes ?? []).length > 0) {
      ensureRoom(doc, 30);
      doc.font('heading').fontSize(9.5).text(lang === 'en' ? 'Notes' : lang === 'zh-TW' ? '填表說明' : '填表说明', MARGIN, doc.y);
      doc.font('body').fontSize(9);
      numberedListSmall(doc, (form.notes ?? []).map((n) => localize(n, lang)));
    }
    drawFooters(doc, localize(catalog.notice, lang), lang, printedAt, options.utcOffset ?? DEFAULT_UTC_OFFSET);
  });
}

function numberedListSmall(doc: Doc, entries: readonly string[]): void {
  entries.forEach((e, i) => {
    ensureRoom(doc, doc.heightOfString(e, { width: CONTENT_WIDTH - 18 }) + 2);
    const y = doc.y;
    doc.text(`${i + 1}.`, MARGIN, y, { width: 18 });
    doc.text(e, MARGIN + 18, y, { width: CONTENT_WIDTH - 18 });
  });
}
