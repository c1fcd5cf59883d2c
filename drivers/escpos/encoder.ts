/**
 * ESC/POS encoder for receipt printers with Chinese text.
 *
 * Decision: our own small encoder, not `escpos` and not `@point-of-sale/receipt-printer-encoder`.
 * - `escpos` / `@node-escpos/core` never send FS & (they rely on the printer's DIP switch), emit QR codes as
 *   GS Z / ESC Z instead of GS ( k, and their status reading has open bugs (escpos.md) — ruled out.
 * - receipt-printer-encoder emits correct GS ( k / GS k / GS V, but has no double-byte code pages: its initialise
 *   sends FS . and every Chinese run would go through `.raw()`, while layout (display columns for hanzi, wrapping,
 *   two-column rows) and the GBK repertoire check would still be ours. That leaves it encoding a dozen fixed
 *   sequences for us, at the price of extra bytes we do not control (code-page selection on initialise) and of a
 *   second source of truth for the byte-exact tests. The command set escpos.md asks for is small and fixed, so each
 *   sequence below is a named function with its mnemonic, and the tests assert each one literally.
 *
 * Obligations: bytes match escpos.md exactly; Chinese runs are FS & + GB18030 two-byte codes + FS .; ASCII is sent
 * outside runs; every character is checked against the GBK repertoire and unprintables are replaced visibly and
 * reported (`unprintable`), never dropped; layout counts display columns (hanzi = 2).
 */
import QRCode from 'qrcode';
import { DriverError, assertNever } from '../errors.js';
import { DEFAULT_PRINTER_PROFILE, type PrinterProfile } from './profiles.js';
import { toPrintable, unitsColumns, wrapUnits, type EncodedChar, type UnprintableChar } from './text.js';

export type Align = 'left' | 'center' | 'right';
export type CutMode = 'full' | 'partial';
export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';
export type QrModel = 1 | 2;
/** ESC - n: 0 off, 1 one dot thick, 2 two dots thick. */
export type UnderlineMode = 0 | 1 | 2;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const EOT = 0x04;
const LF = 0x0a;

function malformed(message: string, detail?: Record<string, unknown>): DriverError {
  return new DriverError('PROTOCOL_MALFORMED', message, detail ? { detail } : undefined);
}

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw malformed(`${name} must be an integer ${min}..${max}, got ${value}`, { [name]: value });
  return value;
}

/** Every command the encoder emits, by mnemonic, as bytes (escpos.md table). */
export const EscPosCommands = {
  /** ESC @ = initialize printer (1B 40). */
  ESC_AT: (): Uint8Array => Uint8Array.of(ESC, 0x40),
  /** LF = print and line feed (0A). */
  LF: (): Uint8Array => Uint8Array.of(LF),
  /** FS & = select Chinese (double-byte) character mode (1C 26). */
  FS_AMPERSAND: (): Uint8Array => Uint8Array.of(FS, 0x26),
  /** FS . = cancel Chinese character mode (1C 2E). */
  FS_DOT: (): Uint8Array => Uint8Array.of(FS, 0x2e),
  /** GS ! n = character size; n = (width-1) << 4 | (height-1), width and height 1..8. */
  GS_EXCLAMATION: (width: number, height: number): Uint8Array =>
    Uint8Array.of(GS, 0x21, ((checkInt('width', width, 1, 8) - 1) << 4) | (checkInt('height', height, 1, 8) - 1)),
  /** ESC a n = justification; 0 left, 1 centre, 2 right. */
  ESC_A: (align: Align): Uint8Array => Uint8Array.of(ESC, 0x61, align === 'left' ? 0 : align === 'center' ? 1 : 2),
  /** ESC E n = emphasized (bold) on/off. */
  ESC_E: (on: boolean): Uint8Array => Uint8Array.of(ESC, 0x45, on ? 1 : 0),
  /** ESC - n = underline; 0 off, 1 one dot, 2 two dots. Applies to single-byte (ASCII) characters only. */
  ESC_MINUS: (mode: UnderlineMode): Uint8Array => Uint8Array.of(ESC, 0x2d, checkInt('underline', mode, 0, 2)),
  /** FS - n = underline of Chinese (double-byte) characters; 0 off, 1 one dot, 2 two dots (1C 2D n). */
  FS_MINUS: (mode: UnderlineMode): Uint8Array => Uint8Array.of(FS, 0x2d, checkInt('underline', mode, 0, 2)),
  /** ESC d n = print and feed n lines (0..255). */
  ESC_D: (lines: number): Uint8Array => Uint8Array.of(ESC, 0x64, checkInt('lines', lines, 0, 255)),
  /** GS V 0 = full cut; GS V 1 = partial cut (at the current position). */
  GS_V_CUT: (mode: CutMode): Uint8Array => Uint8Array.of(GS, 0x56, mode === 'full' ? 0x00 : 0x01),
  /** GS V 65 n = feed n units to the cutting position then full cut; GS V 66 n = then partial cut. */
  GS_V_FEED_CUT: (mode: CutMode, n: number): Uint8Array =>
    Uint8Array.of(GS, 0x56, mode === 'full' ? 0x41 : 0x42, checkInt('cut feed', n, 0, 255)),
  /** GS ( k fn 165 = QR code: select model; n1 = 0x31 model 1, 0x32 model 2 (1D 28 6B 04 00 31 41 n1 00). */
  GS_PAREN_K_QR_MODEL: (model: QrModel): Uint8Array => Uint8Array.of(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, model === 1 ? 0x31 : 0x32, 0x00),
  /** GS ( k fn 167 = QR code: module size n dots (1..16) (1D 28 6B 03 00 31 43 n). */
  GS_PAREN_K_QR_SIZE: (dots: number): Uint8Array => Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, checkInt('module size', dots, 1, 16)),
  /** GS ( k fn 169 = QR code: error correction; 0x30 L, 0x31 M, 0x32 Q, 0x33 H (1D 28 6B 03 00 31 45 n). */
  GS_PAREN_K_QR_ERROR: (level: QrErrorLevel): Uint8Array => Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_LEVEL_BYTE[level]),
  /** GS ( k fn 180 = QR code: store data; pL + 256 * pH = k + 3 (1D 28 6B pL pH 31 50 30 d1..dk), k 1..7089. */
  GS_PAREN_K_QR_STORE: (data: Uint8Array): Uint8Array => {
    checkInt('QR data length', data.length, 1, 7089);
    const p = data.length + 3;
    const out = new Uint8Array(8 + data.length);
    out.set([GS, 0x28, 0x6b, p & 0xff, p >> 8, 0x31, 0x50, 0x30]);
    out.set(data, 8);
    return out;
  },
  /** GS ( k fn 181 = QR code: print the stored symbol (1D 28 6B 03 00 31 51 30). */
  GS_PAREN_K_QR_PRINT: (): Uint8Array => Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30),
  /** GS k m=73 (function B) = CODE128: 1D 6B 49 n d1..dn, data starting with a code-set selector such as `{B`. */
  GS_K_CODE128: (data: Uint8Array): Uint8Array => {
    checkInt('CODE128 data length', data.length, 2, 255);
    const out = new Uint8Array(4 + data.length);
    out.set([GS, 0x6b, 0x49, data.length]);
    out.set(data, 4);
    return out;
  },
  /** DLE EOT n = real-time status transmission, n 1..4 (10 04 n). */
  DLE_EOT: (n: 1 | 2 | 3 | 4): Uint8Array => Uint8Array.of(DLE, EOT, checkInt('DLE EOT n', n, 1, 4)),
  /** GS a n = enable/disable automatic status back (ASB); n is a bit mask, 0 disables. */
  GS_A: (mask: number): Uint8Array => Uint8Array.of(GS, 0x61, checkInt('ASB mask', mask, 0, 255)),
} as const;

const QR_LEVEL_BYTE: Record<QrErrorLevel, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };

/** A job ready for `ReceiptPrinterDriver.print()`: the bytes plus estimates for the counters. */
export interface PrintJob {
  bytes: Uint8Array;
  /** Printed text lines, blank ones included. */
  lines: number;
  /** Estimated paper length in mm (text rows, feeds, QR and barcode heights; not the head-to-cutter margin). */
  paperMm: number;
  /** Characters that could not be printed and were replaced. */
  unprintable: readonly UnprintableChar[];
}

export interface EscPosEncoderOptions {
  /** Default: the 80 mm profile. */
  profile?: PrinterProfile;
  /** Replacement for characters outside ASCII + GBK; must be printable. Default `□` (A1 F5). */
  fallback?: string;
}

export interface QrOptions {
  /** Default 2. */
  model?: QrModel;
  /** Module size in dots, 1..16, default 6. */
  moduleSize?: number;
  /** Default 'M'. */
  errorLevel?: QrErrorLevel;
}

export interface CutOptions {
  /**
   * `n` of GS V 65/66 (0..255 motion units beyond the cutting position), default 0: the printer feeds the last
   * line past the cutter itself. `false` sends GS V 0/1 and cuts where the paper is. On a 'cut-at-once' profile a
   * number is ignored: the encoder feeds the profile's cutFeedLines instead.
   */
  feed?: number | false;
}

/** Dots of a font A character cell (12x24). */
const FONT_A_HEIGHT = 24;
/** GS h default barcode height in dots (Epson default 162). */
const BARCODE_HEIGHT_DOTS = 162;

/**
 * Fluent builder of ESC/POS bytes. Style commands are sent as given (no state diffing), so the byte stream reads
 * like the calls. Layout helpers (`line`, `wrap`, `rule`) count display columns of the profile's font A, divided
 * by the current character width.
 */
export class EscPosEncoder {
  private readonly chunks: Uint8Array[] = [];
  private size_ = 0;
  private readonly profile: PrinterProfile;
  private readonly fallback: string;
  private readonly unprintable_: UnprintableChar[] = [];
  private chineseRun = false;
  /** ESC - mode in force; Chinese runs repeat it as FS - n inside FS & … FS . */
  private underlineMode: UnderlineMode = 0;
  private lineHasContent = false;
  private lineMaxHeight = 1;
  private width = 1;
  private height = 1;
  private lines_ = 0;
  private dots = 0;

  constructor(options: EscPosEncoderOptions = {}) {
    this.profile = options.profile ?? DEFAULT_PRINTER_PROFILE;
    this.fallback = options.fallback ?? '\u25A1';
    toPrintable('', this.fallback, this.profile.gb18030Edition); // throws when the fallback is itself unprintable
  }

  /** Columns available per line at the current character width. */
  get columns(): number {
    return Math.floor(this.profile.columns / this.width);
  }

  /** Characters replaced so far (caller shows or logs them; never personal data in logs: log code points only). */
  get unprintable(): readonly UnprintableChar[] {
    return this.unprintable_;
  }

  /** ESC @: clears the buffer and resets modes (size, bold, underline, alignment) to power-on defaults. */
  initialize(): this {
    this.command(EscPosCommands.ESC_AT());
    this.width = 1;
    this.height = 1;
    this.underlineMode = 0;
    return this;
  }

  /** ESC a n. Takes effect at the beginning of a line. */
  align(align: Align): this {
    return this.command(EscPosCommands.ESC_A(align));
  }

  /** ESC E n. */
  bold(on = true): this {
    return this.command(EscPosCommands.ESC_E(on));
  }

  /**
   * ESC - n. `true` = one dot. ESC - underlines single-byte characters only, so while it is on every Chinese run is
   * sent as FS & FS - n … FS - 0 FS . (FS - = Chinese character underline).
   */
  underline(mode: UnderlineMode | boolean = 1): this {
    const m: UnderlineMode = mode === true ? 1 : mode === false ? 0 : mode;
    this.command(EscPosCommands.ESC_MINUS(m));
    this.underlineMode = m;
    return this;
  }

  /** GS ! n with width and height multipliers 1..8. */
  size(width: number, height: number = width): this {
    this.command(EscPosCommands.GS_EXCLAMATION(width, height));
    this.width = width;
    this.height = height;
    return this;
  }

  /** Ends a pending line (LF) if any, then ESC d n: n blank lines. */
  feed(lines = 1): this {
    this.endLine();
    this.command(EscPosCommands.ESC_D(lines));
    this.lines_ += lines;
    this.dots += lines * this.profile.lineSpacingDots;
    return this;
  }

  /** Text without a line end; `\n` ends lines. Hanzi go in FS & … FS . runs, ASCII outside them. */
  text(text: string): this {
    const parts = text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) this.newline();
      this.emitUnits(this.printable(part));
    });
    return this;
  }

  /** Text followed by LF. */
  textLine(text = ''): this {
    return this.text(text).newline();
  }

  /** LF: prints the line buffer (an empty buffer prints a blank line). */
  newline(): this {
    this.closeRun();
    this.push(EscPosCommands.LF());
    this.lines_ += 1;
    this.dots += Math.max(this.profile.lineSpacingDots, FONT_A_HEIGHT * (this.lineHasContent ? this.lineMaxHeight : this.height));
    this.lineHasContent = false;
    this.lineMaxHeight = this.height;
    return this;
  }

  /**
   * A two-column row: `left` flush left, `right` flush right, across the full width. When both do not fit, `left`
   * wraps and `right` goes on the last line if it fits there, else on a line of its own (right-aligned).
   */
  line(left: string, right: string): this {
    this.endLine();
    const cols = this.columns;
    const l = this.printable(left);
    const r = wrapUnits(this.printable(right), cols);
    const rightLast = r[r.length - 1]!;
    const leftLines = wrapUnits(l, cols);
    const lastLeft = leftLines[leftLines.length - 1]!;
    const rows: EncodedChar[][] = leftLines.slice(0, -1);
    if (r.length === 1 && unitsColumns(lastLeft) + 1 + unitsColumns(rightLast) <= cols) {
      rows.push([...lastLeft, ...spaces(cols - unitsColumns(lastLeft) - unitsColumns(rightLast)), ...rightLast]);
    } else {
      rows.push(lastLeft);
      for (const part of r) rows.push([...spaces(cols - unitsColumns(part)), ...part]);
    }
    for (const row of rows) {
      this.emitUnits(row);
      this.newline();
    }
    return this;
  }

  /** Wraps text to the line width by display columns; each resulting line ends with LF. */
  wrap(text: string): this {
    this.endLine();
    for (const paragraph of text.split('\n')) {
      for (const row of wrapUnits(this.printable(paragraph), this.columns)) {
        this.emitUnits(row);
        this.newline();
      }
    }
    return this;
  }

  /** A full-width rule of `char` (default `-`), then LF. A double-byte char fills columns / 2 times. */
  rule(char = '-'): this {
    this.endLine();
    const units = this.printable(char);
    const unitCols = unitsColumns(units);
    const count = Math.floor(this.columns / Math.max(1, unitCols));
    this.emitUnits(Array.from({ length: count }, () => units).flat());
    return this.newline();
  }

  /**
   * QR code by GS ( k: model, module size, error correction, store (data as UTF-8 bytes), print. Starts on a new
   * line (a pending line is ended with LF first).
   */
  qr(data: string | Uint8Array, options: QrOptions = {}): this {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const model = options.model ?? 2;
    const moduleSize = options.moduleSize ?? 6;
    const level = options.errorLevel ?? 'M';
    const modules = qrModules(bytes, level); // throws before anything is emitted when the data does not fit
    this.endLine();
    this.command(EscPosCommands.GS_PAREN_K_QR_MODEL(model));
    this.command(EscPosCommands.GS_PAREN_K_QR_SIZE(moduleSize));
    this.command(EscPosCommands.GS_PAREN_K_QR_ERROR(level));
    this.command(EscPosCommands.GS_PAREN_K_QR_STORE(bytes));
    this.command(EscPosCommands.GS_PAREN_K_QR_PRINT());
    this.dots += modules * moduleSize;
    return this;
  }

  /**
   * CODE128 by GS k m=73 in code set B (`{B` + data; a literal `{` is sent as `{{`). Data: printable ASCII 0x20..0x7E,
   * at most 253 bytes after escaping. Starts on a new line.
   */
  code128(data: string): this {
    const bytes: number[] = [0x7b, 0x42]; // {B = select code set B
    for (const char of data) {
      const c = char.codePointAt(0)!;
      if (c < 0x20 || c > 0x7e) {
        throw new DriverError('PRINTER_UNPRINTABLE_TEXT', 'CODE128 code set B takes printable ASCII only', { detail: { codePoint: c } });
      }
      bytes.push(c);
      if (c === 0x7b) bytes.push(0x7b);
    }
    this.endLine();
    this.command(EscPosCommands.GS_K_CODE128(Uint8Array.from(bytes)));
    this.dots += BARCODE_HEIGHT_DOTS;
    return this;
  }

  /**
   * Cut (GS V). With a profile without cutter, only feeds `cutFeedLines` (ESC d n) to the tear bar instead of
   * sending a cut the printer cannot execute. Profile `cutCommand` 'feed-then-cut': GS V 65/66 n (the printer feeds
   * to its cutting position); 'cut-at-once': ESC d cutFeedLines then GS V 0/1. `feed: false` cuts where the paper is.
   */
  cut(mode: CutMode = 'partial', options: CutOptions = {}): this {
    this.endLine();
    if (!this.profile.cutter) return this.feed(this.profile.cutFeedLines);
    const feed = options.feed ?? 0;
    if (feed === false) return this.command(EscPosCommands.GS_V_CUT(mode));
    switch (this.profile.cutCommand) {
      case 'feed-then-cut':
        this.dots += feed;
        return this.command(EscPosCommands.GS_V_FEED_CUT(mode, feed));
      case 'cut-at-once':
        this.feed(this.profile.cutFeedLines);
        return this.command(EscPosCommands.GS_V_CUT(mode));
      default:
        return assertNever(this.profile.cutCommand, 'cut command');
    }
  }

  /** Raw bytes, passed through as they are (the caller names what they are). */
  raw(bytes: Uint8Array | readonly number[]): this {
    return this.command(Uint8Array.from(bytes));
  }

  /** The bytes built so far (any open Chinese run is closed first). */
  encode(): Uint8Array {
    this.closeRun();
    const out = new Uint8Array(this.size_);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** The bytes plus counters for the driver. */
  job(): PrintJob {
    return {
      bytes: this.encode(),
      lines: this.lines_,
      paperMm: Math.round((this.dots / this.profile.dotsPerMm) * 10) / 10,
      unprintable: [...this.unprintable_],
    };
  }

  private printable(text: string): EncodedChar[] {
    const { chars, unprintable } = toPrintable(text, this.fallback, this.profile.gb18030Edition);
    this.unprintable_.push(...unprintable);
    return chars;
  }

  private emitUnits(units: readonly EncodedChar[]): void {
    if (units.length === 0) return;
    const out: number[] = [];
    for (const unit of units) {
      if (unit.kind === 'double') {
        if (!this.chineseRun) {
          out.push(FS, 0x26); // FS & = Chinese mode on
          if (this.underlineMode !== 0) out.push(FS, 0x2d, this.underlineMode); // FS - n = Chinese underline
        }
        this.chineseRun = true;
        out.push(unit.bytes[0], unit.bytes[1]);
      } else {
        if (this.chineseRun) {
          if (this.underlineMode !== 0) out.push(FS, 0x2d, 0); // FS - 0
          out.push(FS, 0x2e); // FS . = Chinese mode off
        }
        this.chineseRun = false;
        out.push(unit.byte);
      }
    }
    this.push(Uint8Array.from(out));
    this.lineHasContent = true;
    this.lineMaxHeight = Math.max(this.lineMaxHeight, this.height);
  }

  private endLine(): void {
    if (this.lineHasContent) this.newline();
  }

  private closeRun(): void {
    if (!this.chineseRun) return;
    this.chineseRun = false;
    if (this.underlineMode !== 0) this.push(EscPosCommands.FS_MINUS(0));
    this.push(EscPosCommands.FS_DOT());
  }

  private command(bytes: Uint8Array): this {
    this.closeRun();
    this.push(bytes);
    return this;
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size_ += bytes.length;
  }
}

function spaces(n: number): EncodedChar[] {
  return Array.from({ length: Math.max(0, n) }, () => ({ kind: 'ascii', char: ' ', byte: 0x20, columns: 1 }) as const);
}

/** Modules per side of the QR symbol the printer will draw (estimate for paper length; byte mode). */
function qrModules(bytes: Uint8Array, level: QrErrorLevel): number {
  try {
    return QRCode.create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: level }).modules.size;
  } catch (e) {
    throw new DriverError('PROTOCOL_MALFORMED', 'QR data too long for the chosen error correction level', { cause: e, detail: { length: bytes.length, level } });
  }
}
