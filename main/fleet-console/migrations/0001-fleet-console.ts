import type { Migration } from '../../storage/migrations/index.js';

/**
 * The fleet console's history: kiosks as last seen, alerts with open/close times, day totals per kiosk (the
 * kiosk's own hall-day counts, last message of the day wins), console users with roles and PIN hashes, and the
 * audit trail of every action. No personal data: kiosks send counts and states only.
 */
const m: Migration = {
  version: 1,
  name: 'fleet-console',
  up(db) {
    db.exec(`
      CREATE TABLE kiosks (
        hall_id TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        region TEXT NOT NULL DEFAULT '',
        hall_name TEXT NOT NULL DEFAULT '',
        online INTEGER NOT NULL CHECK (online IN (0, 1)),
        last_seen INTEGER NOT NULL,
        version TEXT,
        config_version INTEGER,
        fleet_config_version INTEGER,
        devices TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (hall_id, kiosk_id)
      ) STRICT;
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        hall_id TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        code TEXT NOT NULL,
        device TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        message TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        closed_at INTEGER
      ) STRICT;
      CREATE INDEX alerts_open ON alerts (closed_at, opened_at);
      CREATE TABLE daily_stats (
        day TEXT NOT NULL,
        hall_id TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        tickets INTEGER NOT NULL,
        tickets_by_category TEXT NOT NULL,
        prints INTEGER NOT NULL,
        a4_pages INTEGER NOT NULL,
        help_requests INTEGER NOT NULL,
        idle_resets INTEGER NOT NULL,
        rating_1 INTEGER NOT NULL,
        rating_2 INTEGER NOT NULL,
        rating_3 INTEGER NOT NULL,
        rating_4 INTEGER NOT NULL,
        rating_5 INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (day, hall_id, kiosk_id)
      ) STRICT;
      CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        pin_hash TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
        detail TEXT NOT NULL
      ) STRICT;
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `);
  },
};
export default m;
