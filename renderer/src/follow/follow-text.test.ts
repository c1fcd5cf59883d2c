import { describe, expect, it } from 'vitest';
import { hallClock, pickFollowLang, statusText, tokenFromPath, waitText, windowsText } from './follow-text.js';

describe('follow page words', () => {
  it('never says "约 0 分钟"', () => {
    expect(waitText('zh-CN', 0, 0)).toBe('无需等待');
    expect(waitText('zh-CN', 2, 0)).toBe('不到 1 分钟');
    expect(waitText('zh-TW', 3, 12)).toBe('約 12 分鐘');
    expect(waitText('en', 0, 5)).toBe('no wait');
  });

  it('says where to go once called, in each language', () => {
    const v = { status: 'called' as const, window: '3', windows: ['1', '2', '3'] };
    expect(statusText('zh-CN', v)).toBe('已叫号，请到 3 号窗口');
    expect(statusText('zh-TW', v)).toBe('已叫號，請到 3 號窗口');
    expect(statusText('en', v)).toBe('Called: please go to window 3');
    expect(statusText('zh-CN', { ...v, status: 'expired' })).toContain('当日有效');
    expect(windowsText('zh-CN', ['1', '2'])).toBe('1、2 号窗口');
    expect(windowsText('en', ['1', '2'])).toBe('windows 1, 2');
    expect(windowsText('en', ['4'])).toBe('window 4');
  });

  it('reads the token from /t/<token>, also under a proxy prefix', () => {
    expect(tokenFromPath('/t/Tk_0123456789')).toBe('Tk_0123456789');
    expect(tokenFromPath('/q/t/Tk_0123456789/')).toBe('Tk_0123456789');
    expect(tokenFromPath('/t/../index.html')).toBe('');
  });

  it('picks the language: stored choice, then the phone, then Simplified', () => {
    expect(pickFollowLang('en', ['zh-CN'])).toBe('en');
    expect(pickFollowLang(null, ['zh-HK', 'en'])).toBe('zh-TW');
    expect(pickFollowLang(null, ['en-US'])).toBe('zh-CN'); // Chinese first: English only when chosen
    expect(pickFollowLang('xx', ['fr'])).toBe('zh-CN');
  });

  it('shows hall time whatever the phone zone', () => {
    expect(hallClock(new Date('2025-03-03T01:05:00Z'))).toBe('09:05');
  });
});
