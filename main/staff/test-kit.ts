import Database from 'better-sqlite3';
import { migrate } from '../storage/database.js';
import { migrations } from '../storage/migrations/index.js';
import type { Db } from '../storage/database.js';

/** An in-memory database with every migration, for the staff unit tests. */
export function staffTestDb(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);
  return db;
}

/** A clock the tests move by hand. */
export function manualClock(start = Date.parse('2025-03-03T01:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}
