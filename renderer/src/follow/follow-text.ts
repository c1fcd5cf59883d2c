import type { FollowView } from '../../../main/contract/queue-wire.js';

/**
 * Words of the ticket follow page (a citizen's phone). Simplified Chinese first; Traditional and English on a
 * switch. Kept here rather than in the kiosk's locale files: the page is a separate, small bundle.
 */
export type FollowLang = 'zh-CN' | 'zh-TW' | 'en';
export const FOLLOW_LANGS: readonly FollowLang[] = ['zh-CN', 'zh-TW', 'en'];

const TEXT = {
  title: { 'zh-CN': '排队进度', 'zh-TW': '排隊進度', en: 'Queue status' },
  yourNumber: { 'zh-CN': '您的号码', 'zh-TW': '您的號碼', en: 'Your number' },
  ahead: { 'zh-CN': '前面等候', 'zh-TW': '前面等候', en: 'People ahead' },
  aheadValue: { 'zh-CN': '{n} 人', 'zh-TW': '{n} 人', en: '{n}' },
  wait: { 'zh-CN': '预计等候', 'zh-TW': '預計等候', en: 'Estimated wait' },
  windows: { 'zh-CN': '办理窗口', 'zh-TW': '辦理窗口', en: 'Windows' },
  waiting: { 'zh-CN': '等候叫号中，请留意叫号屏幕和语音', 'zh-TW': '等候叫號中，請留意叫號屏幕和語音', en: 'Waiting. Watch the call screen and listen for your number.' },
  called: { 'zh-CN': '已叫号，请到 {w} 号窗口', 'zh-TW': '已叫號，請到 {w} 號窗口', en: 'Called: please go to window {w}' },
  serving: { 'zh-CN': '正在 {w} 号窗口办理', 'zh-TW': '正在 {w} 號窗口辦理', en: 'Being served at window {w}' },
  done: { 'zh-CN': '办理完成', 'zh-TW': '辦理完成', en: 'Service finished' },
  noShow: { 'zh-CN': '已过号，请到服务台咨询', 'zh-TW': '已過號，請到服務台諮詢', en: 'Your number was missed. Please ask at the service desk.' },
  expired: { 'zh-CN': '本号已过期（当日有效）', 'zh-TW': '本號已過期（當日有效）', en: 'This ticket has expired (valid on its day only)' },
  validToday: { 'zh-CN': '当日有效', 'zh-TW': '當日有效', en: 'Valid today only' },
  updated: { 'zh-CN': '更新于 {t}，自动刷新', 'zh-TW': '更新於 {t}，自動刷新', en: 'Updated {t}, refreshes by itself' },
  notFound: { 'zh-CN': '找不到这张号票，请核对二维码或到服务台咨询', 'zh-TW': '找不到這張號票，請核對二維碼或到服務台諮詢', en: 'Ticket not found. Check the QR code or ask at the service desk.' },
  offline: { 'zh-CN': '暂时无法连接，正在重试', 'zh-TW': '暫時無法連接，正在重試', en: 'Cannot connect right now; retrying' },
  rateTitle: { 'zh-CN': '请对本次服务评价（好差评）', 'zh-TW': '請對本次服務評價（好差評）', en: 'Rate this service' },
  reason: { 'zh-CN': '意见或原因（不满意时必填）', 'zh-TW': '意見或原因（不滿意時必填）', en: 'Comment (required when dissatisfied)' },
  reasonRequired: { 'zh-CN': '请填写不满意的原因', 'zh-TW': '請填寫不滿意的原因', en: 'Please say why you are dissatisfied' },
  submit: { 'zh-CN': '提交评价', 'zh-TW': '提交評價', en: 'Submit' },
  thanks: { 'zh-CN': '感谢您的评价', 'zh-TW': '感謝您的評價', en: 'Thank you for your rating' },
  rateFailed: { 'zh-CN': '评价未能提交，请稍后再试', 'zh-TW': '評價未能提交，請稍後再試', en: 'The rating could not be sent; please try again' },
  privacy: { 'zh-CN': '本页不显示任何个人信息', 'zh-TW': '本頁不顯示任何個人資訊', en: 'This page shows no personal information' },
} as const satisfies Record<string, Record<FollowLang, string>>;

export type FollowTextKey = keyof typeof TEXT;

export function ft(lang: FollowLang, key: FollowTextKey, vars: Record<string, string | number> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] !== undefined ? String(vars[k]) : m));
}

/** 好差评 levels, best first (5 非常满意 … 1 非常不满意). */
export const RATING_LEVELS = [
  { level: 5, 'zh-CN': '非常满意', 'zh-TW': '非常滿意', en: 'Very satisfied' },
  { level: 4, 'zh-CN': '满意', 'zh-TW': '滿意', en: 'Satisfied' },
  { level: 3, 'zh-CN': '基本满意', 'zh-TW': '基本滿意', en: 'Fair' },
  { level: 2, 'zh-CN': '不满意', 'zh-TW': '不滿意', en: 'Dissatisfied' },
  { level: 1, 'zh-CN': '非常不满意', 'zh-TW': '非常不滿意', en: 'Very dissatisfied' },
] as const;

/** The wait and the windows are worded as on the printed ticket (main/contract/ticket-text.ts). */
export { ticketWaitText as waitText, ticketWindowsText as windowsText } from '../../../main/contract/ticket-text.js';

/** The headline for the ticket's state. */
export function statusText(lang: FollowLang, v: Pick<FollowView, 'status' | 'window' | 'windows'>): string {
  const w = v.window ?? v.windows.join(lang === 'en' ? ', ' : '、');
  switch (v.status) {
    case 'waiting':
      return ft(lang, 'waiting');
    case 'called':
      return ft(lang, 'called', { w });
    case 'serving':
      return ft(lang, 'serving', { w });
    case 'done':
      return ft(lang, 'done');
    case 'no_show':
      return ft(lang, 'noShow');
    case 'expired':
      return ft(lang, 'expired');
    default: {
      const never: never = v.status;
      return String(never);
    }
  }
}

/** `/t/<token>` (or `/prefix/t/<token>` behind a proxy) → the token; '' when the path holds none. */
export function tokenFromPath(pathname: string): string {
  const m = /\/t\/([0-9A-Za-z_-]{6,64})\/?$/.exec(pathname);
  return m ? m[1]! : '';
}

/**
 * The page's language: a stored choice, else 繁體 for a phone set to Traditional Chinese (zh-TW/HK/MO/Hant), else
 * 简体 — Chinese first; English only when chosen on the page.
 */
export function pickFollowLang(stored: string | null, navigatorLangs: readonly string[]): FollowLang {
  if (stored && (FOLLOW_LANGS as readonly string[]).includes(stored)) return stored as FollowLang;
  const first = (navigatorLangs[0] ?? '').toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(first)) return 'zh-TW';
  return 'zh-CN';
}

/** A localized config text in the page's language (Simplified when the config has no such entry). */
export function pickName(text: { 'zh-CN': string; 'zh-TW'?: string; en?: string }, lang: FollowLang): string {
  return text[lang] ?? text['zh-CN'];
}

/** Hall time `HH:MM` (+08:00) whatever the phone's own zone. */
export function hallClock(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}
