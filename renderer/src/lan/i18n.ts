import { createInstance, type TFunction } from 'i18next';
import { DEFAULT_UTC_OFFSET, formatHallTime } from '../../../kiosk-config/hall-clock.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { LanError } from './client.js';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import zhTW from './locales/zh-TW.json';

/**
 * Strings of the LAN pages (display.html, counter.html): their own i18next instance and resource files, separate
 * from the kiosk's, so the pages load only what they show. renderer/src/lan/i18n.test.ts checks the files have the
 * same keys.
 */
export const lanResources = {
  'zh-CN': { translation: zhCN },
  'zh-TW': { translation: zhTW },
  en: { translation: en },
} as const;

export function createLanI18n(lng: Language = 'zh-CN') {
  const i18n = createInstance();
  void i18n.init({ resources: lanResources, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false }, returnNull: false, initAsync: false });
  return i18n;
}

/** An error as one sentence for staff or citizens; the code and host message stay visible for unknown codes. */
export function errorSentence(t: TFunction, e: unknown, _lng: Language = 'zh-CN', utcOffset: string = DEFAULT_UTC_OFFSET): string {
  if (!(e instanceof LanError)) return t('errors.generic', { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
  const d = e.detail ?? {};
  switch (e.code) {
    case 'AUTH_WRONG_PIN':
      return t('errors.AUTH_WRONG_PIN', { attemptsLeft: typeof d.attemptsLeft === 'number' ? d.attemptsLeft : '?' });
    case 'AUTH_LOCKED': {
      // Hall time, whatever zone the counter's browser is set to.
      const time = typeof d.lockedUntil === 'number' ? formatHallTime(d.lockedUntil, utcOffset, { seconds: true }) : '?';
      return t('errors.AUTH_LOCKED', { time });
    }
    case 'QUEUE_INVALID_STATE':
      if ('window' in d) return t('errors.QUEUE_NO_TICKET');
      if ('status' in d && !('ticketId' in d && 'window' in d)) return t('errors.QUEUE_WINDOW_BUSY');
      return t('errors.QUEUE_INVALID_STATE');
    case 'AUTH_NOT_CONFIGURED':
    case 'AUTH_REQUIRED':
    case 'AUTH_FORBIDDEN':
    case 'QUEUE_COUNTER_UNKNOWN':
    case 'QUEUE_CATEGORY_UNKNOWN':
    case 'QUEUE_HOST_UNREACHABLE':
    case 'NOT_AVAILABLE':
      return t(`errors.${e.code}`);
    case 'BAD_REQUEST':
      return t('errors.BAD_REQUEST', { message: e.message });
    default:
      return t('errors.generic', { code: e.code, message: e.message });
  }
}
