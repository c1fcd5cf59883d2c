import { createHash } from 'node:crypto';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import { validateKioskConfig, type ConfigProblem } from '../../kiosk-config/validate.js';
import { HostError } from '../errors.js';
import type { Db } from '../storage/database.js';
import { diffJson, type DiffEntry } from './config-diff.js';

export interface ConfigVersionMeta {
  id: number;
  createdAt: number;
  author: string;
  comment: string;
}

export type SaveOutcome = { saved: true; version: ConfigVersionMeta } | { saved: false; problems: ConfigProblem[] };

const META_CURRENT = 'staff.config.current';
const META_FILE_HASH = 'staff.config.fileHash';

/**
 * Every accepted configuration as a version in config_versions (migration 0001), with author, time and comment.
 * Saving validates with the same schema as loading a file (validateKioskConfig) and stores the parsed config
 * (defaults filled in). A version is never edited; rolling back saves an earlier body as a new version, so the
 * history shows who rolled back to what and when.
 */
export class ConfigVersionStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /**
   * Start-up: decides which config runs. The file wins when it changed since the last start (or on first start)
   * and is then stored as a new version; otherwise the newest stored version wins, so the manager's edits survive
   * a restart. Returns the config to run and whether it differs from the file's.
   */
  reconcile(fileConfig: KioskConfig, fileName: string): { config: KioskConfig; version: ConfigVersionMeta; fromFile: boolean } {
    const fileHash = createHash('sha256').update(JSON.stringify(fileConfig)).digest('hex');
    const latest = this.latest();
    if (!latest || this.meta(META_FILE_HASH) !== fileHash) {
      const version = this.insert(fileConfig, 'system', `loaded from ${fileName}`);
      this.setMeta(META_FILE_HASH, fileHash);
      this.setCurrent(version.id);
      return { config: fileConfig, version, fromFile: true };
    }
    const config = this.config(latest.id);
    this.setCurrent(latest.id);
    return { config, version: latest, fromFile: false };
  }

  /** Validates and stores `raw` as a new version; does not apply it (the caller does, through applyConfig). */
  save(raw: unknown, author: string, comment = ''): SaveOutcome {
    const r = validateKioskConfig(raw);
    if (!r.ok) return { saved: false, problems: r.problems };
    const version = this.insert(r.config, author, comment);
    return { saved: true, version };
  }

  /** Marks a version as the one running (after applyConfig accepted it). */
  setCurrent(id: number): void {
    this.setMeta(META_CURRENT, String(id));
  }

  currentId(): number | null {
    const v = this.meta(META_CURRENT);
    return v === undefined ? null : Number(v);
  }

  list(limit = 200): ConfigVersionMeta[] {
    return this.db
      .prepare(`SELECT id, created_at AS createdAt, author, comment FROM config_versions ORDER BY id DESC LIMIT ?`)
      .all(limit) as ConfigVersionMeta[];
  }

  latest(): ConfigVersionMeta | undefined {
    return this.db.prepare(`SELECT id, created_at AS createdAt, author, comment FROM config_versions ORDER BY id DESC LIMIT 1`).get() as
      | ConfigVersionMeta
      | undefined;
  }

  version(id: number): ConfigVersionMeta {
    const row = this.db.prepare(`SELECT id, created_at AS createdAt, author, comment FROM config_versions WHERE id = ?`).get(id) as
      | ConfigVersionMeta
      | undefined;
    if (!row) throw new HostError('CONFIG_VERSION_UNKNOWN', `no configuration version ${id}`);
    return row;
  }

  /** The stored config of a version, re-validated (a body that no longer validates is reported, not run). */
  config(id: number): KioskConfig {
    const row = this.db.prepare(`SELECT body FROM config_versions WHERE id = ?`).get(id) as { body: string } | undefined;
    if (!row) throw new HostError('CONFIG_VERSION_UNKNOWN', `no configuration version ${id}`);
    const r = validateKioskConfig(JSON.parse(row.body));
    if (!r.ok) throw new HostError('CONFIG_INVALID', `version ${id} no longer validates: ${r.problems.map((p) => p.sentence).join(' ')}`);
    return r.config;
  }

  diff(fromId: number, toId: number): DiffEntry[] {
    return diffJson(this.config(fromId), this.config(toId));
  }

  /** Saves the body of an earlier version as a new version. */
  rollback(toId: number, author: string, comment?: string): ConfigVersionMeta {
    const config = this.config(toId);
    return this.insert(config, author, comment && comment.trim() !== '' ? comment : `rollback to version ${toId}`);
  }

  private insert(config: KioskConfig, author: string, comment: string): ConfigVersionMeta {
    const createdAt = this.now().getTime();
    const r = this.db
      .prepare(`INSERT INTO config_versions (created_at, author, comment, body) VALUES (?, ?, ?, ?)`)
      .run(createdAt, author, comment.slice(0, 200), JSON.stringify(config));
    return { id: Number(r.lastInsertRowid), createdAt, author, comment: comment.slice(0, 200) };
  }

  private meta(key: string): string | undefined {
    return (this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined)?.value;
  }

  private setMeta(key: string, value: string): void {
    this.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, value);
  }
}
