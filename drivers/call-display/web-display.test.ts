import { describe, expect, it } from 'vitest';
import type { Call } from './call-display.js';
import { WebCallDisplay, type CallBoardSnapshot } from './web-display.js';

const c = (ticket: string, window: string, at: number): Call => ({ ticket, window, at });

describe('WebCallDisplay', () => {
  it('keeps the current call and the last N calls, newest first', async () => {
    const d = new WebCallDisplay({ historySize: 3 });
    for (const [i, t] of ['A001', 'A002', 'A003', 'A004'].entries()) await d.show(c(t, String(i + 1), i));
    const s = d.snapshot;
    expect(s.current?.ticket).toBe('A004');
    expect(s.recent.map((r) => r.ticket)).toEqual(['A004', 'A003', 'A002']);
    expect(s.version).toBe(4);
  });

  it('a recall does not duplicate: it moves to the top and counts recalls', async () => {
    const d = new WebCallDisplay();
    await d.show(c('A001', '1', 1));
    await d.show(c('A002', '2', 2));
    await d.show(c('A001', '1', 3));
    await d.show(c('A001', '1', 4));
    expect(d.snapshot.recent.map((r) => `${r.ticket}@${r.window}x${r.recalls}`)).toEqual(['A001@1x2', 'A002@2x0']);
    expect(d.snapshot.current).toMatchObject({ ticket: 'A001', recalls: 2, at: 4 });
    // the same ticket sent to another window is a new call, not a recall
    await d.show(c('A001', '5', 5));
    expect(d.snapshot.recent.map((r) => `${r.ticket}@${r.window}x${r.recalls}`)).toEqual(['A001@5x0', 'A001@1x2', 'A002@2x0']);
  });

  it('pushes to subscribers; a new subscriber gets the state at once; clear keeps history', async () => {
    const d = new WebCallDisplay();
    await d.show(c('B010', '4', 1));
    const got: CallBoardSnapshot[] = [];
    const off = d.subscribe((s) => got.push(s));
    expect(got).toHaveLength(1);
    expect(got[0]!.current?.ticket).toBe('B010');
    await d.clear();
    expect(got[1]).toMatchObject({ current: null, recent: [{ ticket: 'B010' }], version: 2 });
    off();
    await d.show(c('B011', '4', 2));
    expect(got).toHaveLength(2);
    d.reset();
    expect(d.snapshot).toEqual({ version: 4, current: null, recent: [] });
  });

  it('a throwing subscriber is reported in status and does not stop the others', async () => {
    const d = new WebCallDisplay();
    const got: string[] = [];
    d.subscribe(() => {
      throw new Error('socket closed');
    });
    d.subscribe((s) => got.push(s.current?.ticket ?? '-'));
    await d.show(c('C001', '1', 1));
    expect(got).toEqual(['-', 'C001']);
    expect(d.status).toMatchObject({ state: 'fault', code: 'TRANSPORT_WRITE_FAILED' });
    const only = new WebCallDisplay();
    only.subscribe(() => {
      throw new Error('socket closed');
    });
    expect(only.status).toMatchObject({ state: 'fault', code: 'TRANSPORT_WRITE_FAILED' });
  });
});
