/**
 * The 一次性告知 checklist as plain lines for the 80 mm receipt printer. Width is measured in printer columns: an
 * ASCII character takes 1, every other character 2 (in GB18030 mode the printer prints every non-ASCII character
 * double-width), so the default 48 columns hold 24 hanzi. Lines never exceed `columns`; the encoder prints them as
 * they are (no re-wrapping). Pure.
 */
import {
  formatFeeLines,
  formatMaterialForm,
  formatPromisedLimit,
  label,
  localize,
} from './format.js';
import type { CatalogLang, ServiceItem } from './schema.js';

export interface ChecklistOptions {
  /** Printer columns, 24-96, default 48 (Font A on 80 mm paper = 24 hanzi). */
  columns?: number;
  /** Print each material's note, default true. */
  notes?: boolean;
}

/** Printer columns of a string: 1 per printable ASCII character, 2 per other character. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isNarrow(ch) ? 1 : 2;
  return w;
}

function isNarrow(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c >= 0x20 && c <= 0x7e;
}

/** Characters that may not start a line (禁则). */
const NO_LINE_START = new Set([...'，。、；：！？）》」』”’…·,.;:!?)]%']);
/** Characters that may not end a line. */
const NO_LINE_END = new Set([...'（《「『“‘([']);

/** ASCII words stay whole; every other character is a token of its own; spaces are tokens. */
function tokenize(text: string): string[] {
  return text.match(/[!-~]+| +|[^ !-~]/gu) ?? [];
}

/**
 * Wraps `text` so that no line is wider than `columns`; the first line starts with `first`, the others with
 * `rest` (hanging indent). Words longer than a line are cut.
 */
export function wrapText(text: string, columns: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let prefix = first;
  let current: string[] = [];
  let width = displayWidth(prefix);
  const flush = () => {
    while (current.length > 0 && current[current.length - 1]!.startsWith(' ')) current.pop();
    lines.push(prefix + current.join(''));
    prefix = rest;
    current = [];
    width = displayWidth(prefix);
  };
  const tokens = tokenize(text.replace(/\s+/g, ' ').trim());
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i]!;
    if (token.startsWith(' ') && current.length === 0) continue;
    let w = displayWidth(token);
    if (width + w <= columns) {
      current.push(token);
      width += w;
      continue;
    }
    if (current.length === 0 && w > columns - width) {
      // A word longer than the line: cut it.
      const room = columns - width;
      current.push(token.slice(0, room));
      tokens.splice(i + 1, 0, token.slice(room));
      flush();
      continue;
    }
    if (token.startsWith(' ')) {
      flush();
      continue;
    }
    // Line break before `token`. Keep 禁则: carry the previous character along when `token` may not start a line,
    // and move an opening bracket down rather than leave it at the end.
    const carried: string[] = [];
    if (NO_LINE_START.has(token) && current.length > 1) carried.unshift(current.pop()!);
    while (current.length > 1 && NO_LINE_END.has(current[current.length - 1]!)) carried.unshift(current.pop()!);
    flush();
    for (const c of carried) {
      current.push(c);
      width += displayWidth(c);
    }
    token = token.startsWith(' ') ? '' : token;
    w = displayWidth(token);
    current.push(token);
    width += w;
  }
  if (current.length > 0 || lines.length === 0) flush();
  return lines;
}

/**
 * The checklist of `item`: title, item name, one block per material (number + name, form and copies, required
 * or not, 免证办 marker, note), then promised time limit, fees, windows and phone. Every line fits `columns`.
 */
export function materialChecklistLines(item: ServiceItem, lang: CatalogLang, options: ChecklistOptions = {}): string[] {
  const columns = options.columns ?? 48;
  if (!Number.isInteger(columns) || columns < 24 || columns > 96) {
    throw new RangeError(`columns must be an integer 24-96, got ${columns}`);
  }
  const withNotes = options.notes ?? true;
  const sep = lang === 'en' ? ': ' : '：';
  const rule = '-'.repeat(columns);
  const out: string[] = [];
  out.push(...wrapText(label('checklistTitle', lang), columns));
  out.push(...wrapText(localize(item.name, lang), columns));
  out.push(rule);
  item.materials.forEach((m, i) => {
    const num = `${i + 1}.`;
    const indent = ' '.repeat(num.length + 1);
    out.push(...wrapText(localize(m.name, lang), columns, `${num} `, indent));
    const need = label(m.required ? 'required' : 'optional', lang);
    out.push(...wrapText(`${formatMaterialForm(m, lang)} · ${need}`, columns, indent));
    if (m.exemptIfSharedData === true) out.push(...wrapText(`* ${label('exempt', lang)}`, columns, indent));
    if (withNotes && m.note !== undefined) out.push(...wrapText(localize(m.note, lang), columns, indent));
  });
  out.push(rule);
  out.push(...wrapText(`${label('promisedLimit', lang)}${sep}${formatPromisedLimit(item.promisedTimeLimitDays, lang)}`, columns, '', '  '));
  for (const fee of formatFeeLines(item.fees, lang)) out.push(...wrapText(`${label('fees', lang)}${sep}${fee}`, columns, '', '  '));
  for (const w of item.windows) out.push(...wrapText(`${label('windows', lang)}${sep}${localize(w, lang)}`, columns, '', '  '));
  out.push(...wrapText(`${label('phone', lang)}${sep}${item.phone}`, columns));
  return out;
}
