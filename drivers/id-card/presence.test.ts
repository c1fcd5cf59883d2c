import { describe, expect, it } from 'vitest';
import { CardPresence } from './presence.js';

describe('CardPresence (removal = physically gone)', () => {
  it('nothing tracked before a read: find / no card are idle', () => {
    const p = new CardPresence();
    expect(p.tracking).toBe(false);
    expect(p.onNotFound(undefined)).toBe('idle');
    expect(p.onFound()).toBe('idle');
  });

  it('halted card (find 80, select 90) stays present for any number of polls; learned: the reader halts', () => {
    const p = new CardPresence({ confirmations: 2 });
    p.onRead();
    for (let i = 0; i < 10; i++) expect(p.onNotFound(true)).toBe('present');
    expect(p.haltsAfterRead).toBe(true);
  });

  it('find and select failing: maybe-gone, then removed after `confirmations` polls in a row', () => {
    const p = new CardPresence({ confirmations: 3 });
    p.onRead();
    expect(p.onNotFound(false)).toBe('maybe-gone');
    expect(p.onNotFound(true)).toBe('present'); // select answered again: the streak restarts
    expect(p.onNotFound(false)).toBe('maybe-gone');
    expect(p.onNotFound(false)).toBe('maybe-gone');
    expect(p.onNotFound(false)).toBe('removed');
    expect(p.tracking).toBe(false);
    expect(p.onNotFound(undefined)).toBe('idle');
  });

  it('a find that succeeds after a failed find + select is a new placement', () => {
    const p = new CardPresence({ confirmations: 3 });
    p.onRead();
    expect(p.onNotFound(false)).toBe('maybe-gone');
    expect(p.onFound()).toBe('removed');
  });

  it('halting reader: a find that succeeds is another placement (swap within one poll)', () => {
    const p = new CardPresence();
    p.onRead();
    expect(p.onNotFound(true)).toBe('present');
    p.onRead(); // the next citizen's card, after a real removal
    expect(p.onFound()).toBe('verify'); // the driver reads it and compares
    expect(p.tracking).toBe(true);
  });

  it('non-halting reader: found again on the first poll → same card, learned false; configured true overrides', () => {
    const p = new CardPresence();
    p.onRead();
    expect(p.onFound()).toBe('present');
    expect(p.onFound()).toBe('present');
    expect(p.haltsAfterRead).toBe(false);
    const q = new CardPresence({ haltsAfterRead: true });
    q.onRead();
    expect(q.onFound()).toBe('verify');
    const r = new CardPresence({ haltsAfterRead: false });
    r.onRead();
    expect(r.onNotFound(true)).toBe('present');
    expect(r.haltsAfterRead).toBe(false); // configured: not relearned
  });

  it('forget() drops the tracked card without a verdict', () => {
    const p = new CardPresence();
    p.onRead();
    p.forget();
    expect(p.onFound()).toBe('idle');
  });
});
