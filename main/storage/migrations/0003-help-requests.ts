import type { Migration } from './index.js';

/**
 * 呼叫帮办: help requests raised by citizens at a kiosk, for the manager console. No personal data: the kiosk id,
 * the screen the citizen was on and the status only. `status` moves open → acknowledged → closed.
 */
const m: Migration = {
  version: 3,
  name: 'help-requests',
  up(db) {
    db.exec(`
      CREATE TABLE help_requests (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kiosk_id TEXT NOT NULL,
        screen TEXT NOT NULL CHECK (length(screen) BETWEEN 2 AND 30),
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX help_requests_status ON help_requests (status, at);
    `);
  },
};
export default m;
