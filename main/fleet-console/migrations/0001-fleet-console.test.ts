import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../storage/database.js';
import { consoleMigrations } from './index.js';

describe('fleet console migration 0001', () => {
  it('creates STRICT tables that refuse bad severities and roles', () => {
    const db = new Database(':memory:');
    migrate(db, consoleMigrations);
    expect(schemaVersion(db)).toBe(1);
    for (const t of ['kiosks', 'alerts', 'daily_stats', 'users', 'audit', 'meta']) {
      const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(t) as { sql: string }).sql;
      expect(sql.trim().endsWith('STRICT'), t).toBe(true);
    }
    expect(() => db.prepare(`INSERT INTO alerts VALUES ('a', 'h', 'k', 'PAPER_OUT', 'p', 'fatal', 'm', 1, NULL)`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO users (name, role, pin_hash) VALUES ('x', 'root', 'h')`).run()).toThrow(/CHECK/);
  });
});
