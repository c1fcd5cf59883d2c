import { describe, expect, it } from 'vitest';
import { WIRE_ERROR_CODES } from '../../../main/contract/errors.js';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import zhTW from './locales/zh-TW.json';

function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], o);
const locales = { 'zh-CN': zhCN, 'zh-TW': zhTW, en } as const;

describe('locale files', () => {
  it('have exactly the same keys in zh-CN, zh-TW and en', () => {
    const reference = keys(zhCN).sort();
    expect(keys(zhTW).sort()).toEqual(reference);
    expect(keys(en).sort()).toEqual(reference);
  });

  it('have no empty strings and the same {{placeholders}} in every language', () => {
    for (const path of keys(zhCN)) {
      const ph = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      for (const [lang, data] of Object.entries(locales)) {
        const v = get(data, path);
        expect(typeof v === 'string' && v.trim() !== '', `${lang} ${path}`).toBe(true);
        expect(ph(v), `${lang} ${path}`).toEqual(ph(get(zhCN, path)));
      }
    }
  });

  it('have a sentence for every wire error code that says what to do', () => {
    // "What to do": each sentence names an action (retry, ask staff, go back, place the card, come back, ...).
    const action: Record<keyof typeof locales, RegExp> = {
      'zh-CN': /请|可以|感谢/,
      'zh-TW': /請|可以|感謝/,
      en: /\b(try|ask|please|place|lay|check|come|choose|wait|watch|rate|take|thank|go back)\b/i,
    };
    for (const code of WIRE_ERROR_CODES) {
      for (const [lang, data] of Object.entries(locales) as [keyof typeof locales, unknown][]) {
        const sentence = get(data, `errors.${code}`);
        expect(typeof sentence, `${lang} errors.${code}`).toBe('string');
        expect(String(sentence), `${lang} errors.${code}`).toMatch(action[lang]);
        expect(String(sentence), `${lang} errors.${code} must not show the code`).not.toContain(code);
      }
    }
  });
});
