/**
 * Renders a decoded receipt (receipt.ts) as a PNG at printer resolution, for the host's simulator panel and for
 * people checking a layout by eye.
 * - Text: glyphs from GNU Unifont's .hex file (Debian package `unifont`: /usr/share/unifont/unifont.hex; 8x16
 *   halfwidth, 16x16 fullwidth), scaled 1.5x to font A's 12x24 cell, times the GS ! multipliers; bold is drawn
 *   double-struck one dot right; underline 1 or 2 dots. Without the font file, characters are drawn as boxes.
 * - QR: the module matrix of `qrcode`'s `QRCode.create()` for the decoded payload (byte mode, decoded EC level),
 *   module size in dots as decoded. Model 1 symbols are drawn as a labelled placeholder box (qrcode has model 2 only).
 * - CODE128: real bars from the decoded symbol values (start, data, mod-103 checksum, stop), module width 3 dots
 *   (GS w default) reduced to fit, height 162 dots (GS h default); no HRI (GS H default: none).
 * - Cut: a dashed rule.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { assertNever } from '../errors.js';
import type { DecodedAlign } from './decoder.js';
import type { ReceiptBlock } from './receipt.js';

export const UNIFONT_HEX_PATH = '/usr/share/unifont/unifont.hex';

export interface RenderPngOptions {
  /** Printable width in dots; default 576 (80 mm). */
  widthDots?: number;
  /** Font A columns across that width; default 48. */
  columns?: number;
  /** Unifont .hex file; default UNIFONT_HEX_PATH. */
  fontPath?: string;
}

const LINE_SPACING = 30;
const CELL_H = 24;

const fonts = new Map<string, Map<number, string> | null>();

/** Loads a Unifont .hex file once (about 57k lines); null when the file is missing. */
function loadFont(path: string): Map<number, string> | null {
  const cached = fonts.get(path);
  if (cached !== undefined) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fonts.set(path, null);
    return null;
  }
  const map = new Map<number, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) map.set(parseInt(line.slice(0, colon), 16), line.slice(colon + 1).trim());
  }
  fonts.set(path, map);
  return map;
}

/** True when the Unifont file is present (otherwise text renders as boxes). */
export function unifontAvailable(path = UNIFONT_HEX_PATH): boolean {
  return loadFont(path) !== null;
}

class Canvas {
  readonly png: PNG;
  constructor(readonly width: number, readonly height: number) {
    this.png = new PNG({ width, height });
    this.png.data.fill(255);
  }
  dot(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.png.data[i] = 0;
    this.png.data[i + 1] = 0;
    this.png.data[i + 2] = 0;
  }
  rect(x: number, y: number, w: number, h: number): void {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) this.dot(xx, yy);
  }
  frame(x: number, y: number, w: number, h: number): void {
    this.rect(x, y, w, 1);
    this.rect(x, y + h - 1, w, 1);
    this.rect(x, y, 1, h);
    this.rect(x + w - 1, y, 1, h);
  }
}

function alignX(align: DecodedAlign, contentWidth: number, canvasWidth: number): number {
  const free = Math.max(0, canvasWidth - contentWidth);
  return align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0;
}

function qrMatrix(b: Extract<ReceiptBlock, { kind: 'qr' }>): { size: number; get: (r: number, c: number) => boolean } | undefined {
  if (b.model !== 2) return undefined;
  const qr = QRCode.create([{ data: new TextEncoder().encode(b.data), mode: 'byte' }], { errorCorrectionLevel: b.errorLevel });
  return { size: qr.modules.size, get: (r, c) => qr.modules.get(r, c) === 1 };
}

// CODE128 bar/space widths for symbol values 0..106 (ISO/IEC 15417); 106 = stop including its final bar.
const CODE128_PATTERNS = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 ' +
  '123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 ' +
  '232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 ' +
  '313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 ' +
  '111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 ' +
  '111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 ' +
  '114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112'
).split(' ');

/**
 * Bar/space module widths of a CODE128 symbol from its values (start code first, no checksum): appends the mod-103
 * checksum and the stop. Alternates bar, space, bar… starting with a bar.
 */
export function code128Widths(values: readonly number[]): number[] {
  let sum = values[0] ?? 0;
  for (let i = 1; i < values.length; i++) sum += i * values[i]!;
  const all = [...values, sum % 103, 106];
  return all.flatMap((v) => [...CODE128_PATTERNS[v]!].map(Number));
}

/** Height in dots a block takes on paper. */
function blockHeight(b: ReceiptBlock, widthDots: number): number {
  switch (b.kind) {
    case 'text':
      return b.runs.length === 0 ? LINE_SPACING : Math.max(LINE_SPACING, CELL_H * Math.max(...b.runs.map((r) => r.height)) + 6);
    case 'qr': {
      const m = qrMatrix(b);
      return (m ? m.size * b.moduleSize : 120) + 12;
    }
    case 'barcode':
      return 162 + 12;
    case 'cut':
      return widthDots > 0 ? 24 : 0;
    default:
      return assertNever(b, 'receipt block');
  }
}

export function renderReceiptPng(blocks: readonly ReceiptBlock[], options: RenderPngOptions = {}): Buffer {
  const width = options.widthDots ?? 576;
  const columns = options.columns ?? 48;
  const colW = Math.floor(width / columns);
  const font = loadFont(options.fontPath ?? UNIFONT_HEX_PATH);
  const height = Math.max(1, blocks.reduce((n, b) => n + blockHeight(b, width), 0));
  const c = new Canvas(width, height);
  let y = 0;
  for (const b of blocks) {
    const h = blockHeight(b, width);
    switch (b.kind) {
      case 'text': {
        const maxH = Math.max(1, ...b.runs.map((r) => r.height));
        const lineW = b.runs.reduce((n, r) => n + r.columns * r.width * colW, 0);
        let x = alignX(b.align, lineW, width);
        for (const run of b.runs) {
          const top = y + (maxH - run.height) * CELL_H;
          for (const ch of run.text) {
            const cols = run.columns / run.text.length; // 1 or 2: runs never mix single- and double-byte chars
            const cellW = cols * colW * run.width;
            const cellH = CELL_H * run.height;
            drawGlyph(c, font, ch, x, top, cellW, cellH, run.bold);
            if (run.underline) c.rect(x, top + cellH - run.underline, cellW, run.underline);
            x += cellW;
          }
        }
        break;
      }
      case 'qr': {
        const m = qrMatrix(b);
        if (!m) {
          const x = alignX(b.align, 120, width);
          c.frame(x, y, 120, 120);
          drawLabel(c, font, 'QR model 1', x + 4, y + 48, colW);
          break;
        }
        const px = b.moduleSize;
        const x0 = alignX(b.align, m.size * px, width);
        for (let r = 0; r < m.size; r++) for (let col = 0; col < m.size; col++) if (m.get(r, col)) c.rect(x0 + col * px, y + r * px, px, px);
        break;
      }
      case 'barcode': {
        const widths = code128Widths(b.values);
        const modules = widths.reduce((n, w) => n + w, 0);
        const unit = Math.max(1, Math.min(3, Math.floor(width / modules)));
        let x = alignX(b.align, modules * unit, width);
        widths.forEach((w, i) => {
          if (i % 2 === 0) c.rect(x, y, w * unit, 162);
          x += w * unit;
        });
        break;
      }
      case 'cut':
        for (let x = 0; x < width; x += 16) c.rect(x, y + 11, 8, 2);
        break;
      default:
        assertNever(b, 'receipt block');
    }
    y += h;
  }
  return PNG.sync.write(c.png);
}

/** Draws one character scaled into its cell; a box when the font or the glyph is missing. */
function drawGlyph(c: Canvas, font: Map<number, string> | null, ch: string, x: number, y: number, cellW: number, cellH: number, bold: boolean): void {
  if (ch === ' ') return;
  const hex = font?.get(ch.codePointAt(0)!);
  if (!hex) {
    c.frame(x + 1, y + 2, cellW - 2, cellH - 4);
    return;
  }
  const gw = hex.length === 64 ? 16 : 8;
  const rowHex = gw / 4;
  for (let dy = 0; dy < cellH; dy++) {
    const sy = Math.floor((dy * 16) / cellH);
    const row = parseInt(hex.slice(sy * rowHex, sy * rowHex + rowHex), 16);
    for (let dx = 0; dx < cellW; dx++) {
      const sx = Math.floor((dx * gw) / cellW);
      if (row & (1 << (gw - 1 - sx))) {
        c.dot(x + dx, y + dy);
        if (bold) c.dot(x + dx + 1, y + dy);
      }
    }
  }
}

function drawLabel(c: Canvas, font: Map<number, string> | null, text: string, x: number, y: number, colW: number): void {
  for (const ch of text) {
    drawGlyph(c, font, ch, x, y, colW, CELL_H, false);
    x += colW;
  }
}
