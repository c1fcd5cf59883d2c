/**
 * The hall's clock: every time a person reads (attract screen, ticket, receipt, A4 footer, call display, counter,
 * staff console) is the hall's local time at its fixed UTC offset (`hall.utcOffset`, default +08:00), whatever zone
 * the host machine or the viewing browser is set to. Pure: no Intl time zones, no `Date#getHours()`; the instant is
 * shifted by the offset and read with the UTC getters. 24-hour style everywhere ("21:50", never "下午09:50").
 */
export const DEFAULT_UTC_OFFSET = '+08:00';

export type ClockLang = 'zh-CN' | 'zh-TW' | 'en';

/** Minutes east of UTC for `+HH:MM` / `-HH:MM` (hours 0..14, minutes 0..59); throws RangeError otherwise. */
export function utcOffsetMinutes(utcOffset: string = DEFAULT_UTC_OFFSET): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) throw new RangeError(`utcOffset must look like +08:00 (got "${utcOffset}")`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export interface HallParts {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0..23 */
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday 1 (Monday) .. 7 (Sunday) */
  weekday: number;
}

/** The hall's local calendar fields of an instant (epoch ms or Date). */
export function hallParts(at: Date | number, utcOffset: string = DEFAULT_UTC_OFFSET): HallParts {
  const ms = typeof at === 'number' ? at : at.getTime();
  const s = new Date(ms + utcOffsetMinutes(utcOffset) * 60_000);
  const wd = s.getUTCDay();
  return {
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
    second: s.getUTCSeconds(),
    weekday: wd === 0 ? 7 : wd,
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** `21:50` (or `21:50:07` with seconds). */
export function formatHallTime(at: Date | number, utcOffset: string = DEFAULT_UTC_OFFSET, options: { seconds?: boolean } = {}): string {
  const p = hallParts(at, utcOffset);
  return `${p2(p.hour)}:${p2(p.minute)}${options.seconds ? `:${p2(p.second)}` : ''}`;
}

/** Service day `2026-12-03`. */
export function formatHallDay(at: Date | number, utcOffset: string = DEFAULT_UTC_OFFSET): string {
  const p = hallParts(at, utcOffset);
  return `${p.year}-${p2(p.month)}-${p2(p.day)}`;
}

/** `2026-12-03 21:50` (receipts, A4 footers, staff tables, CSV); `2026-12-03 21:50:07` with seconds. */
export function formatHallDateTime(at: Date | number, utcOffset: string = DEFAULT_UTC_OFFSET, options: { seconds?: boolean } = {}): string {
  return `${formatHallDay(at, utcOffset)} ${formatHallTime(at, utcOffset, options)}`;
}

const WEEKDAYS: Record<ClockLang, readonly string[]> = {
  'zh-CN': ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'],
  'zh-TW': ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The long date people read on a clock: `2026年12月3日 星期四` / `Thursday 3 December 2026`. */
export function formatHallDate(at: Date | number, utcOffset: string = DEFAULT_UTC_OFFSET, lang: ClockLang = 'zh-CN'): string {
  const p = hallParts(at, utcOffset);
  const weekday = WEEKDAYS[lang][p.weekday - 1]!;
  switch (lang) {
    case 'zh-CN':
    case 'zh-TW':
      return `${p.year}年${p.month}月${p.day}日 ${weekday}`;
    case 'en':
      return `${weekday} ${p.day} ${MONTHS_EN[p.month - 1]!} ${p.year}`;
    default: {
      const never: never = lang;
      throw new RangeError(`unknown clock language ${String(never)}`);
    }
  }
}

/** A clock language for any i18n language tag (`zh-TW`, `zh-HK`, `en-GB`, ...); unknown tags read as zh-CN. */
export function clockLang(tag: string): ClockLang {
  if (tag === 'zh-TW' || tag === 'zh-HK' || tag === 'zh-Hant') return 'zh-TW';
  if (tag.startsWith('en')) return 'en';
  return 'zh-CN';
}
