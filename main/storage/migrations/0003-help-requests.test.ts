import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../database.js';
import { migrations } from './index.js';

describe('migration 0003 (help requests)', () => {
  it('creates a STRICT help_requests table that refuses unknown statuses', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 3));
    expect(schemaVersion(db)).toBe(3);
    const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'help_requests'`).get() as { sql: string }).sql;
    expect(sql.trim().endsWith('STRICT')).toBe(true);
    db.prepare(`INSERT INTO help_requests (at, kiosk_id, screen, updated_at) VALUES (1, 'kiosk-01', 'ticket', 1)`).run();
    expect(db.prepare('SELECT status FROM help_requests').get()).toEqual({ status: 'open' });
    expect(() => db.prepare(`UPDATE help_requests SET status = 'lost'`).run()).toThrow(/CHECK/);
  });
});
