import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../database.js';
import { migrations } from './index.js';

describe('migration 0004 (staff)', () => {
  it('creates STRICT staff_credentials and print_log with checks; no column for a clear PIN', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 4));
    expect(schemaVersion(db)).toBe(4);
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('staff_credentials', 'print_log')`).all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['print_log', 'staff_credentials']);
    for (const t of tables) expect(t.sql.trim().endsWith('STRICT')).toBe(true);
    const cols = (db.prepare(`SELECT name FROM pragma_table_info('staff_credentials')`).all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(['role', 'salt', 'hash', 'params', 'failed_count', 'lock_count', 'locked_until', 'updated_at', 'updated_by']);
    const insert = db.prepare(`INSERT INTO staff_credentials (role, salt, hash, params, updated_at, updated_by) VALUES (?, ?, ?, '{}', 1, 'system')`);
    expect(() => insert.run('citizen', 'a'.repeat(32), 'b'.repeat(64))).toThrow(/CHECK/);
    expect(() => insert.run('manager', 'short', 'b'.repeat(64))).toThrow(/CHECK/);
    expect(() => insert.run('manager', 'a'.repeat(32), '123456')).toThrow(/CHECK/);
    insert.run('manager', 'a'.repeat(32), 'b'.repeat(64));
    expect(() => db.prepare(`INSERT INTO print_log (at, device, kind) VALUES (1, 'scanner', 'x')`).run()).toThrow(/CHECK/);
  });
});
