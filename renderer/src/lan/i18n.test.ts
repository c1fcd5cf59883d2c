import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toTraditional } from '../../../main/catalog/traditional.js';
import { LanError } from './client.js';
import { createLanI18n, errorSentence, lanResources } from './i18n.js';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`])).sort();
}

describe('LAN page strings', () => {
  it('have the same keys in zh-CN, zh-TW and en', () => {
    const zh = keys(lanResources['zh-CN'].translation);
    expect(keys(lanResources['zh-TW'].translation)).toEqual(zh);
    expect(keys(lanResources.en.translation)).toEqual(zh);
  });

  it('say zh-TW by converting zh-CN (regenerate: UPDATE_ZH_TW=1 npx vitest run renderer/src/lan/i18n.test.ts)', () => {
    const conv = (o: unknown): unknown => (typeof o === 'string' ? toTraditional(o) : Object.fromEntries(Object.entries(o as object).map(([k, v]) => [k, conv(v)])));
    const expected = conv(lanResources['zh-CN'].translation);
    if (process.env.UPDATE_ZH_TW === '1') writeFileSync(new URL('./locales/zh-TW.json', import.meta.url), `${JSON.stringify(expected, null, 2)}\n`);
    else expect(lanResources['zh-TW'].translation).toEqual(expected);
  });

  it('turn coded errors into sentences', () => {
    const { t } = createLanI18n('zh-CN');
    expect(errorSentence(t, new LanError('AUTH_WRONG_PIN', 'wrong PIN', 401, { attemptsLeft: 2 }))).toBe('PIN 码错误，还可尝试 2 次。');
    expect(errorSentence(t, new LanError('QUEUE_INVALID_STATE', 'x', 409, { window: '3' }))).toBe('本窗口当前没有号码。');
    expect(errorSentence(t, new LanError('QUEUE_INVALID_STATE', 'x', 409, { ticketId: 4, status: 'called' }))).toMatch(/未处理完/);
    expect(errorSentence(t, new LanError('QUEUE_CLOSED', 'category closed now', 422))).toBe('操作未能完成（QUEUE_CLOSED）：category closed now');
    expect(errorSentence(createLanI18n('en').t, new LanError('AUTH_LOCKED', 'locked', 403, { lockedUntil: Date.now() + 60_000 }))).toMatch(/^This window is locked/);
  });
});
