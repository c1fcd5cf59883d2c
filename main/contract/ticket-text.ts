import type { Language } from '../../kiosk-config/i18n.js';

/**
 * How a ticket's wait and windows are worded wherever a citizen reads them outside the kiosk screen: the printed
 * 取号凭条 (main/handlers/ticket-receipt.ts) and the phone's follow page (renderer/src/follow/). One wording, so the
 * paper and the phone never disagree. Pure: no I/O, importable by the host and the renderer alike.
 */
export const TICKET_TEXT = {
  aheadValue: { 'zh-CN': '{n} 人', 'zh-TW': '{n} 人', en: '{n}' },
  waitValue: { 'zh-CN': '约 {n} 分钟', 'zh-TW': '約 {n} 分鐘', en: 'about {n} min' },
  // Nobody ahead: never "约 0 分钟".
  noWait: { 'zh-CN': '无需等待', 'zh-TW': '無需等待', en: 'no wait' },
  waitUnderMinute: { 'zh-CN': '不到 1 分钟', 'zh-TW': '不到 1 分鐘', en: 'under 1 min' },
  windowsValue: { 'zh-CN': '{w} 号窗口', 'zh-TW': '{w} 號窗口', en: 'window {w}' },
} as const satisfies Record<string, Record<Language, string>>;

/** People ahead: "3 人" / "3". */
export function ticketAheadText(lang: Language, peopleAhead: number): string {
  return TICKET_TEXT.aheadValue[lang].replace('{n}', String(peopleAhead));
}

/** The wait: "无需等待" with nobody ahead, "不到 1 分钟" for a rounded 0, else "约 n 分钟". */
export function ticketWaitText(lang: Language, peopleAhead: number, minutes: number): string {
  if (peopleAhead <= 0) return TICKET_TEXT.noWait[lang];
  if (minutes <= 0) return TICKET_TEXT.waitUnderMinute[lang];
  return TICKET_TEXT.waitValue[lang].replace('{n}', String(minutes));
}

/** The windows: "1、2 号窗口" / "windows 1, 2" / "window 4". */
export function ticketWindowsText(lang: Language, windows: readonly string[]): string {
  const text = TICKET_TEXT.windowsValue[lang].replace('{w}', windows.join(lang === 'en' ? ', ' : '、'));
  return lang === 'en' && windows.length > 1 ? text.replace(/^window /, 'windows ') : text;
}
