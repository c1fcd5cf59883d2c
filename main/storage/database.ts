import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { HostError } from '../errors.js';
import { migrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** File path, or ':memory:' for tests. */
  file: string;
  /** Migrations to apply; defaults to the project's list. */
  migrations?: readonly Migration[];
}

/**
 * Opens the kiosk database: WAL journal, foreign keys on, `synchronous = FULL` so that a committed transaction
 * (an issued ticket) survives power loss, then applies pending migrations in order, each in its own transaction,
 * tracked by `PRAGMA user_version`. A database newer than this build is refused rather than guessed at.
 */
export function openDatabase(options: OpenDatabaseOptions): Db {
  const list = options.migrations ?? migrations;
  if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
  let db: Db;
  try {
    db = new Database(options.file);
  } catch (e) {
    throw new HostError('STORAGE_OPEN_FAILED', `cannot open database ${options.file}`, { cause: e });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, list);
  return db;
}

export function migrate(db: Db, list: readonly Migration[]): void {
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.version !== i + 1) {
      throw new HostError('STORAGE_MIGRATION_FAILED', `migration list out of order at ${list[i]!.name}`);
    }
  }
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > list.length) {
    throw new HostError('STORAGE_TOO_NEW', `database schema ${current} is newer than this build (${list.length})`);
  }
  for (const m of list.slice(current)) {
    const apply = db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      apply();
    } catch (e) {
      throw new HostError('STORAGE_MIGRATION_FAILED', `migration ${m.version} (${m.name}) failed`, { cause: e });
    }
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
