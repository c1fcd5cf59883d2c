import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../database.js';
import { migrations } from './index.js';

function fresh() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations.slice(0, 2));
  return db;
}

const KEY = 'a'.repeat(64);

function ticket(db: Database.Database, over: Record<string, unknown> = {}) {
  const row = {
    day: '2025-03-03', issued_category_id: 'social', prefix: 'A', number: 1, category_id: 'social', status: 'waiting',
    priority_reason: null, person_key: null, token: null, source: 'kiosk', device_id: 'k1', request_id: null,
    issued_at: 1, queue_at: 1, window_no: null, outcome: null, finished_at: null, ...over,
  };
  const cols = Object.keys(row);
  return db.prepare(`INSERT INTO queue_tickets (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(row);
}

describe('migration 0002 (queue)', () => {
  it('migrates an empty database to version 2 with STRICT tables', () => {
    const db = fresh();
    expect(schemaVersion(db)).toBe(2);
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string; sql: string }[];
    const queue = ['appointment_checkins', 'appointments', 'queue_counters', 'queue_ratings', 'queue_sequences', 'queue_tickets', 'ticket_events'];
    for (const name of queue) {
      const t = tables.find((x) => x.name === name);
      expect(t, name).toBeDefined();
      expect(t!.sql.trim().endsWith('STRICT'), name).toBe(true);
    }
    const cols = (db.prepare(`SELECT name FROM pragma_table_info('queue_tickets')`).all() as { name: string }[]).map((c) => c.name);
    expect(cols).toContain('person_key');
    expect(cols.some((c) => /id_number|name|birth/.test(c))).toBe(false);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('UNIQUE(day, category, number) refuses a duplicate number', () => {
    const db = fresh();
    ticket(db);
    expect(() => ticket(db)).toThrow(/UNIQUE/);
    ticket(db, { day: '2025-03-04' });
    ticket(db, { issued_category_id: 'household', prefix: 'B' });
  });

  it('checks values: numbers 1..999, prefix, status, person keys as 64 hex, STRICT types', () => {
    const db = fresh();
    expect(() => ticket(db, { number: 0 })).toThrow(/CHECK/);
    expect(() => ticket(db, { number: 1000 })).toThrow(/CHECK/);
    expect(() => ticket(db, { prefix: 'a' })).toThrow(/CHECK/);
    expect(() => ticket(db, { status: 'lost' })).toThrow(/CHECK/);
    expect(() => ticket(db, { person_key: '440106199005201234' })).toThrow(/CHECK/);
    expect(() => ticket(db, { person_key: 'G'.repeat(64) })).toThrow(/CHECK/);
    expect(() => ticket(db, { day: '3/3/2025' })).toThrow(/CHECK/);
    expect(() => ticket(db, { number: '7' as unknown as number, issued_at: 'x' })).toThrow(/cannot store TEXT value in INTEGER/);
    expect(() => ticket(db, { status: 'called' })).toThrow(/CHECK/); // called needs a window
    expect(() => ticket(db, { status: 'done', finished_at: 5 })).toThrow(/CHECK/); // done needs an outcome
    ticket(db, { person_key: KEY });
  });

  it('a window holds at most one called/serving ticket; one rating per ticket; bad ratings need a reason', () => {
    const db = fresh();
    ticket(db, { number: 1, status: 'called', window_no: '1' });
    expect(() => ticket(db, { number: 2, status: 'serving', window_no: '1' })).toThrow(/UNIQUE/);
    ticket(db, { number: 3, status: 'done', window_no: '1', outcome: 'completed', finished_at: 9 });
    const rate = (ticketId: number, level: number, reason: string | null, followUp: number) =>
      db.prepare('INSERT INTO queue_ratings (ticket_id, at, level, reason, follow_up) VALUES (?, 1, ?, ?, ?)').run(ticketId, level, reason, followUp);
    expect(() => rate(2, 2, null, 1)).toThrow(/CHECK/);
    expect(() => rate(2, 2, 'slow', 0)).toThrow(/CHECK/); // follow_up must be set for levels 1-2
    expect(() => rate(99, 5, null, 0)).toThrow(/FOREIGN KEY/);
    rate(2, 2, 'slow', 1);
    expect(() => rate(2, 5, null, 0)).toThrow(/UNIQUE/);
  });

  it('events must be valid JSON of a known type', () => {
    const db = fresh();
    ticket(db);
    const ev = (type: string, detail: string) =>
      db.prepare(`INSERT INTO ticket_events (ticket_id, at, type, day, category_id, priority, detail) VALUES (1, 1, ?, '2025-03-03', 'social', 0, ?)`).run(type, detail);
    ev('issued', '{}');
    expect(() => ev('exploded', '{}')).toThrow(/CHECK/);
    expect(() => ev('called', '{nope')).toThrow(/CHECK/);
  });
});
