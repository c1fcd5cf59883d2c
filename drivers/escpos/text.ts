import iconv from 'iconv-lite';
import { DriverError } from '../errors.js';

/**
 * Text for GBK printers: which characters can be printed, how many columns they take, and how lines wrap.
 * Obligations (escpos.md): a character is printable only when GB18030 encodes it in one byte (ASCII) or two bytes
 * (the GBK repertoire); four-byte sequences print as garbage. `¥` U+00A5 is mapped to `￥` U+FFE5 (A3 A4).
 * Anything else unprintable is replaced by a visible fallback and reported, never dropped silently.
 */

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

const cache = new Map<string, EncodedChar | null>();

/** Encodes one character (a whole code point) or returns null when it is outside ASCII-printable + GBK. */
export function encodeChar(char: string): EncodedChar | null {
  const code = char.codePointAt(0)!;
  if (code >= 0x20 && code < 0x7f) return { kind: 'ascii', char, byte: code, columns: 1 };
  if (code < 0x80) return null; // control characters are not text
  const hit = cache.get(char);
  if (hit !== undefined) return hit;
  const bytes = iconv.encode(char, 'gb18030');
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
export function toPrintable(text: string, fallback = '\u25A1'): PrintableText {
  const fallbackUnit = encodeChar(fallback);
  if (!fallbackUnit) throw new DriverError('PRINTER_UNPRINTABLE_TEXT', 'the fallback character is itself unprintable', { detail: { codePoint: fallback.codePointAt(0) } });
  const chars: EncodedChar[] = [];
  const unprintable: UnprintableChar[] = [];
  for (const original of text) {
    const char = SUBSTITUTES.get(original) ?? original;
    const unit = encodeChar(char);
    if (unit) chars.push(unit);
    else {
      chars.push(fallbackUnit);
      unprintable.push({ char: original, codePoint: original.codePointAt(0)!, replacement: fallback });
    }
  }
  return { chars, unprintable };
}

/** Display columns of a string as the printer will lay it out (unprintables count as their fallback). */
export function displayColumns(text: string, fallback = '\u25A1'): number {
  let n = 0;
  for (const unit of toPrintable(text, fallback).chars) n += unit.columns;
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
