import { describe, expect, it } from 'vitest';
import { fillTraditional, foldToSimplified, toTraditional } from './traditional.js';

describe('traditional', () => {
  it('converts to Traditional with mainland vocabulary and fixes 换发', () => {
    expect(toTraditional('居民身份证换发')).toBe('居民身份證換發');
    expect(toTraditional('户口迁移')).toBe('戶口遷移');
  });

  it('folds HK and TW forms to Simplified and leaves Simplified alone', () => {
    expect(foldToSimplified('戶口遷移')).toBe('户口迁移');
    expect(foldToSimplified('裏面')).toBe('里面');
    expect(foldToSimplified('社会保障卡申领')).toBe('社会保障卡申领');
  });

  it('fills missing zh-TW without touching present ones', () => {
    const out = fillTraditional({ a: [{ 'zh-CN': '护照' }], b: { 'zh-CN': '发票', 'zh-TW': '自訂' }, n: 1 });
    expect(out).toEqual({ a: [{ 'zh-CN': '护照', 'zh-TW': '護照' }], b: { 'zh-CN': '发票', 'zh-TW': '自訂' }, n: 1 });
  });
});
