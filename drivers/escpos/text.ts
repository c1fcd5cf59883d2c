import iconv from 'iconv-lite';
import { DriverError } from '../errors.js';

/**
 * Text for GBK printers: which characters can be printed, how many columns they take, and how lines wrap.
 * Obligations (escpos.md): a character is printable only when it is ASCII or a two-byte character of the GBK
 * repertoire; four-byte GB18030 sequences print as garbage. `¥` U+00A5 is mapped to `￥` U+FFE5 (A3 A4).
 * Anything else unprintable is replaced by a visible fallback and reported, never dropped silently.
 *
 * The repertoire is real GBK, i.e. Microsoft CP936 (iconv-lite 'cp936'), not GB18030's two-byte table: GB18030
 * assigns two-byte codes to 82 non-PUA characters that GBK fonts lack (checked here against iconv-lite 0.7.3:
 * € A2 E3 — GBK has € only as the single byte 0x80 —, ǹ A8 BF, ḿ A8 BC, 〾 and ⿰..⿻ A9 89..A9 95, and 14 CJK
 * radicals plus 52 Ext-A ideographs in FE 50..FE 9F), plus ~2,000 user-defined (PUA) positions. iconv-lite's
 * 'gbk' is NOT GBK: it is cp936 plus those GB18030 additions (its tables/gbk-added.json). Where CP936 has a
 * two-byte code, it is the same as GB18030's (the sweep in text.test.ts checks every BMP code point).
 *
 * GB18030-2022 moved 18 two-byte codes from PUA to standard code points (below). GBK/GB18030 printer fonts have
 * glyphs there (the glyphs did not change, only the Unicode mapping), so with edition '2022' (the default) these
 * characters — 龴 U+9FB4 and its neighbours occur in names — print as their two-byte codes instead of □. A printer
 * profile says '2005' when its font has no glyphs at those positions.
 */

/** Which GB18030 edition's two-byte mapping the printer's font follows; see `PrinterProfile.gb18030Edition`. */
export type Gb18030Edition = '2005' | '2022';

/**
 * The 18 two-byte codes GB18030-2022 maps to standard code points instead of PUA (U+E78D..E796, E81E, E826, E82B,
 * E82C, E832, E843, E854, E864 in 2005). Source: the standard's table as implemented by encoding_rs
 * (GB18030_2022_OVERRIDE_BYTES) and glibc 2.38 (BZ #30243). Not in it: FE 51/52/53/6C/76/91 — they keep their PUA
 * mappings and 𠂇 U+20087 etc. stay four-byte (95 32 90 31), so those remain unprintable.
 */
export const GB18030_2022_TWO_BYTE: ReadonlyMap<number, readonly [number, number]> = new Map<number, readonly [number, number]>([
  [0xfe10, [0xa6, 0xd9]], // ︐ vertical comma
  [0xfe12, [0xa6, 0xda]], // ︒ vertical ideographic full stop
  [0xfe11, [0xa6, 0xdb]], // ︑ vertical ideographic comma
  [0xfe13, [0xa6, 0xdc]], // ︓
  [0xfe14, [0xa6, 0xdd]], // ︔
  [0xfe15, [0xa6, 0xde]], // ︕
  [0xfe16, [0xa6, 0xdf]], // ︖
  [0xfe17, [0xa6, 0xec]], // ︗
  [0xfe18, [0xa6, 0xed]], // ︘
  [0xfe19, [0xa6, 0xf3]], // ︙
  [0x9fb4, [0xfe, 0x59]], // 龴
  [0x9fb5, [0xfe, 0x61]], // 龵
  [0x9fb6, [0xfe, 0x66]], // 龶
  [0x9fb7, [0xfe, 0x67]], // 龷
  [0x9fb8, [0xfe, 0x6d]], // 龸
  [0x9fb9, [0xfe, 0x7e]], // 龹
  [0x9fba, [0xfe, 0x90]], // 龺
  [0x9fbb, [0xfe, 0xa0]], // 龻
]);

/** Characters replaced by a printable equivalent before the repertoire check. */
const SUBSTITUTES: ReadonlyMap<string, string> = new Map([
  ['\u00A5', '\uFFE5'], // ¥ → ￥ (A3 A4); GB18030 has ¥ only as a four-byte sequence (81 30 84 36)
  ['\t', ' '],
]);

export interface UnprintableChar {
  /** The character as the caller gave it. */
  char: string;
  codePoint: number;
  /** What was printed instead. */
  replacement: string;
}

/** One printable unit: its bytes and its display width in columns (1 for ASCII, 2 for a double-byte char). */
export type EncodedChar =
  | { kind: 'ascii'; char: string; byte: number; columns: 1 }
  | { kind: 'double'; char: string; bytes: [number, number]; columns: 2 };

const caches: Record<Gb18030Edition, Map<string, EncodedChar | null>> = { '2005': new Map(), '2022': new Map() };

/**
 * Encodes one character (a whole code point) or returns null when it is outside ASCII-printable + GBK (CP936),
 * plus, with edition '2022' (default), the 18 GB18030-2022 two-byte mappings.
 */
export function encodeChar(char: string, edition: Gb18030Edition = '2022'): EncodedChar | null {
  const code = char.codePointAt(0)!;
  if (code >= 0x20 && code < 0x7f) return { kind: 'ascii', char, byte: code, columns: 1 };
  if (code < 0x80) return null; // control characters are not text
  const cache = caches[edition];
  const hit = cache.get(char);
  if (hit !== undefined) return hit;
  const overlay = edition === '2022' ? GB18030_2022_TWO_BYTE.get(code) : undefined;
  // iconv-lite writes an unmappable character as '?' (one byte), which the length check rejects
  const bytes = overlay ?? iconv.encode(char, 'cp936');
  // A lead byte 0x81..0xFE followed by a trail byte 0x40..0xFE (not 0x7F) is a GBK two-byte character.
  const result: EncodedChar | null =
    bytes.length === 2 && bytes[0]! >= 0x81 && bytes[0]! <= 0xfe && bytes[1]! >= 0x40 && bytes[1]! !== 0x7f && bytes[1]! <= 0xfe
      ? { kind: 'double', char, bytes: [bytes[0]!, bytes[1]!], columns: 2 }
      : null;
  cache.set(char, result);
  return result;
}

export interface PrintableText {
  /** Printable units in order (after substitution and fallback). */
  chars: EncodedChar[];
  unprintable: UnprintableChar[];
}

/**
 * Splits text into printable units. `fallback` (default `□`, A1 F5) must itself be printable.
 * Line breaks are not handled here; callers split lines first.
 */
export function toPrintable(text: string, fallback = '\u25A1', edition: Gb18030Edition = '2022'): PrintableText {
  const fallbackUnit = encodeChar(fallback, edition);
  if (!fallbackUnit) throw new DriverError('PRINTER_UNPRINTABLE_TEXT', 'the fallback character is itself unprintable', { detail: { codePoint: fallback.codePointAt(0) } });
  const chars: EncodedChar[] = [];
  const unprintable: UnprintableChar[] = [];
  for (const original of text) {
    const char = SUBSTITUTES.get(original) ?? original;
    const unit = encodeChar(char, edition);
    if (unit) chars.push(unit);
    else {
      chars.push(fallbackUnit);
      unprintable.push({ char: original, codePoint: original.codePointAt(0)!, replacement: fallback });
    }
  }
  return { chars, unprintable };
}

/** Display columns of a string as the printer will lay it out (unprintables count as their fallback). */
export function displayColumns(text: string, fallback = '\u25A1', edition: Gb18030Edition = '2022'): number {
  let n = 0;
  for (const unit of toPrintable(text, fallback, edition).chars) n += unit.columns;
  return n;
}

export function unitsColumns(units: readonly EncodedChar[]): number {
  let n = 0;
  for (const u of units) n += u.columns;
  return n;
}

/**
 * Greedy wrap of printable units into lines of at most `columns` columns. A double-byte char is never split; an
 * ASCII word is moved to the next line whole when the line has an earlier space to break at. Spaces at a break are
 * dropped. An empty input yields one empty line.
 */
export function wrapUnits(units: readonly EncodedChar[], columns: number): EncodedChar[][] {
  if (columns < 2) throw new DriverError('PROTOCOL_MALFORMED', `line width must be at least 2 columns, got ${columns}`, { detail: { columns } });
  const lines: EncodedChar[][] = [];
  let line: EncodedChar[] = [];
  let width = 0;
  for (const unit of units) {
    if (width + unit.columns > columns) {
      let carry: EncodedChar[] = [];
      const isWordChar = unit.kind === 'ascii' && unit.char !== ' ';
      if (isWordChar) {
        const lastSpace = findLastSpace(line);
        if (lastSpace > 0 && line.slice(lastSpace + 1).every((u) => u.kind === 'ascii')) {
          carry = line.slice(lastSpace + 1);
          line = line.slice(0, lastSpace);
        }
      }
      lines.push(trimEndSpaces(line));
      line = carry;
      width = unitsColumns(line);
      if (unit.kind === 'ascii' && unit.char === ' ' && line.length === 0) continue;
    }
    line.push(unit);
    width += unit.columns;
  }
  lines.push(trimEndSpaces(line));
  return lines;
}

function findLastSpace(line: readonly EncodedChar[]): number {
  for (let i = line.length - 1; i >= 0; i--) if (line[i]!.kind === 'ascii' && line[i]!.char === ' ') return i;
  return -1;
}

function trimEndSpaces(line: EncodedChar[]): EncodedChar[] {
  let end = line.length;
  while (end > 0 && line[end - 1]!.kind === 'ascii' && line[end - 1]!.char === ' ') end--;
  return line.slice(0, end);
}

export function unitsToString(units: readonly EncodedChar[]): string {
  return units.map((u) => u.char).join('');
}
