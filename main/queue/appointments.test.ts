import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isHostError, type HostErrorCode } from '../errors.js';
import { openDatabase } from '../storage/database.js';
import { JsonFileAppointmentProvider, SqliteAppointmentProvider } from './appointments.js';
import { personKey } from './person-key.js';
import { createTestEngine, ManualClock, TEST_SECRET, testQueueConfig } from './test-kit.js';

const ID = '440106199005201234';
const SLOT = '2025-03-03T10:00:00+08:00';

async function code(p: Promise<unknown>): Promise<HostErrorCode | 'none'> {
  try {
    await p;
    return 'none';
  } catch (e) {
    if (isHostError(e)) return e.code;
    throw e;
  }
}

function jsonProvider() {
  const p = new JsonFileAppointmentProvider({ secret: TEST_SECRET });
  p.loadText(
    JSON.stringify({
      appointments: [
        { code: 'YY20250303001', categoryId: 'social', start: SLOT, idNumber: ID },
        { code: 'YY20250303002', categoryId: 'household', start: '2025-03-03T14:00:00+08:00' },
        { code: 'YY20250303003', categoryId: 'social', start: '2025-03-03T15:00:00+08:00', idHash: personKey(TEST_SECRET, ID) },
      ],
    }),
  );
  return p;
}

describe('appointment check-in (预约签到)', () => {
  const cases: [string, string, HostErrorCode | 'none'][] = [
    ['31 min early', '2025-03-03T09:29:00+08:00', 'QUEUE_APPOINTMENT_TOO_EARLY'],
    ['30 min early', '2025-03-03T09:30:00+08:00', 'none'],
    ['15 min late', '2025-03-03T10:15:00+08:00', 'none'],
    ['16 min late', '2025-03-03T10:16:00+08:00', 'QUEUE_APPOINTMENT_TOO_LATE'],
    ['the next day', '2025-03-04T09:50:00+08:00', 'QUEUE_APPOINTMENT_TOO_LATE'],
  ];
  for (const [name, at, expected] of cases) {
    it(`by code, ${name}: ${expected}`, async () => {
      const { engine } = createTestEngine({ clock: new ManualClock(at), appointments: jsonProvider() });
      expect(await code(engine.checkIn({ code: 'YY20250303001' }))).toBe(expected);
    });
  }

  it('issues a priority ticket (reason appointment) once; checking in again returns the same ticket', async () => {
    const clock = new ManualClock('2025-03-03T09:50:00+08:00');
    const { engine } = createTestEngine({ clock, appointments: jsonProvider() });
    engine.issueTicket({ categoryId: 'social', source: 'kiosk', deviceId: 'k1' });
    const t = await engine.checkIn({ code: 'YY20250303001' });
    expect([t.number, t.priority, t.categoryId, t.appointment.offsetMinutes, t.appointment.alreadyCheckedIn]).toEqual(['A002', 'appointment', 'social', -10, false]);
    const again = await engine.checkIn({ code: 'YY20250303001' });
    expect([again.id, again.appointment.alreadyCheckedIn]).toEqual([t.id, true]);
    expect(engine.callNext({ window: '1' })?.number).toBe('A002'); // priority goes first
    expect(await code(engine.checkIn({ code: 'NOPE0000' }))).toBe('QUEUE_APPOINTMENT_UNKNOWN');
  });

  it('by ID number picks the booking of the day whose window is open; the person key comes from the HMAC', async () => {
    const clock = new ManualClock('2025-03-03T14:50:00+08:00');
    const { engine, db } = createTestEngine({ clock, appointments: jsonProvider() });
    const t = await engine.checkIn({ idNumber: ID.toLowerCase() });
    expect(t.appointment.ref).toBe('json:YY20250303003');
    expect((db.prepare('SELECT person_key FROM queue_tickets WHERE id = ?').get(t.id) as { person_key: string }).person_key).toBe(personKey(TEST_SECRET, ID));
    expect(await code(engine.checkIn({ idNumber: '110105194912310021' }))).toBe('QUEUE_APPOINTMENT_UNKNOWN');
    clock.set('2025-03-03T12:00:00+08:00'); // between the 10:00 (closed) and... it was already used; the 10:00 one is too late
    expect(await code(engine.checkIn({ idNumber: ID }))).toBe('QUEUE_APPOINTMENT_TOO_LATE');
  });

  it('appointment tickets skip the walk-in quota but not a closed hall', async () => {
    const config = testQueueConfig({ holidays: ['2025-03-04'] }, { household: { dailyQuota: 1 } });
    const clock = new ManualClock('2025-03-03T13:50:00+08:00');
    const { engine } = createTestEngine({ clock, config, appointments: jsonProvider() });
    engine.issueTicket({ categoryId: 'household', idNumber: ID, source: 'kiosk', deviceId: 'k1' });
    expect((await engine.checkIn({ code: 'YY20250303002' })).number).toBe('B002');
    const local = new SqliteAppointmentProvider(createTestEngine({ clock }).db, TEST_SECRET);
    local.add({ code: 'LOCAL-1', categoryId: 'social', slotStart: new Date('2025-03-04T10:00:00+08:00') });
    const { engine: e2 } = createTestEngine({ clock, config, appointments: local });
    clock.set('2025-03-04T10:00:00+08:00');
    expect(await code(e2.checkIn({ code: 'LOCAL-1' }))).toBe('QUEUE_CLOSED');
  });

  it('without a provider check-in is NOT_AVAILABLE', async () => {
    const { engine } = createTestEngine({ clock: new ManualClock(SLOT) });
    expect(await code(engine.checkIn({ code: 'YY20250303001' }))).toBe('NOT_AVAILABLE');
  });

  it('reports punctuality in the statistics', async () => {
    const clock = new ManualClock('2025-03-03T09:40:00+08:00');
    const { engine } = createTestEngine({ clock, appointments: jsonProvider() });
    await engine.checkIn({ code: 'YY20250303001' });
    clock.set('2025-03-03T14:10:00+08:00');
    await engine.checkIn({ code: 'YY20250303002' });
    const s = engine.stats({ from: new Date('2025-03-03T00:00:00+08:00'), to: new Date('2025-03-04T00:00:00+08:00') });
    expect(s.appointments).toEqual({ checkedIn: 2, early: 1, onTime: 0, late: 1, avgOffsetMinutes: -5 });
  });
});

describe('appointment providers', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('JSON import keeps only the HMAC of an ID number and rejects a bad file with the field', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'appt-'));
    const file = path.join(dir, 'export.json');
    writeFileSync(file, JSON.stringify({ appointments: [{ code: 'YY1234', categoryId: 'social', start: SLOT, idNumber: ID }] }));
    const p = JsonFileAppointmentProvider.fromFile(file, { secret: TEST_SECRET });
    return p.findByCode('YY1234').then((a) => {
      expect(a?.personKey).toBe(personKey(TEST_SECRET, ID));
      expect(JSON.stringify(a)).not.toContain(ID);
      expect(() => p.loadText(JSON.stringify({ appointments: [{ code: 'YY1', categoryId: 'social', start: 'tomorrow' }] }))).toThrow(/appointments\.0\.code/);
      expect(() => p.loadText('{')).toThrow(/not JSON/);
    });
  });

  it('the SQLite provider stores the HMAC only; purge removes it after retentionDays', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'appt-'));
    const file = path.join(dir, 'kiosk.db');
    const db = openDatabase({ file });
    const local = new SqliteAppointmentProvider(db, TEST_SECRET);
    local.add({ code: 'LOCAL-1', categoryId: 'social', slotStart: new Date(SLOT), idNumber: ID });
    expect((await local.findByIdHash(personKey(TEST_SECRET, ID), '2025-03-03')).map((a) => a.code)).toEqual(['LOCAL-1']);
    expect(await local.findByIdHash(personKey(TEST_SECRET, ID), '2025-03-04')).toEqual([]);
    const clock = new ManualClock('2025-04-02T10:00:00+08:00');
    const { engine } = createTestEngine({ clock, db, config: testQueueConfig({ retentionDays: 30 }), appointments: local });
    expect(engine.purge()).toEqual({ tickets: 0, appointments: 1 });
    expect((await local.findByCode('LOCAL-1'))?.personKey).toBeNull();
    db.close();
    const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir!, f))));
    expect(bytes.includes(Buffer.from(ID))).toBe(false);
  });
});
