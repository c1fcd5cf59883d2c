/**
 * Receipt printer profiles as plain data (JSON-compatible, no functions), keyed by the ids kiosk-config already uses
 * (`ReceiptPrinterDeviceSchema.profile`: '80mm' | '58mm' | '80mm-presenter'). The lead will move them into
 * kiosk-config; until then the driver, encoder and simulator read them from here.
 */
import type { DleEot4Layout } from './status.js';
import type { Gb18030Edition } from './text.js';

export interface PrinterProfile {
  id: string;
  name: string;
  /** Paper roll width in mm. */
  paperWidthMm: number;
  /** Printable width in dots (203 dpi heads: 576 for 80 mm, 384 for 58 mm). */
  printWidthDots: number;
  /** Dots per mm of the head (8 for 203 dpi). */
  dotsPerMm: number;
  /** Columns of font A (12x24 dots): 48 on 80 mm, 32 on 58 mm. A hanzi takes two columns. */
  columns: number;
  /** Has an auto-cutter; without one, `cut()` only feeds to the tear bar. */
  cutter: boolean;
  /** Feed (in lines) that brings the last printed line past the cutter / tear bar. Range 0..255. */
  cutFeedLines: number;
  /**
   * How a cut is sent. 'feed-then-cut': GS V 66 n / GS V 65 n, the printer feeds to its cutting position itself
   * (Epson and most generic printers). 'cut-at-once': for models that cut at once on GS V 66 n (or lack function B):
   * ESC d cutFeedLines, then GS V 1 / GS V 0.
   */
  cutCommand: 'feed-then-cut' | 'cut-at-once';
  /**
   * Character set of double-byte runs. Only 'gb18030' (GBK repertoire, two bytes per character) is supported;
   * runs are framed by FS & / FS . (escpos.md).
   */
  codePage: 'gb18030';
  /**
   * Which GB18030 edition's two-byte mapping the font follows. '2022' (default profiles): the 18 characters
   * GB18030-2022 moved from PUA to standard code points (︐..︙ U+FE10–FE19 at A6 D9..A6 F3, 龴..龻 U+9FB4–9FBB at
   * FE 59..FE A0) are sent as those two-byte codes. '2005': they are unprintable (fallback □, reported) — for a font
   * that has no glyphs at those positions.
   */
  gb18030Edition: Gb18030Edition;
  /** Double-byte (Chinese) mode at power-on (a DIP switch on most Chinese-market printers; Epson: off). */
  chineseModeAtPowerOn: boolean;
  /** Answers DLE EOT n (real-time status) when the link is two-way. */
  supportsStatus: boolean;
  /** Supports GS a n (automatic status back, 4-byte answers). */
  supportsAsb: boolean;
  /**
   * Meaning of the DLE EOT 4 (roll paper sensor) bits. 'standard': bits 2+3 near end, bits 5+6 paper end (either
   * counts). 'presenter': bit 5 alone is paper end and bit 6 is the presenter sensor (a ticket waits in the presenter,
   * e.g. Citizen PPU-231II): 0x52 is "paper in presenter", not paper end.
   */
  dleEot4Layout: DleEot4Layout;
  /** Paper speed in mm/s, used to wait before the after-print status check (a print job takes time). */
  printSpeedMmPerS: number;
  /** Default line spacing in dots (ESC 2, about 1/6 inch). */
  lineSpacingDots: number;
}

/** Generic 80 mm thermal; the presenter model below differs from it only where its hardware does. */
const GENERIC_80MM = {
  id: '80mm',
  name: 'Generic 80 mm thermal (font A 12x24, 48 columns, cutter)',
  paperWidthMm: 80,
  printWidthDots: 576,
  dotsPerMm: 8,
  columns: 48,
  cutter: true,
  cutFeedLines: 4,
  cutCommand: 'feed-then-cut',
  codePage: 'gb18030',
  gb18030Edition: '2022',
  chineseModeAtPowerOn: true,
  supportsStatus: true,
  supportsAsb: true,
  dleEot4Layout: 'standard',
  printSpeedMmPerS: 150,
  lineSpacingDots: 30,
} as const satisfies PrinterProfile;

export const PRINTER_PROFILES = {
  '80mm': GENERIC_80MM,
  '80mm-presenter': {
    ...GENERIC_80MM,
    id: '80mm-presenter',
    name: 'Kiosk 80 mm thermal with presenter (e.g. Citizen PPU-231II; cuts at once, DLE EOT 4 bit 6 = presenter)',
    cutCommand: 'cut-at-once',
    dleEot4Layout: 'presenter',
  },
  '58mm': {
    id: '58mm',
    name: 'Generic 58 mm thermal (font A 12x24, 32 columns, no cutter)',
    paperWidthMm: 58,
    printWidthDots: 384,
    dotsPerMm: 8,
    columns: 32,
    cutter: false,
    cutFeedLines: 4,
    cutCommand: 'feed-then-cut',
    codePage: 'gb18030',
    gb18030Edition: '2022',
    chineseModeAtPowerOn: true,
    supportsStatus: true,
    supportsAsb: false,
    dleEot4Layout: 'standard',
    printSpeedMmPerS: 90,
    lineSpacingDots: 30,
  },
} as const satisfies Record<string, PrinterProfile>;

export type PrinterProfileId = keyof typeof PRINTER_PROFILES;

export const DEFAULT_PRINTER_PROFILE: PrinterProfile = PRINTER_PROFILES['80mm'];
