import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toTraditional } from '../../../main/catalog/traditional.js';
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
/** i18next plural forms (`key_one`, `key_other`): English has them, Chinese has one form; both count as `key`. */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (k: string) => k.replace(PLURAL, '');
const baseKeys = (o: unknown) => [...new Set(keys(o).map(base))].sort();
/** Every string of a file under a base key (the key itself or its plural forms). */
const forms = (o: unknown, path: string): unknown[] => keys(o).filter((k) => base(k) === path).map((k) => get(o, k));

/**
 * zh-TW UI strings are the OpenCC conversion of zh-CN (Traditional characters, the mainland vocabulary of the rest
 * of the kiosk: 打印, 信息, 屏幕), so that the UI and the catalog never disagree. The only exceptions are texts that
 * must stay in another script. To regenerate after editing zh-CN.json: `UPDATE_ZH_TW=1 npx vitest run
 * renderer/src/i18n/locales.test.ts`.
 */
const NOT_CONVERTED = new Set(['lang.zh-CN']);
function converted(cn: unknown, tw: unknown, prefix = ''): unknown {
  if (typeof cn === 'string') return NOT_CONVERTED.has(prefix) ? tw : toTraditional(cn);
  return Object.fromEntries(Object.entries(cn as Record<string, unknown>).map(([k, v]) => [k, converted(v, (tw as Record<string, unknown> | undefined)?.[k], prefix ? `${prefix}.${k}` : k)]));
}

describe('locale files', () => {
  it('have exactly the same keys in zh-CN, zh-TW and en', () => {
    expect(keys(zhTW).sort()).toEqual(keys(zhCN).sort());
    const reference = baseKeys(zhCN);
    expect(baseKeys(en)).toEqual(reference);
  });

  it('say zh-TW by converting zh-CN (one source), so 繁體 reads 打印 like the catalog and the receipts', () => {
    const expected = converted(zhCN, zhTW);
    if (process.env.UPDATE_ZH_TW === '1') {
      const file = new URL('./locales/zh-TW.json', import.meta.url);
      writeFileSync(file, `${JSON.stringify(expected, null, 2)}\n`);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(expected);
      return;
    }
    expect(zhTW).toEqual(expected);
    expect(JSON.stringify(zhTW)).not.toContain('列印');
  });

  it('give English a singular and a plural wherever a count is shown', () => {
    for (const path of keys(en)) {
      const v = String(get(en, path));
      if (v.includes('{{count}}') && /\b(service|page|copy|copies|second|minute|person|people)s?\b/.test(v)) {
        expect(PLURAL.test(path), `en ${path} needs _one/_other forms`).toBe(true);
      }
    }
  });

  it('have no empty strings and the same {{placeholders}} in every language', () => {
    for (const path of baseKeys(zhCN)) {
      const ph = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      const reference = ph(forms(zhCN, path)[0]);
      for (const [lang, data] of Object.entries(locales)) {
        const all = forms(data, path);
        expect(all.length, `${lang} ${path}`).toBeGreaterThan(0);
        for (const v of all) {
          expect(typeof v === 'string' && v.trim() !== '', `${lang} ${path}`).toBe(true);
          expect(ph(v), `${lang} ${path}`).toEqual(reference);
        }
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
