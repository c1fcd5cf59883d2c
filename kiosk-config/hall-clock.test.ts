import { transformSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clockLang, formatHallDate, formatHallDay, formatHallTime, hallParts, utcOffsetMinutes } from './hall-clock.js';

// 2026-12-03T13:50:07Z is 21:50:07 on Thursday 3 December in the hall (+08:00) and 08:50:07 in New York (EST).
const AT = Date.parse('2026-12-03T13:50:07Z');

describe('hall clock', () => {
  it('reads the hall time, not the process zone, in a process running in America/New_York', () => {
    // A child process with TZ set before any Date use: the process zone really is New York there.
    const helper = transformSync(readFileSync(new URL('./hall-clock.ts', import.meta.url), 'utf8'), { loader: 'ts', format: 'esm' }).code;
    const script = [
      helper,
      `const at = ${AT};`,
      'console.log(JSON.stringify({ local: new Date(at).getHours(), offset: new Date(at).getTimezoneOffset(), time: formatHallTime(at), dt: formatHallDateTime(at, "+08:00", { seconds: true }), date: formatHallDate(at, "+08:00", "zh-CN"), parts: hallParts(at) }));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TZ: 'America/New_York' },
      encoding: 'utf8',
    });
    const r = JSON.parse(out) as { local: number; offset: number; time: string; dt: string; date: string; parts: { weekday: number } };
    expect(r.local).toBe(8); // the process is in New York ...
    expect(r.offset).toBe(300);
    expect(r.time).toBe('21:50'); // ... and still reads the hall's time
    expect(r.dt).toBe('2026-12-03 21:50:07');
    expect(r.date).toBe('2026年12月3日 星期四');
    expect(r.parts.weekday).toBe(4);
  });

  it('crosses midnight into the hall day', () => {
    const late = Date.parse('2026-12-03T16:30:00Z'); // 00:30 on Friday 4 December in the hall
    expect(formatHallDay(late)).toBe('2026-12-04');
    expect(formatHallTime(late)).toBe('00:30');
    expect(hallParts(late).weekday).toBe(5);
    expect(formatHallDay(late, '-05:00')).toBe('2026-12-03');
  });

  it('formats in 24-hour style in every language', () => {
    expect(formatHallTime(AT, '+08:00', { seconds: true })).toBe('21:50:07');
    expect(formatHallDate(AT, '+08:00', 'zh-TW')).toBe('2026年12月3日 星期四');
    expect(formatHallDate(AT, '+08:00', 'en')).toBe('Thursday 3 December 2026');
    expect(clockLang('en-GB')).toBe('en');
    expect(clockLang('zh-TW')).toBe('zh-TW');
    expect(clockLang('zh-CN')).toBe('zh-CN');
  });

  it('refuses a malformed offset', () => {
    expect(utcOffsetMinutes('+08:00')).toBe(480);
    expect(utcOffsetMinutes('-03:30')).toBe(-210);
    expect(() => utcOffsetMinutes('8')).toThrow(RangeError);
    expect(() => utcOffsetMinutes('+15:00')).toThrow(RangeError);
  });
});
