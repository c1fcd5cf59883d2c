import type { Migration } from './index.js';

/**
 * Staff console (issue 6).
 * - staff_credentials: one PIN per staff role, only as a salted scrypt hash with its parameters (so they can be raised
 *   later without invalidating stored hashes). failed_count counts wrong PINs since the last success or lock;
 *   lock_count counts locks since the last successful sign-in and makes each lock twice as long as the one before.
 * - print_log: what the printers used (tickets in mm of paper, A4 sheets), for the manager's statistics. No content.
 * Sessions are not stored: they live in memory, bound to one connection, and end with it.
 */
const m: Migration = {
  version: 4,
  name: 'staff',
  up(db) {
    db.exec(`
      CREATE TABLE staff_credentials (
        role TEXT PRIMARY KEY CHECK (role IN ('manager', 'technician', 'counter')),
        salt TEXT NOT NULL CHECK (length(salt) >= 32),
        hash TEXT NOT NULL CHECK (length(hash) >= 64),
        params TEXT NOT NULL,
        failed_count INTEGER NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
        lock_count INTEGER NOT NULL DEFAULT 0 CHECK (lock_count >= 0),
        locked_until INTEGER,
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE print_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        device TEXT NOT NULL CHECK (device IN ('receiptPrinter', 'a4Printer')),
        kind TEXT NOT NULL,
        paper_mm INTEGER NOT NULL DEFAULT 0 CHECK (paper_mm >= 0),
        sheets INTEGER NOT NULL DEFAULT 0 CHECK (sheets >= 0)
      ) STRICT;
      CREATE INDEX print_log_at ON print_log(at);
    `);
  },
};
export default m;
