import { describe, expect, it } from 'vitest';
import { KeyboardWedgeDetector, type WedgeKeyEvent, type WedgeScan } from './keyboard-wedge.js';

function rig(opts: { maxInterKeyMs?: number; minLength?: number; maxLength?: number } = {}) {
  let now = 0;
  const timers: Array<{ id: number; at: number; fn: () => void }> = [];
  let nextId = 1;
  const scans: WedgeScan[] = [];
  const released: string[] = [];
  const d = new KeyboardWedgeDetector({
    ...opts,
    onScan: (s) => scans.push(s),
    onRelease: (t) => released.push(t),
    timers: {
      setTimeout: (fn, ms) => {
        timers.push({ id: nextId, at: now + ms, fn });
        return nextId++;
      },
      clearTimeout: (h) => {
        const i = timers.findIndex((t) => t.id === h);
        if (i >= 0) timers.splice(i, 1);
      },
    },
  });
  const advanceTo = (t: number) => {
    for (;;) {
      const due = timers.filter((x) => x.at <= t).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      now = due.at;
      timers.splice(timers.indexOf(due), 1);
      due.fn();
    }
    now = t;
  };
  /** Types keys at the given gaps; returns which keydowns were suppressed. */
  const type = (keys: Array<string | Partial<WedgeKeyEvent>>, gapMs: number) =>
    keys.map((k) => {
      advanceTo(now + gapMs);
      const e: WedgeKeyEvent = typeof k === 'string' ? { key: k, timeStamp: now } : { key: '', timeStamp: now, ...k };
      return d.handle(e);
    });
  return { d, scans, released, type, advanceTo: (ms: number) => advanceTo(now + ms) };
}

const chars = (s: string) => [...s];

describe('KeyboardWedgeDetector', () => {
  it('turns a fast burst ending in Enter into a scan and suppresses every key of it', () => {
    const r = rig();
    const suppressed = r.type([...chars('HKT:abc123'), 'Enter'], 8);
    expect(suppressed.every(Boolean)).toBe(true);
    expect(r.scans).toEqual([{ text: 'HKT:abc123', startedAt: 8, durationMs: 80 }]);
    expect(r.released).toEqual([]);
  });

  it('releases slow typing to the text field and lets Enter through', () => {
    const r = rig();
    const suppressed = r.type([...chars('hello'), 'Enter'], 150);
    expect(r.scans).toEqual([]);
    expect(r.released).toEqual(['h', 'e', 'l', 'l', 'o']);
    expect(suppressed.at(-1)).toBe(false); // Enter reaches the form
    r.advanceTo(1000);
    expect(r.released.join('')).toBe('hello');
  });

  it('releases held keys after maxInterKeyMs when nothing follows', () => {
    const r = rig();
    r.type(chars('ab'), 10);
    expect(r.released).toEqual([]);
    r.advanceTo(51);
    expect(r.released).toEqual(['ab']);
  });

  it('treats a gap just over the threshold as typing and one at the threshold as a burst', () => {
    const at = rig({ maxInterKeyMs: 50 });
    at.type([...chars('YY123456'), 'Enter'], 50);
    expect(at.scans.map((s) => s.text)).toEqual(['YY123456']);
    const over = rig({ maxInterKeyMs: 50 });
    over.type([...chars('YY123456'), 'Enter'], 51);
    expect(over.scans).toEqual([]);
    expect(over.released.join('')).toBe('YY123456');
  });

  it('swallows Tab and Enter inside a burst so focus does not move; Tab outside passes', () => {
    const r = rig();
    const s = r.type([...chars('AP12'), 'Tab', ...chars('34'), 'Enter'], 5);
    expect(s.every(Boolean)).toBe(true);
    expect(r.scans[0]!.text).toBe('AP12\t34');
    r.advanceTo(500);
    expect(r.type(['Tab'], 5)).toEqual([false]);
  });

  it('a short fast burst + Enter is not a scan (minLength)', () => {
    const r = rig({ minLength: 4 });
    const s = r.type(['o', 'k', 'Enter'], 5);
    expect(s).toEqual([true, true, false]);
    expect(r.released).toEqual(['ok']);
    expect(r.scans).toEqual([]);
  });

  it('ignores IME composition and Process keys and keeps Shift inside a burst', () => {
    const r = rig();
    const s = r.type(
      [{ key: 'Process' }, { key: 'n', isComposing: true }, 'Shift', 'H', 'Shift', 'K', 'Shift', 'T', ...chars(':x9y8z7'), 'Enter'],
      6,
    );
    expect(s.slice(0, 3)).toEqual([false, false, false]);
    expect(s.slice(3).every(Boolean)).toBe(true);
    expect(r.scans.map((x) => x.text)).toEqual(['HKT:x9y8z7']);
  });

  it('passes shortcuts and named keys through and releases what was held', () => {
    const r = rig();
    const s = r.type(['a', { key: 'c', ctrlKey: true }, 'b', 'Backspace'], 5);
    expect(s).toEqual([true, false, true, false]);
    expect(r.released).toEqual(['a', 'b']);
  });

  it('drops an overlong burst whole, never releasing it into a field', () => {
    const r = rig({ maxLength: 16 });
    const s = r.type([...chars('X'.repeat(40)), 'Enter'], 3);
    expect(s.every(Boolean)).toBe(true);
    expect(r.scans).toEqual([]);
    expect(r.released).toEqual([]);
    expect(r.d.dropped).toBe(1);
    r.type([...chars('YY999999'), 'Enter'], 3);
    expect(r.scans.map((x) => x.text)).toEqual(['YY999999']);
  });

  it('accepts non-ASCII characters the layout produces (event.key)', () => {
    const r = rig();
    r.type([...chars('办事码ÄÖ12'), 'Enter'], 4);
    expect(r.scans[0]!.text).toBe('办事码ÄÖ12');
  });
});
