import type { Migration } from './index.js';

/**
 * The queue (取号): tickets, their event history, counters, ratings and appointments.
 *
 * Privacy (PIPL): no names and no plain ID numbers anywhere; `person_key` is HMAC-SHA256(installation secret, ID
 * number) as 64 hex characters, set to NULL by the retention purge. Statistics come from `ticket_events`, which
 * carry no person data and stay.
 *
 * - queue_sequences: the last number issued per (service day, category) and the priority streak used for
 *   interleaving. Incremented in the same transaction as the ticket insert, so numbers never skip.
 * - queue_tickets: one row per ticket. UNIQUE(day, issued_category_id, number) is the last line against duplicate
 *   numbers; a window holds at most one called/serving ticket (partial unique index).
 * - ticket_events: every state change (append only).
 * - queue_counters: windows and whether they are open, for the wait estimate and the live view.
 * - queue_ratings: 好差评, one per ticket; levels 1-2 need a reason and are flagged for follow-up.
 * - appointments: the local appointment provider's bookings (person key as HMAC only).
 * - appointment_checkins: one per appointment, links it to its ticket and records punctuality.
 */
const DAY = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;
const KEY = `(person_key IS NULL OR (length(person_key) = 64 AND person_key NOT GLOB '*[^0-9a-f]*'))`;

const m: Migration = {
  version: 2,
  name: 'queue',
  up(db) {
    db.exec(`
      CREATE TABLE queue_sequences (
        day TEXT NOT NULL CHECK (day ${DAY}),
        category_id TEXT NOT NULL CHECK (length(category_id) > 0),
        last_number INTEGER NOT NULL CHECK (last_number BETWEEN 0 AND 999),
        priority_streak INTEGER NOT NULL DEFAULT 0 CHECK (priority_streak >= 0),
        PRIMARY KEY (day, category_id)
      ) STRICT;

      CREATE TABLE queue_tickets (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL CHECK (day ${DAY}),
        issued_category_id TEXT NOT NULL,
        prefix TEXT NOT NULL CHECK (length(prefix) = 1 AND prefix GLOB '[A-Z]'),
        number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999),
        category_id TEXT NOT NULL,
        target_window TEXT,
        status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show')),
        priority_reason TEXT CHECK (priority_reason IS NULL OR priority_reason IN
          ('elderly', 'disability', 'pregnancy', 'military', 'appointment')),
        person_key TEXT CHECK ${KEY},
        token TEXT UNIQUE CHECK (token IS NULL OR length(token) >= 20),
        source TEXT NOT NULL CHECK (source IN ('kiosk', 'counter', 'api')),
        device_id TEXT NOT NULL,
        request_id TEXT,
        appointment_ref TEXT UNIQUE,
        issued_at INTEGER NOT NULL,
        queue_at INTEGER NOT NULL,
        window_no TEXT,
        called_at INTEGER,
        started_at INTEGER,
        finished_at INTEGER,
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('completed', 'consulted', 'materials_missing', 'rejected')),
        call_count INTEGER NOT NULL DEFAULT 0 CHECK (call_count >= 0),
        requeue_count INTEGER NOT NULL DEFAULT 0 CHECK (requeue_count >= 0),
        UNIQUE (day, issued_category_id, number),
        UNIQUE (device_id, request_id),
        CHECK (status NOT IN ('called', 'serving') OR window_no IS NOT NULL),
        CHECK ((status = 'done') = (outcome IS NOT NULL)),
        CHECK (status <> 'done' OR finished_at IS NOT NULL)
      ) STRICT;
      CREATE INDEX queue_tickets_waiting ON queue_tickets(day, category_id, status, queue_at);
      CREATE INDEX queue_tickets_person ON queue_tickets(day, issued_category_id, person_key) WHERE person_key IS NOT NULL;
      CREATE INDEX queue_tickets_finished ON queue_tickets(category_id, finished_at) WHERE status = 'done';
      CREATE UNIQUE INDEX queue_tickets_active_window ON queue_tickets(window_no) WHERE status IN ('called', 'serving');

      CREATE TABLE ticket_events (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL REFERENCES queue_tickets(id),
        at INTEGER NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('issued', 'called', 'recalled', 'no_show', 'requeued', 'transferred',
          'started', 'finished', 'rated', 'checked_in')),
        day TEXT NOT NULL CHECK (day ${DAY}),
        category_id TEXT NOT NULL,
        window_no TEXT,
        priority INTEGER NOT NULL CHECK (priority IN (0, 1)),
        detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
      ) STRICT;
      CREATE INDEX ticket_events_at ON ticket_events(at);
      CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, at);

      CREATE TABLE queue_counters (
        window_no TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed')),
        category_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(category_ids)),
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE queue_ratings (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL UNIQUE REFERENCES queue_tickets(id),
        at INTEGER NOT NULL,
        level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
        reason TEXT CHECK (reason IS NULL OR length(reason) <= 500),
        follow_up INTEGER NOT NULL CHECK (follow_up = (level <= 2)),
        CHECK (level >= 3 OR length(trim(coalesce(reason, ''))) > 0)
      ) STRICT;
      CREATE INDEX queue_ratings_at ON queue_ratings(at);

      CREATE TABLE appointments (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 4 AND 64),
        person_key TEXT CHECK ${KEY},
        category_id TEXT NOT NULL,
        day TEXT NOT NULL CHECK (day ${DAY}),
        slot_start INTEGER NOT NULL,
        slot_end INTEGER,
        imported_at INTEGER NOT NULL,
        CHECK (slot_end IS NULL OR slot_end >= slot_start)
      ) STRICT;
      CREATE INDEX appointments_person ON appointments(person_key, day) WHERE person_key IS NOT NULL;

      CREATE TABLE appointment_checkins (
        id INTEGER PRIMARY KEY,
        appointment_ref TEXT NOT NULL UNIQUE,
        ticket_id INTEGER NOT NULL UNIQUE REFERENCES queue_tickets(id),
        category_id TEXT NOT NULL,
        day TEXT NOT NULL CHECK (day ${DAY}),
        slot_start INTEGER NOT NULL,
        checked_in_at INTEGER NOT NULL,
        offset_seconds INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX appointment_checkins_at ON appointment_checkins(checked_in_at);
    `);
  },
};
export default m;
