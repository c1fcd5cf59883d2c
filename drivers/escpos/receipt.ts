/**
 * The receipt model the virtual printer builds from decoded commands (decoder.ts), and its plain-text rendering.
 * Printer semantics modelled (standard mode, Epson reference):
 * - LF prints the line buffer (an empty buffer prints a blank line); ESC d n prints the buffer and feeds n lines,
 *   so at the start of a line it gives n blank lines, after text the text line and n - 1 blank lines.
 * - ESC a takes effect for a line when it is processed at the beginning of that line.
 * - A line longer than the printable width wraps by itself: a character that does not fit starts the next line.
 * - A QR print or barcode processed with text in the line buffer prints that text first.
 * - A cut ends the receipt.
 * - ESC - n underlines single-byte characters, FS - n double-byte (Chinese) ones; each run carries the one that
 *   applies to its characters.
 */
import { assertNever } from '../errors.js';
import type { DecodedAlign, DecodedCommand } from './decoder.js';

export interface ReceiptRun {
  text: string;
  /** Columns at 1x width: text.length (single-byte chars) or 2 * text.length (double-byte); a run never mixes them. */
  columns: number;
  bold: boolean;
  underline: 0 | 1 | 2;
  width: number;
  height: number;
}

export type ReceiptBlock =
  | { kind: 'text'; align: DecodedAlign; runs: ReceiptRun[] }
  | { kind: 'qr'; align: DecodedAlign; data: string; byteLength: number; model: 1 | 2; moduleSize: number; errorLevel: 'L' | 'M' | 'Q' | 'H' }
  | { kind: 'barcode'; align: DecodedAlign; symbology: 'CODE128'; data: string; values: number[] }
  | { kind: 'cut'; mode: 'full' | 'partial' };

export interface Receipt {
  /** Sequence number, from 1. */
  id: number;
  /** Epoch ms when the receipt ended (cut, abort or flush). */
  at: number;
  blocks: ReceiptBlock[];
  /** Plain-text rendering (see `receiptText`). */
  text: string;
  /** False when printing stopped before the job ended (paper end, cover open, unplug mid-job). */
  complete: boolean;
  /** Why an incomplete receipt stopped, e.g. 'paper end'. */
  stoppedBy?: string;
}

export interface ReceiptAssemblerOptions {
  /** Font A columns of the printable width (48 on 80 mm, 32 on 58 mm). */
  columns: number;
  now?: () => number;
}

interface Style {
  align: DecodedAlign;
  bold: boolean;
  /** ESC - n: single-byte characters. */
  underline: 0 | 1 | 2;
  /** FS - n: double-byte characters. */
  chineseUnderline: 0 | 1 | 2;
  width: number;
  height: number;
}

const DEFAULT_STYLE: Style = { align: 'left', bold: false, underline: 0, chineseUnderline: 0, width: 1, height: 1 };

/** What an applied command did, for the simulator's counters and fault triggers. */
export interface ApplyResult {
  /** Text lines printed by this command (blank ones included). */
  linesPrinted: number;
  /** A receipt ended with a cut. */
  cut?: Receipt;
}

export class ReceiptAssembler {
  private style: Style = { ...DEFAULT_STYLE };
  private lineAlign: DecodedAlign | undefined;
  private line: ReceiptRun[] = [];
  private lineColumns = 0;
  private blocks: ReceiptBlock[] = [];
  private qr = { model: 2 as 1 | 2, moduleSize: 3, errorLevel: 'L' as 'L' | 'M' | 'Q' | 'H', data: undefined as Uint8Array | undefined };
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly options: ReceiptAssemblerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True when the receipt in progress has printed something or has text in its line buffer. */
  get hasContent(): boolean {
    return this.blocks.length > 0 || this.line.length > 0;
  }

  /** The receipt in progress (blocks so far, line buffer not included). */
  get pendingBlocks(): readonly ReceiptBlock[] {
    return this.blocks;
  }

  apply(cmd: DecodedCommand): ApplyResult {
    const result: ApplyResult = { linesPrinted: 0 };
    switch (cmd.op) {
      case 'text':
        this.addText(cmd.text, cmd.widths, result);
        break;
      case 'lf':
        this.printLine(result);
        break;
      case 'init':
        // ESC @ clears the line buffer and resets modes; the QR store is kept (it lives in the symbol memory).
        this.style = { ...DEFAULT_STYLE };
        this.line = [];
        this.lineColumns = 0;
        this.lineAlign = undefined;
        break;
      case 'align':
        this.style.align = cmd.align;
        if (this.line.length === 0) this.lineAlign = cmd.align;
        break;
      case 'bold':
        this.style.bold = cmd.on;
        break;
      case 'underline':
        this.style.underline = cmd.mode;
        break;
      case 'chinese-underline':
        this.style.chineseUnderline = cmd.mode;
        break;
      case 'size':
        this.style.width = cmd.width;
        this.style.height = cmd.height;
        break;
      case 'feed': {
        const hadText = this.line.length > 0;
        if (hadText) this.printLine(result);
        for (let k = hadText ? 1 : 0; k < cmd.lines; k++) this.printLine(result);
        break;
      }
      case 'qr-model':
        this.qr.model = cmd.model;
        break;
      case 'qr-size':
        this.qr.moduleSize = cmd.dots;
        break;
      case 'qr-error':
        this.qr.errorLevel = cmd.level;
        break;
      case 'qr-store':
        this.qr.data = cmd.data;
        break;
      case 'qr-print':
        if (this.line.length > 0) this.printLine(result);
        if (this.qr.data) {
          this.blocks.push({
            kind: 'qr',
            align: this.style.align,
            data: new TextDecoder().decode(this.qr.data),
            byteLength: this.qr.data.length,
            model: this.qr.model,
            moduleSize: this.qr.moduleSize,
            errorLevel: this.qr.errorLevel,
          });
        }
        break;
      case 'barcode':
        if (this.line.length > 0) this.printLine(result);
        this.blocks.push({ kind: 'barcode', align: this.style.align, symbology: cmd.symbology, data: cmd.data, values: cmd.values });
        break;
      case 'cut':
        if (this.line.length > 0) this.printLine(result);
        this.blocks.push({ kind: 'cut', mode: cmd.mode });
        result.cut = this.finish(true);
        break;
      case 'chinese':
      case 'status-request':
      case 'asb':
      case 'ignored':
      case 'discarded':
        break;
      default:
        assertNever(cmd, 'decoded command');
    }
    return result;
  }

  /** Ends the receipt in progress without a cut; undefined when it is empty. */
  finish(complete: boolean, stoppedBy?: string): Receipt | undefined {
    if (!complete && this.line.length > 0) this.line = []; // an unprinted line buffer never reached paper
    this.lineColumns = 0;
    if (this.blocks.length === 0) return undefined;
    const blocks = this.blocks;
    this.blocks = [];
    const receipt: Receipt = { id: this.nextId++, at: this.now(), blocks, text: receiptText(blocks, this.options.columns), complete };
    if (stoppedBy !== undefined) receipt.stoppedBy = stoppedBy;
    return receipt;
  }

  private addText(text: string, widths: readonly number[], result: ApplyResult): void {
    const cols = this.options.columns;
    for (let i = 0; i < text.length; i++) {
      const w = widths[i] ?? 1;
      const scaled = w * this.style.width;
      if (this.lineColumns + scaled > cols && this.line.length > 0) this.printLine(result);
      if (this.line.length === 0 && this.lineAlign === undefined) this.lineAlign = this.style.align;
      const last = this.line[this.line.length - 1];
      const s = this.style;
      const underline = w === 2 ? s.chineseUnderline : s.underline;
      // Runs are uniform in style and in char width (single- or double-byte), so a renderer can place each char.
      if (last && last.columns === last.text.length * w && last.bold === s.bold && last.underline === underline && last.width === s.width && last.height === s.height) {
        last.text += text[i];
        last.columns += w;
      } else this.line.push({ text: text[i]!, columns: w, bold: s.bold, underline, width: s.width, height: s.height });
      this.lineColumns += scaled;
    }
  }

  private printLine(result: ApplyResult): void {
    this.blocks.push({ kind: 'text', align: this.lineAlign ?? this.style.align, runs: this.line });
    this.line = [];
    this.lineColumns = 0;
    this.lineAlign = undefined;
    result.linesPrinted += 1;
  }
}

/**
 * Plain text of a receipt for assertions: one line per text line, padded for its alignment by display columns
 * (a double-byte char and a 2x-wide char take two), trailing spaces trimmed; `[QR <level> <data>]`,
 * `[CODE128 <data>]` and `-- cut (full|partial) --` lines for the graphic blocks.
 */
export function receiptText(blocks: readonly ReceiptBlock[], columns: number): string {
  const out: string[] = [];
  const pad = (align: DecodedAlign, width: number): string => {
    const free = Math.max(0, columns - width);
    return ' '.repeat(align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0);
  };
  for (const b of blocks) {
    switch (b.kind) {
      case 'text': {
        const width = b.runs.reduce((n, r) => n + r.columns * r.width, 0);
        out.push((pad(b.align, width) + b.runs.map((r) => r.text).join('')).trimEnd());
        break;
      }
      case 'qr': {
        const label = `[QR ${b.errorLevel} ${b.data}]`;
        out.push(pad(b.align, label.length) + label);
        break;
      }
      case 'barcode': {
        const label = `[${b.symbology} ${b.data}]`;
        out.push(pad(b.align, label.length) + label);
        break;
      }
      case 'cut':
        out.push(`-- cut (${b.mode}) --`);
        break;
      default:
        assertNever(b, 'receipt block');
    }
  }
  return out.join('\n');
}
