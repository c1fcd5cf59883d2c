import type { CallRecord, DisplayFeed, QueueSnapshot } from '../lan/types.js';

/**
 * What the hall display shows, derived from the stream (`hello` snapshot, `ticket-called`) and GET /api/v1/display.
 * Pure, so the merge rules are testable: the newest call is the big one; a stream call is shown at once, before any
 * re-fetch; a feed fetched earlier than a call that is already shown never hides it.
 */
export interface DisplayModel {
  calls: CallRecord[];
  waiting: DisplayFeed['waiting'];
  counters: DisplayFeed['counters'];
  /** Increases with every call shown (first calls and recalls), so the page can restart its highlight. */
  callSeq: number;
}

export const emptyModel: DisplayModel = { calls: [], waiting: [], counters: [], callSeq: 0 };

const HISTORY = 10;
const sameCall = (a: CallRecord, b: CallRecord) => a.ticketId === b.ticketId && a.at === b.at && a.recall === b.recall;

export function fromSnapshot(s: QueueSnapshot): DisplayFeed {
  return {
    at: s.at,
    calls: s.recentCalls,
    counters: s.counters.map((c) => ({ window: c.window, number: c.current?.number ?? null, status: c.current?.status ?? null })),
    waiting: s.categories.map((c) => ({ categoryId: c.id, prefix: c.prefix, waiting: c.waiting })),
  };
}

export function applyFeed(m: DisplayModel, feed: DisplayFeed): DisplayModel {
  // Calls newer than the feed (pushed while it was in flight) stay on top.
  const newer = m.calls.filter((c) => c.at > feed.at && !feed.calls.some((f) => sameCall(f, c)));
  const calls = [...newer, ...feed.calls].slice(0, HISTORY);
  const changedTop = calls[0] && (!m.calls[0] || !sameCall(calls[0], m.calls[0]));
  return { calls, waiting: feed.waiting, counters: feed.counters, callSeq: changedTop ? m.callSeq + 1 : m.callSeq };
}

export function applyCall(m: DisplayModel, call: CallRecord): DisplayModel {
  if (m.calls.some((c) => sameCall(c, call))) return m;
  const counters = m.counters.map((c) => (c.window === call.window ? { ...c, number: call.number, status: 'called' as const } : c));
  return { ...m, calls: [call, ...m.calls].slice(0, HISTORY), counters, callSeq: m.callSeq + 1 };
}
