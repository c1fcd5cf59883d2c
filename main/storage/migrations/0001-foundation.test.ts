import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../database.js';
import m0001 from './0001-foundation.js';
import { migrations } from './index.js';

describe('migration 0001 foundation', () => {
  it('creates STRICT tables and sets user_version 1', () => {
    const db = new Database(':memory:');
    migrate(db, [m0001]);
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(['audit_log', 'config_versions', 'device_events', 'meta']);
    for (const t of tables) expect(t.sql).toMatch(/STRICT$/);
  });

  it('rejects rows of the wrong type and unknown audit outcomes (STRICT, CHECK)', () => {
    const db = new Database(':memory:');
    migrate(db, [m0001]);
    expect(() => db.prepare('INSERT INTO device_events (at, device, state) VALUES (?, ?, ?)').run('yesterday', 'idCard', 'ok')).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => db.prepare("INSERT INTO audit_log (at, actor, action, outcome) VALUES (1, 'manager', 'x', 'maybe')").run()).toThrow(/CHECK constraint/);
  });
});

describe('openDatabase', () => {
  it('applies every migration once, in WAL mode, and is idempotent on reopen', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-db-'));
    const file = `${dir}/k.db`;
    const db = openDatabase({ file });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(migrations.length);
    db.close();
    const again = openDatabase({ file });
    expect(schemaVersion(again)).toBe(migrations.length);
    again.close();
  });

  it('refuses a database newer than this build', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db, [m0001])).toThrow(/newer than this build/);
  });

  it('rolls a failing migration back whole', () => {
    const db = new Database(':memory:');
    const broken = { version: 2, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x INTEGER) STRICT; SELECT * FROM missing_table;') };
    expect(() => migrate(db, [m0001, broken])).toThrow(/migration 2/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
  });
});
