import { describe, expect, it } from 'vitest';
import type { CallRecord, DisplayFeed } from '../lan/types.js';
import { applyCall, applyFeed, emptyModel } from './display-model.js';

const call = (n: number, at: string, recall = false): CallRecord => ({ ticketId: n, number: `A00${n}`, window: '3', categoryId: 'social', at, recall });
const feed = (at: string, calls: CallRecord[]): DisplayFeed => ({ at, calls, counters: [{ window: '3', number: null, status: null }], waiting: [{ categoryId: 'social', prefix: 'A', waiting: 2 }] });

describe('display model', () => {
  it('shows a pushed call at once, ignores its duplicate, and keeps it when an older feed arrives', () => {
    let m = applyFeed(emptyModel, feed('2025-03-03T02:00:00.000Z', [call(1, '2025-03-03T01:59:00.000Z')]));
    expect(m.callSeq).toBe(1);
    m = applyCall(m, call(2, '2025-03-03T02:00:05.000Z'));
    expect(m.calls[0]!.number).toBe('A002');
    expect(m.counters[0]).toEqual({ window: '3', number: 'A002', status: 'called' });
    expect(applyCall(m, call(2, '2025-03-03T02:00:05.000Z'))).toBe(m);
    const stale = applyFeed(m, feed('2025-03-03T02:00:01.000Z', [call(1, '2025-03-03T01:59:00.000Z')]));
    expect(stale.calls.map((c) => c.number)).toEqual(['A002', 'A001']);
    expect(stale.callSeq).toBe(m.callSeq);
  });

  it('counts a recall of the same ticket as a new call', () => {
    let m = applyCall(emptyModel, call(1, '2025-03-03T02:00:00.000Z'));
    m = applyCall(m, call(1, '2025-03-03T02:01:00.000Z', true));
    expect(m.callSeq).toBe(2);
    expect(m.calls).toHaveLength(2);
  });
});
