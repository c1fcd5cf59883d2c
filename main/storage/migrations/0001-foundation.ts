import type { Migration } from './index.js';

/**
 * Foundation tables.
 * - meta: installation facts (installation id, created_at). Secrets live in files with 0600 mode, not here.
 * - config_versions: every accepted kiosk configuration, with author and time, for compare and roll back.
 * - audit_log: staff actions and security events (who, what, when). Never holds citizens' personal data.
 * - device_events: device state changes and faults, for the device board and statistics.
 */
const m: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE config_versions (
        id INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        author TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
        detail TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log(at);

      CREATE TABLE device_events (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        device TEXT NOT NULL,
        state TEXT NOT NULL,
        code TEXT,
        message TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX device_events_device_at ON device_events(device, at);
    `);
  },
};
export default m;
