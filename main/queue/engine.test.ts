import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isHostError, type HostErrorCode } from '../errors.js';
import { QueueEngine, type QueueEvent } from './engine.js';
import { personKey } from './person-key.js';
import { createTestEngine, ManualClock, TEST_SECRET, testQueueConfig } from './test-kit.js';

// 2025-03-03 is a Monday. Times are +08:00 (the hall), whatever the machine's TZ.
const MON_10 = '2025-03-03T10:00:00+08:00';
// A resident ID number of someone born 1950-01-01 (75 on the test day) and one born 1990-05-20.
const ELDER_ID = '11010519500101002x';
const YOUNG_ID = '440106199005201234';

function code(fn: () => unknown): HostErrorCode | 'none' {
  try {
    fn();
    return 'none';
  } catch (e) {
    if (isHostError(e)) return e.code;
    throw e;
  }
}

describe('QueueEngine numbering', () => {
  it('numbers per category from 001, formatted with the prefix, in issue order', () => {
    const { engine } = createTestEngine({ clock: new ManualClock(MON_10) });
    const a1 = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    const a2 = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    const c1 = engine.issueTicket({ categoryId: 'any', source: 'kiosk', deviceId: 'k1' });
    expect([a1.number, a2.number, c1.number]).toEqual(['A001', 'A002', 'C001']);
    expect(a1.day).toBe('2025-03-03');
    expect(a2.peopleAhead).toBe(1);
    expect(a1.qrPayload).toBe(`HKT:${a1.token}`);
    expect(a1.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a1.token).not.toBe(a2.token);
  });

  it('restarts each local day (midnight +08:00, not the machine TZ) and does not repeat within a day', () => {
    const clock = new ManualClock('2025-03-03T23:59:00+08:00');
    const { engine, db } = createTestEngine({ clock });
    expect(engine.issueTicket({ categoryId: 'any', source: 'kiosk', deviceId: 'k1' }).number).toBe('C001');
    expect(engine.issueTicket({ categoryId: 'any', source: 'kiosk', deviceId: 'k1' }).number).toBe('C002');
    clock.set('2025-03-04T00:00:30+08:00'); // 2025-03-03T16:00:30Z: still the 3rd in UTC
    const t = engine.issueTicket({ categoryId: 'any', source: 'kiosk', deviceId: 'k1' });
    expect([t.number, t.day]).toEqual(['C001', '2025-03-04']);
    const dup = db.prepare('SELECT day, issued_category_id, number, count(*) n FROM queue_tickets GROUP BY 1, 2, 3 HAVING n > 1').all();
    expect(dup).toEqual([]);
  });

  it('a refused ticket leaves no gap in the numbers', () => {
    const clock = new ManualClock(MON_10);
    const { engine } = createTestEngine({ clock, config: testQueueConfig({}, { social: { dailyQuota: 2, maxTicketsPerPersonPerDay: 1 } }) });
    engine.issueTicket({ categoryId: 'social', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1' });
    expect(code(() => engine.issueTicket({ categoryId: 'social', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1' }))).toBe('QUEUE_PERSON_LIMIT');
    expect(engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }).number).toBe('A002');
    expect(code(() => engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }))).toBe('QUEUE_QUOTA_REACHED');
    clock.set('2025-03-04T09:00:00+08:00');
    expect(engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }).number).toBe('A001');
  });

  it('the same (device, requestId) returns the same ticket instead of a second one', () => {
    const { engine } = createTestEngine({ clock: new ManualClock(MON_10) });
    const a = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1', requestId: 'r-1' });
    const b = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1', requestId: 'r-1' });
    const c = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k2', requestId: 'r-1' });
    expect(b.id).toBe(a.id);
    expect(c.number).toBe('A002');
  });

  it('refuses unknown categories', () => {
    const { engine } = createTestEngine({ clock: new ManualClock(MON_10) });
    expect(code(() => engine.issueTicket({ categoryId: 'nope', source: 'kiosk', deviceId: 'k1' }))).toBe('QUEUE_CATEGORY_UNKNOWN');
  });
});

describe('QueueEngine opening hours', () => {
  const cases: [string, string, HostErrorCode | 'none'][] = [
    ['before opening', '2025-03-03T08:59:00+08:00', 'QUEUE_CLOSED'],
    ['at opening', '2025-03-03T09:00:00+08:00', 'none'],
    ['before last ticket', '2025-03-03T16:29:00+08:00', 'none'],
    ['at last ticket time', '2025-03-03T16:30:00+08:00', 'QUEUE_CLOSED'],
    ['on Saturday', '2025-03-08T10:00:00+08:00', 'QUEUE_CLOSED'],
    ['on a holiday (Monday)', '2025-05-05T10:00:00+08:00', 'QUEUE_CLOSED'],
    ['on a make-up workday (Sunday)', '2025-04-27T10:00:00+08:00', 'none'],
  ];
  for (const [name, at, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      const config = testQueueConfig({ holidays: ['2025-05-05'], extraWorkdays: ['2025-04-27'] });
      const { engine } = createTestEngine({ clock: new ManualClock(at), config });
      expect(code(() => engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }))).toBe(expected);
    });
  }

  it('reports the reason of a closure', () => {
    const { engine } = createTestEngine({ clock: new ManualClock('2025-03-03T16:45:00+08:00') });
    try {
      engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
      expect.unreachable();
    } catch (e) {
      expect(isHostError(e, 'QUEUE_CLOSED') && e.detail).toEqual({ reason: 'after-last-ticket' });
    }
  });
});

describe('QueueEngine identity and priority', () => {
  it('requires an ID where configured, and limits tickets per person by HMAC (case-insensitive X)', () => {
    const { engine, db } = createTestEngine({ clock: new ManualClock(MON_10) });
    expect(code(() => engine.issueTicket({ categoryId: 'household', source: 'kiosk', deviceId: 'k1' }))).toBe('QUEUE_ID_REQUIRED');
    engine.issueTicket({ categoryId: 'household', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1' });
    engine.issueTicket({ categoryId: 'household', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k2' });
    expect(code(() => engine.issueTicket({ categoryId: 'household', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1' }))).toBe('QUEUE_PERSON_LIMIT');
    engine.issueTicket({ categoryId: 'household', idNumber: ELDER_ID, source: 'kiosk', deviceId: 'k1' });
    engine.issueTicket({ categoryId: 'household', idNumber: ELDER_ID.toUpperCase(), source: 'kiosk', deviceId: 'k1' });
    expect(code(() => engine.issueTicket({ categoryId: 'household', idNumber: ` ${ELDER_ID} `, source: 'kiosk', deviceId: 'k1' }))).toBe('QUEUE_PERSON_LIMIT');
    // The limit is per category.
    expect(code(() => engine.issueTicket({ categoryId: 'social', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1' }))).toBe('none');
    const keys = db.prepare('SELECT DISTINCT person_key FROM queue_tickets WHERE person_key IS NOT NULL').all() as { person_key: string }[];
    expect(keys.map((k) => k.person_key).sort()).toEqual([personKey(TEST_SECRET, YOUNG_ID), personKey(TEST_SECRET, ELDER_ID)].sort());
  });

  it('gives elderly priority from the birth date on the hall day (65+), from the ID or an explicit birth date', () => {
    const { engine } = createTestEngine({ clock: new ManualClock(MON_10) });
    expect(engine.issueTicket({ categoryId: 'social', idNumber: ELDER_ID, source: 'kiosk', deviceId: 'k1' }).priority).toBe('elderly');
    expect(engine.issueTicket({ categoryId: 'social', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1' }).priority).toBeNull();
    // 65th birthday is on the hall's day (2025-03-03) → elderly; one day later → not yet.
    expect(engine.issueTicket({ categoryId: 'social', birthDate: '1960-03-03', source: 'kiosk', deviceId: 'k1' }).priority).toBe('elderly');
    expect(engine.issueTicket({ categoryId: 'social', birthDate: '1960-03-04', source: 'kiosk', deviceId: 'k1' }).priority).toBeNull();
    expect(code(() => engine.issueTicket({ categoryId: 'social', priority: { reason: 'elderly' }, source: 'kiosk', deviceId: 'k1' }))).toBe('BAD_REQUEST');
    expect(engine.issueTicket({ categoryId: 'social', priority: { reason: 'elderly' }, source: 'counter', deviceId: 'c1' }).priority).toBe('elderly');
    expect(engine.issueTicket({ categoryId: 'social', priority: { reason: 'disability' }, source: 'kiosk', deviceId: 'k1' }).priority).toBe('disability');
    expect(code(() => engine.issueTicket({ categoryId: 'social', priority: { reason: 'appointment' as 'military' }, source: 'kiosk', deviceId: 'k1' }))).toBe('BAD_REQUEST');
  });

  it('uses the hall day for the age even when UTC is still on the previous day', () => {
    // 2025-03-03T07:30+08:00 is 2025-03-02T23:30Z; the hall's day is the 3rd: the 65th birthday counts.
    const { engine } = createTestEngine({ clock: new ManualClock('2025-03-03T07:30:00+08:00') });
    expect(engine.issueTicket({ categoryId: 'any', birthDate: '1960-03-03', source: 'kiosk', deviceId: 'k1' }).priority).toBe('elderly');
  });
});

describe('QueueEngine calling order', () => {
  function scenario(ratio: number) {
    const clock = new ManualClock(MON_10);
    const { engine } = createTestEngine({ clock, config: testQueueConfig({}, { social: { priorityRatio: ratio } }) });
    const issue = (priority: boolean) => {
      clock.advanceMinutes(1);
      return engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1', ...(priority ? { priority: { reason: 'disability' as const } } : {}) }).number;
    };
    return { clock, engine, issue };
  }

  function drain(engine: ReturnType<typeof scenario>['engine']): string[] {
    const order: string[] = [];
    for (;;) {
      const t = engine.callNext({ window: '2' });
      if (!t) return order;
      order.push(t.number);
      engine.finishService({ window: '2', outcome: 'completed' });
    }
  }

  it('ratio 2: at most two priority calls in a row while normal tickets wait; nobody starves', () => {
    const { engine, issue } = scenario(2);
    for (let i = 0; i < 4; i++) issue(false); // A001-A004 normal
    for (let i = 0; i < 4; i++) issue(true); // A005-A008 priority
    expect(drain(engine)).toEqual(['A005', 'A006', 'A001', 'A007', 'A008', 'A002', 'A003', 'A004']);
  });

  it('priority tickets go straight through when no normal ticket waits', () => {
    const { engine, issue } = scenario(1);
    for (let i = 0; i < 3; i++) issue(true);
    expect(drain(engine)).toEqual(['A001', 'A002', 'A003']);
    issue(false); // A004
    issue(true); // A005
    issue(true); // A006
    expect(drain(engine)).toEqual(['A005', 'A004', 'A006']);
  });

  it('ratio 0: strict queue-time order', () => {
    const { engine, issue } = scenario(0);
    issue(false);
    issue(true);
    issue(false);
    expect(drain(engine)).toEqual(['A001', 'A002', 'A003']);
  });

  it('a window serving two categories calls the longest-queued head first', () => {
    const clock = new ManualClock(MON_10);
    const { engine } = createTestEngine({ clock });
    engine.issueTicket({ categoryId: 'any', source: 'kiosk', deviceId: 'k1' });
    clock.advanceMinutes(1);
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    expect(engine.callNext({ window: '1' })?.number).toBe('C001');
    expect(code(() => engine.callNext({ window: '1' }))).toBe('QUEUE_INVALID_STATE');
    engine.finishService({ window: '1', outcome: 'consulted' });
    expect(engine.callNext({ window: '1' })?.number).toBe('A001');
    engine.finishService({ window: '1', outcome: 'completed' });
    expect(engine.callNext({ window: '1' })).toBeNull();
    expect(code(() => engine.callNext({ window: '99' }))).toBe('QUEUE_COUNTER_UNKNOWN');
  });

  it('does not call yesterday’s waiting tickets', () => {
    const clock = new ManualClock(MON_10);
    const { engine } = createTestEngine({ clock });
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    clock.set('2025-03-04T10:00:00+08:00');
    expect(engine.callNext({ window: '1' })).toBeNull();
  });

  it('callTicket calls a specific waiting ticket out of order; recall repeats the call', () => {
    const clock = new ManualClock(MON_10);
    const { engine } = createTestEngine({ clock });
    const events: QueueEvent[] = [];
    engine.on((e) => events.push(e));
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    const b = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    expect(engine.callTicket({ window: '2', ticketId: b.id }).number).toBe('A002');
    const r = engine.recall({ window: '2' });
    expect(r.callCount).toBe(2);
    const calls = events.filter((e) => e.type === 'ticket-called');
    expect(calls.map((e) => e.type === 'ticket-called' && [e.number, e.window, e.recall])).toEqual([
      ['A002', '2', false],
      ['A002', '2', true],
    ]);
    engine.startService({ window: '2' });
    expect(code(() => engine.recall({ window: '2' }))).toBe('QUEUE_INVALID_STATE');
    expect(code(() => engine.noShow({ window: '2' }))).toBe('QUEUE_INVALID_STATE');
    expect(code(() => engine.callTicket({ window: '1', ticketId: b.id }))).toBe('QUEUE_INVALID_STATE');
    expect(code(() => engine.startService({ window: '1' }))).toBe('QUEUE_INVALID_STATE');
    expect(code(() => engine.finishService({ window: '2', ticketId: 99, outcome: 'completed' }))).toBe('QUEUE_TICKET_UNKNOWN');
  });
});

describe('QueueEngine no-show and transfer', () => {
  it('re-queues a no-show after N minutes behind those queued before, then closes it after maxRequeues', () => {
    const clock = new ManualClock(MON_10);
    const { engine } = createTestEngine({ clock, config: testQueueConfig({ noShow: { requeueAfterMinutes: 10, maxRequeues: 1 } }) });
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }); // A001
    clock.advanceMinutes(1);
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }); // A002
    expect(engine.callNext({ window: '1' })?.number).toBe('A001');
    const ns = engine.noShow({ window: '1' });
    expect([ns.status, ns.requeueCount, ns.window]).toEqual(['waiting', 1, null]);
    expect(engine.snapshot().categories.find((c) => c.id === 'social')?.deferred).toBe(1);
    expect(engine.callNext({ window: '1' })?.number).toBe('A002');
    engine.finishService({ window: '1', outcome: 'completed' });
    expect(engine.callNext({ window: '1' })).toBeNull(); // A001 not callable for 10 minutes
    clock.advanceMinutes(5);
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }); // A003, queued before A001's return
    clock.advanceMinutes(6);
    expect(engine.callNext({ window: '1' })?.number).toBe('A003');
    engine.finishService({ window: '1', outcome: 'completed' });
    expect(engine.callNext({ window: '1' })?.number).toBe('A001');
    expect(engine.noShow({ window: '1' }).status).toBe('no_show');
    clock.advanceMinutes(30);
    expect(engine.callNext({ window: '1' })).toBeNull();
  });

  it('transfer keeps the place by queue time by default, or goes to the end', () => {
    const clock = new ManualClock(MON_10);
    const { engine } = createTestEngine({ clock });
    const a1 = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    clock.advanceMinutes(1);
    engine.issueTicket({ categoryId: 'any', source: 'kiosk', deviceId: 'k1' }); // C001, after A001
    clock.advanceMinutes(1);
    engine.callNext({ window: '2' }); // A001
    const moved = engine.transfer({ window: '2', toCategoryId: 'any' });
    expect([moved.number, moved.categoryId, moved.issuedCategoryId, moved.status]).toEqual(['A001', 'any', 'social', 'waiting']);
    expect(engine.callNext({ window: '4' })?.id).toBe(a1.id); // kept its place before C001
    const back = engine.transfer({ window: '4', toCategoryId: 'any', toWindow: '1', position: 'end' });
    expect(back.targetWindow).toBe('1');
    expect(engine.callNext({ window: '4' })?.number).toBe('C001'); // window 4 may not call A001 (sent to window 1)
    engine.finishService({ window: '4', outcome: 'completed' });
    expect(engine.callNext({ window: '4' })).toBeNull();
    expect(engine.callNext({ window: '1' })?.id).toBe(a1.id);
    expect(code(() => engine.transfer({ window: '1', toWindow: '3' }))).toBe('QUEUE_COUNTER_UNKNOWN'); // 3 does not serve 'any'
    expect(code(() => engine.transfer({ window: '1' }))).toBe('BAD_REQUEST');
  });
});

describe('QueueEngine estimates, snapshot, events', () => {
  it('estimates the wait from the median of recent services and the open counters', () => {
    const clock = new ManualClock(MON_10);
    const { engine } = createTestEngine({ clock });
    for (let i = 0; i < 3; i++) engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    // No history: default 8 min per person, one counter assumed.
    expect(engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }).estimatedWaitMinutes).toBe(24);
    // Services of 2, 4 and 12 minutes: median 4.
    for (const minutes of [2, 4, 12]) {
      engine.callNext({ window: '1' });
      engine.startService({ window: '1' });
      clock.advanceMinutes(minutes);
      engine.finishService({ window: '1', outcome: 'completed' });
    }
    engine.setCounterState({ window: '2', state: 'open' });
    const t = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    expect(t.peopleAhead).toBe(1);
    expect(t.estimatedWaitMinutes).toBe(2); // 1 person × 4 min ÷ 2 open counters
    const snap = engine.snapshot();
    const social = snap.categories.find((c) => c.id === 'social')!;
    expect([social.waiting, social.openCounters, social.issuedToday, social.quotaLeft]).toEqual([2, 2, 5, 295]);
    expect(social.longestWaitMinutes).toBe(18);
    expect(snap.counters.find((c) => c.window === '1')).toMatchObject({ state: 'open', current: null });
    expect(snap.counters.find((c) => c.window === '3')?.state).toBe('closed');
    expect(snap.recentCalls.map((c) => c.number)).toEqual(['A003', 'A002', 'A001']);
  });

  it('writes one event per state change and derives the statistics from them', () => {
    const clock = new ManualClock(MON_10);
    const { engine, db } = createTestEngine({ clock });
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    clock.advanceMinutes(5);
    engine.callNext({ window: '1' });
    engine.startService({ window: '1' });
    clock.advanceMinutes(6);
    engine.finishService({ window: '1', outcome: 'completed' });
    engine.callNext({ window: '1' });
    engine.noShow({ window: '1' });
    const types = (db.prepare('SELECT type FROM ticket_events ORDER BY id').all() as { type: string }[]).map((r) => r.type);
    expect(types).toEqual(['issued', 'issued', 'called', 'started', 'finished', 'called', 'no_show', 'requeued']);
    const s = engine.stats({ from: new Date('2025-03-03T00:00:00+08:00'), to: new Date('2025-03-04T00:00:00+08:00') });
    const social = s.perCategory.find((c) => c.categoryId === 'social')!;
    expect([social.issued, social.called, social.served, social.noShows]).toEqual([2, 2, 1, 1]);
    expect(social.wait).toEqual({ n: 2, avgMinutes: 8, p90Minutes: 11 });
    expect(social.service).toEqual({ n: 1, avgMinutes: 6, p90Minutes: 6 });
    expect(s.perCounter).toEqual([{ window: '1', calls: 2, served: 1, service: { n: 1, avgMinutes: 6, p90Minutes: 6 } }]);
    expect(s.noShowRate).toBe(0.5);
    expect(s.ticketsPerHour[10]).toEqual({ hour: 10, issued: 2 });
  });

  it('a failing listener is logged, not thrown into the operation', () => {
    const { engine } = createTestEngine({ clock: new ManualClock(MON_10) });
    engine.on(() => {
      throw new Error('listener bug');
    });
    expect(engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' }).number).toBe('A001');
  });
});

describe('QueueEngine ratings', () => {
  it('rates a served ticket once; 不满意/非常不满意 need a reason and are flagged', () => {
    const { engine } = createTestEngine({ clock: new ManualClock(MON_10) });
    const a = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    const b = engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    expect(code(() => engine.rate({ ticketId: a.id, level: 5 }))).toBe('QUEUE_INVALID_STATE');
    engine.callNext({ window: '1' });
    engine.finishService({ window: '1', outcome: 'completed' });
    engine.callNext({ window: '1' });
    engine.startService({ window: '1' });
    expect(code(() => engine.rate({ ticketToken: a.qrPayload, level: 2 }))).toBe('QUEUE_REASON_REQUIRED');
    expect(code(() => engine.rate({ ticketToken: a.qrPayload, level: 1, reason: '   ' }))).toBe('QUEUE_REASON_REQUIRED');
    expect(code(() => engine.rate({ ticketToken: a.token, level: 6 }))).toBe('BAD_REQUEST');
    expect(code(() => engine.rate({ ticketToken: 'not-a-token-of-ours-xyz', level: 5 }))).toBe('QUEUE_TICKET_UNKNOWN');
    expect(engine.rate({ ticketToken: a.qrPayload, level: 2, reason: '等候时间太长' })).toMatchObject({ level: 2, followUp: true, reason: '等候时间太长' });
    expect(code(() => engine.rate({ ticketId: a.id, level: 5 }))).toBe('QUEUE_ALREADY_RATED');
    expect(engine.rate({ ticketId: b.id, level: 5 }).followUp).toBe(false);
    const s = engine.stats({ from: new Date('2025-03-03T00:00:00+08:00'), to: new Date('2025-03-04T00:00:00+08:00') });
    expect(s.ratings.distribution).toEqual([
      { level: 5, label: '非常满意', count: 1 },
      { level: 4, label: '满意', count: 0 },
      { level: 3, label: '基本满意', count: 0 },
      { level: 2, label: '不满意', count: 1 },
      { level: 1, label: '非常不满意', count: 0 },
    ]);
    expect(s.ratings.satisfactionRate).toBe(0.5);
    expect(s.ratings.bad).toEqual([expect.objectContaining({ number: 'A001', level: 2, reason: '等候时间太长', window: '1' })]);
  });
});

describe('QueueEngine privacy and retention', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('never writes the plain ID number to the database files (main file and WAL)', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'queue-pii-'));
    const file = path.join(dir, 'kiosk.db');
    const { engine, db } = createTestEngine({ clock: new ManualClock(MON_10), file });
    engine.issueTicket({ categoryId: 'household', idNumber: ELDER_ID, source: 'kiosk', deviceId: 'k1' });
    engine.issueTicket({ categoryId: 'social', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1' });
    expect(code(() => engine.issueTicket({ categoryId: 'social', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1', requestId: 'x' }))).toBe('none');
    const scan = () => {
      const bytes = readdirSync(dir!)
        .filter((f) => f.startsWith('kiosk.db'))
        .map((f) => readFileSync(path.join(dir!, f)));
      expect(bytes.length).toBeGreaterThanOrEqual(2); // kiosk.db and kiosk.db-wal
      const all = Buffer.concat(bytes);
      // Sanity check of the scan itself: the person key is there.
      expect(all.includes(Buffer.from(personKey(TEST_SECRET, YOUNG_ID)))).toBe(true);
      for (const id of [ELDER_ID, ELDER_ID.toUpperCase(), YOUNG_ID]) {
        expect(all.includes(Buffer.from(id, 'utf8'))).toBe(false);
        expect(all.includes(Buffer.from(id, 'utf16le'))).toBe(false);
      }
      // Nor the birth date digits that the elderly rule read from the ID.
      expect(all.includes(Buffer.from('19500101'))).toBe(false);
    };
    scan();
    db.pragma('wal_checkpoint(TRUNCATE)');
    scan();
    db.close();
  });

  it('purge removes person keys and tokens after retentionDays; events and statistics stay', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'queue-purge-'));
    const file = path.join(dir, 'kiosk.db');
    const clock = new ManualClock(MON_10);
    const { engine, db } = createTestEngine({ clock, file, config: testQueueConfig({ retentionDays: 30 }) });
    const old = engine.issueTicket({ categoryId: 'social', idNumber: YOUNG_ID, source: 'kiosk', deviceId: 'k1' });
    const key = personKey(TEST_SECRET, YOUNG_ID);
    clock.set('2025-04-01T10:00:00+08:00'); // 29 days later
    const recent = engine.issueTicket({ categoryId: 'social', idNumber: ELDER_ID, source: 'kiosk', deviceId: 'k1' });
    expect(engine.purge()).toEqual({ tickets: 0, appointments: 0 });
    clock.set('2025-04-02T10:00:00+08:00'); // 30 days after the first ticket's day
    expect(engine.purge()).toEqual({ tickets: 1, appointments: 0 });
    const rows = db.prepare('SELECT id, person_key, token FROM queue_tickets ORDER BY id').all() as { id: number; person_key: string | null; token: string | null }[];
    expect(rows[0]).toEqual({ id: old.id, person_key: null, token: null });
    expect(rows[1]?.person_key).toBe(personKey(TEST_SECRET, ELDER_ID));
    expect(rows[1]?.id).toBe(recent.id);
    expect(code(() => engine.getTicket({ token: old.token }))).toBe('QUEUE_TICKET_UNKNOWN');
    const s = engine.stats({ from: new Date('2025-03-01T00:00:00+08:00'), to: new Date('2025-04-03T00:00:00+08:00') });
    expect(s.perCategory.find((c) => c.categoryId === 'social')?.issued).toBe(2);
    db.close();
    const bytes = Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('kiosk.db')).map((f) => readFileSync(path.join(dir!, f))));
    expect(bytes.includes(Buffer.from(key))).toBe(false);
  });

  it('refuses a short installation secret', () => {
    const { db } = createTestEngine({ clock: new ManualClock(MON_10) });
    expect(code(() => new QueueEngine({ db, config: testQueueConfig(), secret: Buffer.from('short') }))).toBe('CONFIG_INVALID');
  });
});
