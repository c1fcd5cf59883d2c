import { randomBytes } from 'node:crypto';
import type { DriverLogger } from '../../drivers/log.js';
import { silentLogger } from '../../drivers/log.js';
import {
  minutesOfDay,
  type PriorityReason,
  type QueueCategory,
  type QueueConfig,
  type ServiceOutcome,
} from '../../kiosk-config/queue.js';
import { HostError, isHostError } from '../errors.js';
import type { Db } from '../storage/database.js';
import type { AppointmentProvider, AppointmentRecord } from './appointments.js';
import { ageOn, HallTime } from './hall-time.js';
import { assertSecret, birthDateFromIdNumber, personKey } from './person-key.js';
import { computeQueueStats, type QueueStats } from './stats.js';

/**
 * The queue engine (取号/叫号) on the hall's SQLite. Every operation is one `BEGIN IMMEDIATE` transaction on a
 * database opened with WAL and synchronous=FULL, so a ticket returned to the caller is on disk, and two processes
 * (or two connections) cannot hand out the same number. Every state change appends a `ticket_events` row; the
 * statistics are derived from those rows.
 *
 * Rules chosen here (documented for the hall and the UI):
 * - Numbers: `<prefix><3 digits>` per category per local service day, from 001, restarting each day, never repeated
 *   or skipped (the sequence row is incremented in the ticket's own transaction). Tickets belong to their day:
 *   yesterday's waiting tickets are not called today.
 * - Calling order: see `priorityRatio` in kiosk-config/queue.ts. Among several categories of one window, the ticket
 *   that has been queued longest goes first (after each category's priority rule).
 * - 过号重排 (no-show): the ticket becomes callable again `requeueAfterMinutes` later and queues by that time (behind
 *   everyone who queued before it), up to `maxRequeues` times; then it is closed as no_show.
 * - Transfer: by default the ticket keeps its place (its queue time) in the new category or window, because the
 *   citizen has already waited; `position: 'end'` puts it at the end. It keeps its printed number.
 * - A window has at most one called/serving ticket; it must finish, transfer or mark no-show before calling again.
 * - Appointment tickets (checked in) are priority tickets with reason 'appointment'; they are numbered in their
 *   category but do not count against the walk-in daily quota, and may be issued until closing time.
 */

// The LAN wire types are defined once in the contract; the engine produces them.
export type {
  CallRecord,
  CategorySnapshot,
  CounterSnapshot,
  CounterState,
  QueueEvent,
  QueueSnapshot,
  TicketSource,
  TicketStatus,
  TicketView,
} from '../contract/queue-wire.js';
import type {
  CallRecord,
  CategorySnapshot,
  CounterSnapshot,
  CounterState,
  QueueEvent,
  QueueSnapshot,
  TicketSource,
  TicketStatus,
  TicketView,
} from '../contract/queue-wire.js';

export interface QueueClock {
  now(): Date;
}

export interface QueueEngineOptions {
  db: Db;
  config: QueueConfig;
  /** The per-installation secret for person keys, 16+ bytes. */
  secret: Buffer;
  clock?: QueueClock;
  /** The hall's UTC offset (hall.utcOffset), default +08:00. */
  utcOffset?: string;
  appointments?: AppointmentProvider;
  logger?: DriverLogger;
}

export interface IssueTicketInput {
  categoryId: string;
  /** Plain ID number; only its HMAC is kept. */
  idNumber?: string;
  /** `YYYY-MM-DD`; for elderly priority when the ID number does not carry a birth date. Never stored. */
  birthDate?: string;
  /** Explicit priority (绿色通道). 'elderly' needs a birth date showing the age unless staff issue it (source counter). */
  priority?: { reason: Exclude<PriorityReason, 'appointment'> };
  source: TicketSource;
  deviceId: string;
  /** Idempotency key from the issuing device: the same (deviceId, requestId) returns the same ticket. */
  requestId?: string;
}


export interface IssuedTicket extends TicketView {
  /** Unguessable (128 bit) token for rating and look-up; null once purged. */
  token: string;
  /** Content of the ticket's QR code: `HKT:<token>`. */
  qrPayload: string;
  peopleAhead: number;
  estimatedWaitMinutes: number;
}

export interface CheckInResult extends IssuedTicket {
  appointment: { ref: string; slotStart: string; offsetMinutes: number; alreadyCheckedIn: boolean };
}

export type CheckInInput = { code: string } | { idNumber: string };

export interface RateInput {
  ticketId?: number;
  ticketToken?: string;
  level: number;
  reason?: string;
}

export interface RatingView {
  ticketId: number;
  level: number;
  reason: string | null;
  followUp: boolean;
  at: string;
}





export type QueueListener = (event: QueueEvent) => void;

interface TicketRow {
  id: number;
  day: string;
  issued_category_id: string;
  prefix: string;
  number: number;
  category_id: string;
  target_window: string | null;
  status: TicketStatus;
  priority_reason: PriorityReason | null;
  person_key: string | null;
  token: string | null;
  source: TicketSource;
  device_id: string;
  request_id: string | null;
  appointment_ref: string | null;
  issued_at: number;
  queue_at: number;
  window_no: string | null;
  called_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  outcome: ServiceOutcome | null;
  call_count: number;
  requeue_count: number;
}

type EventType =
  | 'issued'
  | 'called'
  | 'recalled'
  | 'no_show'
  | 'requeued'
  | 'transferred'
  | 'started'
  | 'finished'
  | 'rated'
  | 'checked_in';

const MINUTE = 60_000;
const MEDIAN_WINDOW = 20;

export function formatTicketNumber(prefix: string, number: number): string {
  return `${prefix}${String(number).padStart(3, '0')}`;
}

export class QueueEngine {
  private readonly db: Db;
  private readonly config: QueueConfig;
  private readonly secret: Buffer;
  private readonly clock: QueueClock;
  private readonly hallTime: HallTime;
  private readonly logger: DriverLogger;
  private readonly appointments: AppointmentProvider | undefined;
  private readonly categories: Map<string, QueueCategory>;
  private readonly windows: string[];
  private readonly listeners = new Set<QueueListener>();

  constructor(options: QueueEngineOptions) {
    assertSecret(options.secret);
    this.db = options.db;
    this.config = options.config;
    this.secret = options.secret;
    this.clock = options.clock ?? { now: () => new Date() };
    this.hallTime = new HallTime(options.utcOffset);
    this.logger = options.logger ?? silentLogger;
    this.appointments = options.appointments;
    this.categories = new Map(options.config.categories.map((c) => [c.id, c]));
    this.windows = [...new Set(options.config.categories.flatMap((c) => c.windows))];
  }

  // ---------------------------------------------------------------- listeners

  /** Subscribes to queue changes and calls (emitted after commit). Returns the unsubscribe function. */
  on(listener: QueueListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(events: QueueEvent[]): void {
    for (const e of events) {
      for (const l of this.listeners) {
        try {
          l(e);
        } catch (err) {
          this.logger.error({ err, event: e.type }, 'queue listener failed');
        }
      }
    }
  }

  /** Runs `fn` in one BEGIN IMMEDIATE transaction; emits the collected events after commit. */
  private write<T>(fn: (out: QueueEvent[]) => T): T {
    const out: QueueEvent[] = [];
    let result: T;
    try {
      result = this.db.transaction(() => fn(out)).immediate();
    } catch (e) {
      if (isHostError(e)) throw e;
      throw new HostError('STORAGE_WRITE_FAILED', 'queue write failed', { cause: e });
    }
    this.emit(out);
    return result;
  }

  private changed(out: QueueEvent[], now: number, ...categoryIds: string[]): void {
    out.push({ type: 'queue-changed', categoryIds: [...new Set(categoryIds)], at: new Date(now).toISOString() });
  }

  private event(row: TicketRow, type: EventType, at: number, detail: Record<string, unknown> = {}, window: string | null = row.window_no): void {
    this.db
      .prepare(
        `INSERT INTO ticket_events (ticket_id, at, type, day, category_id, window_no, priority, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, at, type, row.day, row.category_id, window, row.priority_reason ? 1 : 0, JSON.stringify(detail));
  }

  // ---------------------------------------------------------------- helpers

  private category(id: string): QueueCategory {
    const c = this.categories.get(id);
    if (!c) throw new HostError('QUEUE_CATEGORY_UNKNOWN', `unknown queue category "${id}"`, { detail: { categoryId: id } });
    return c;
  }

  private assertWindow(window: string): void {
    if (!this.windows.includes(window)) {
      throw new HostError('QUEUE_COUNTER_UNKNOWN', `unknown window "${window}"`, { detail: { window } });
    }
  }

  /** Why tickets cannot be issued now, or null when they can. */
  private closedReason(c: QueueCategory, at: number, untilClose: boolean): string | null {
    const day = this.hallTime.day(at);
    if (this.config.holidays.includes(day)) return 'holiday';
    const weekday = this.config.extraWorkdays.includes(day) ? 1 : this.hallTime.weekday(at);
    const periods = c.hours.filter((h) => h.days.includes(weekday));
    if (periods.length === 0) return 'closed-today';
    const m = this.hallTime.minuteOfDay(at);
    for (const h of periods) {
      const end = untilClose ? h.close : (h.lastTicket ?? h.close);
      if (m >= minutesOfDay(h.open) && m < minutesOfDay(end)) return null;
    }
    return periods.some((h) => m < minutesOfDay(h.open)) ? 'not-open-yet' : 'after-last-ticket';
  }

  private ticketById(id: number): TicketRow {
    const row = this.db.prepare('SELECT * FROM queue_tickets WHERE id = ?').get(id) as TicketRow | undefined;
    if (!row) throw new HostError('QUEUE_TICKET_UNKNOWN', `no ticket ${id}`, { detail: { ticketId: id } });
    return row;
  }

  private view(row: TicketRow): TicketView {
    return {
      id: row.id,
      number: formatTicketNumber(row.prefix, row.number),
      day: row.day,
      categoryId: row.category_id,
      issuedCategoryId: row.issued_category_id,
      status: row.status,
      priority: row.priority_reason,
      issuedAt: new Date(row.issued_at).toISOString(),
      window: row.window_no,
      targetWindow: row.target_window,
      callCount: row.call_count,
      requeueCount: row.requeue_count,
      outcome: row.outcome,
    };
  }

  private issuedView(row: TicketRow, now: number): IssuedTicket {
    const peopleAhead = this.peopleAhead(row);
    const c = this.category(row.category_id);
    return {
      ...this.view(row),
      token: row.token ?? '',
      qrPayload: row.token ? `HKT:${row.token}` : '',
      peopleAhead,
      estimatedWaitMinutes: this.estimateMinutes(c, peopleAhead, now),
    };
  }

  /** Tickets called before `row` if nothing else changes (an estimate when priority tickets interleave). */
  private peopleAhead(row: TicketRow): number {
    if (row.status !== 'waiting') return 0;
    const c = this.category(row.category_id);
    const count = (priority: boolean | null) =>
      (
        this.db
          .prepare(
            `SELECT count(*) AS n FROM queue_tickets WHERE day = ? AND category_id = ? AND status = 'waiting'
             AND id <> ? AND (queue_at < ? OR (queue_at = ? AND id < ?))
             ${priority === null ? '' : priority ? 'AND priority_reason IS NOT NULL' : 'AND priority_reason IS NULL'}`,
          )
          .get(row.day, row.category_id, row.id, row.queue_at, row.queue_at, row.id) as { n: number }
      ).n;
    if (c.priorityRatio === 0) return count(null);
    const allPriority = (
      this.db
        .prepare(`SELECT count(*) AS n FROM queue_tickets WHERE day = ? AND category_id = ? AND status = 'waiting' AND priority_reason IS NOT NULL AND id <> ?`)
        .get(row.day, row.category_id, row.id) as { n: number }
    ).n;
    if (row.priority_reason) {
      const priorityAhead = count(true);
      const normalWaiting = (
        this.db
          .prepare(`SELECT count(*) AS n FROM queue_tickets WHERE day = ? AND category_id = ? AND status = 'waiting' AND priority_reason IS NULL`)
          .get(row.day, row.category_id) as { n: number }
      ).n;
      return priorityAhead + Math.min(normalWaiting, Math.floor(priorityAhead / c.priorityRatio));
    }
    // A normal ticket waits for the normal tickets ahead of it and for every waiting priority ticket (they go first,
    // up to `priorityRatio` per normal call).
    return count(false) + allPriority;
  }

  /** Median of the last 20 finished services in the category, or its default when there is none. */
  private medianServiceMs(c: QueueCategory): number {
    const rows = this.db
      .prepare(
        `SELECT finished_at - coalesce(started_at, called_at) AS ms FROM queue_tickets
         WHERE category_id = ? AND status = 'done' AND coalesce(started_at, called_at) IS NOT NULL
         ORDER BY finished_at DESC LIMIT ${MEDIAN_WINDOW}`,
      )
      .all(c.id) as { ms: number }[];
    if (rows.length === 0) return c.defaultServiceMinutes * MINUTE;
    const sorted = rows.map((r) => r.ms).sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  /** Open counters serving the category today; at least 1 for the estimate. */
  private openCounters(c: QueueCategory, now: number): number {
    const since = this.hallTime.startOfDay(this.hallTime.day(now));
    const rows = this.db
      .prepare(`SELECT category_ids FROM queue_counters WHERE state = 'open' AND updated_at >= ?`)
      .all(since) as { category_ids: string }[];
    return rows.filter((r) => (JSON.parse(r.category_ids) as string[]).includes(c.id)).length;
  }

  /** ceil(peopleAhead × median service time ÷ open counters), in minutes. */
  private estimateMinutes(c: QueueCategory, peopleAhead: number, now: number): number {
    if (peopleAhead === 0) return 0;
    const counters = Math.max(1, this.openCounters(c, now));
    return Math.ceil((peopleAhead * this.medianServiceMs(c)) / counters / MINUTE);
  }

  /** The called/serving ticket of a window (optionally asserting its id). */
  private active(window: string, ticketId?: number): TicketRow {
    this.assertWindow(window);
    if (ticketId !== undefined) {
      const row = this.ticketById(ticketId);
      if (row.window_no !== window || (row.status !== 'called' && row.status !== 'serving')) {
        throw new HostError('QUEUE_INVALID_STATE', `ticket ${ticketId} is not active at window ${window}`, {
          detail: { ticketId, status: row.status },
        });
      }
      return row;
    }
    const row = this.db
      .prepare(`SELECT * FROM queue_tickets WHERE window_no = ? AND status IN ('called', 'serving')`)
      .get(window) as TicketRow | undefined;
    if (!row) throw new HostError('QUEUE_INVALID_STATE', `window ${window} has no called ticket`, { detail: { window } });
    return row;
  }

  private update(id: number, set: Partial<Omit<TicketRow, 'id'>>): TicketRow {
    const keys = Object.keys(set);
    const row = this.db
      .prepare(`UPDATE queue_tickets SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id RETURNING *`)
      .get({ ...set, id }) as TicketRow;
    return row;
  }

  private touchCounter(window: string, state: CounterState, categoryIds: string[], now: number): void {
    this.db
      .prepare(
        `INSERT INTO queue_counters (window_no, state, category_ids, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (window_no) DO UPDATE SET state = excluded.state, category_ids = excluded.category_ids,
           updated_at = excluded.updated_at`,
      )
      .run(window, state, JSON.stringify(categoryIds), now);
  }

  // ---------------------------------------------------------------- issue

  issueTicket(input: IssueTicketInput): IssuedTicket {
    const now = this.clock.now().getTime();
    const c = this.category(input.categoryId);
    const key = input.idNumber ? personKey(this.secret, input.idNumber) : null;
    const day = this.hallTime.day(now);
    return this.write((out) => {
      if (input.requestId !== undefined) {
        const existing = this.db
          .prepare('SELECT * FROM queue_tickets WHERE device_id = ? AND request_id = ?')
          .get(input.deviceId, input.requestId) as TicketRow | undefined;
        if (existing) return this.issuedView(existing, now);
      }
      const closed = this.closedReason(c, now, false);
      if (closed) throw new HostError('QUEUE_CLOSED', `category ${c.id} issues no tickets now (${closed})`, { detail: { reason: closed } });
      if (c.idRequired && !key) throw new HostError('QUEUE_ID_REQUIRED', `category ${c.id} needs an ID card or code`);

      let reason: PriorityReason | null = input.priority?.reason ?? null;
      if ((reason as string | null) === 'appointment') {
        throw new HostError('BAD_REQUEST', 'appointment tickets are issued by check-in');
      }
      const birth = input.birthDate ?? (input.idNumber ? birthDateFromIdNumber(input.idNumber) : null);
      const age = birth ? ageOn(birth, day) : null;
      const elderly = age !== null && age >= this.config.priority.elderlyAge;
      if (reason === 'elderly' && !elderly && input.source !== 'counter') {
        throw new HostError('BAD_REQUEST', `elderly priority needs a birth date showing age ${this.config.priority.elderlyAge}+`);
      }
      if (reason === null && elderly) reason = 'elderly';

      if (key) {
        const n = (
          this.db
            .prepare('SELECT count(*) AS n FROM queue_tickets WHERE day = ? AND issued_category_id = ? AND person_key = ?')
            .get(day, c.id, key) as { n: number }
        ).n;
        if (n >= c.maxTicketsPerPersonPerDay) {
          throw new HostError('QUEUE_PERSON_LIMIT', `at most ${c.maxTicketsPerPersonPerDay} tickets per person per day in ${c.id}`);
        }
      }
      const row = this.insertTicket({ c, day, now, reason, key, source: input.source, deviceId: input.deviceId, requestId: input.requestId ?? null, appointmentRef: null, quota: c.dailyQuota });
      this.event(row, 'issued', now, { source: input.source, device: input.deviceId });
      this.changed(out, now, c.id);
      return this.issuedView(row, now);
    });
  }

  private insertTicket(a: {
    c: QueueCategory;
    day: string;
    now: number;
    reason: PriorityReason | null;
    key: string | null;
    source: TicketSource;
    deviceId: string;
    requestId: string | null;
    appointmentRef: string | null;
    quota: number;
  }): TicketRow {
    const seq = this.db
      .prepare('SELECT last_number FROM queue_sequences WHERE day = ? AND category_id = ?')
      .get(a.day, a.c.id) as { last_number: number } | undefined;
    const next = (seq?.last_number ?? 0) + 1;
    if (next > a.quota) {
      throw new HostError('QUEUE_QUOTA_REACHED', `the daily quota of ${a.c.id} (${a.quota}) is reached`, { detail: { quota: a.quota } });
    }
    this.db
      .prepare(
        `INSERT INTO queue_sequences (day, category_id, last_number) VALUES (?, ?, 1)
         ON CONFLICT (day, category_id) DO UPDATE SET last_number = last_number + 1`,
      )
      .run(a.day, a.c.id);
    return this.db
      .prepare(
        `INSERT INTO queue_tickets (day, issued_category_id, prefix, number, category_id, status, priority_reason,
           person_key, token, source, device_id, request_id, appointment_ref, issued_at, queue_at)
         VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        a.day, a.c.id, a.c.prefix, next, a.c.id, a.reason, a.key, randomBytes(16).toString('base64url'), a.source,
        a.deviceId, a.requestId, a.appointmentRef, a.now, a.now,
      ) as TicketRow;
  }

  // ---------------------------------------------------------------- counters

  /** Calls the next ticket for a window; null when nobody is waiting. Marks the window open. */
  callNext(input: { window: string; categoryIds?: string[] }): TicketView | null {
    this.assertWindow(input.window);
    const cats = (input.categoryIds ?? this.config.categories.filter((c) => c.windows.includes(input.window)).map((c) => c.id)).map((id) =>
      this.category(id),
    );
    const now = this.clock.now().getTime();
    const day = this.hallTime.day(now);
    return this.write((out) => {
      this.assertWindowFree(input.window);
      this.touchCounter(input.window, 'open', cats.map((c) => c.id), now);
      const head = (c: QueueCategory, priority: boolean) =>
        this.db
          .prepare(
            `SELECT * FROM queue_tickets WHERE day = ? AND category_id = ? AND status = 'waiting' AND queue_at <= ?
             AND (target_window IS NULL OR target_window = ?) AND priority_reason IS ${priority ? 'NOT NULL' : 'NULL'}
             ORDER BY queue_at, id LIMIT 1`,
          )
          .get(day, c.id, now, input.window) as TicketRow | undefined;
      let best: { row: TicketRow; c: QueueCategory; normalWaiting: boolean } | undefined;
      for (const c of cats) {
        const p = head(c, true);
        const n = head(c, false);
        let pick: TicketRow | undefined;
        if (c.priorityRatio === 0 || !p || !n) {
          pick = !p ? n : !n ? p : p.queue_at < n.queue_at || (p.queue_at === n.queue_at && p.id < n.id) ? p : n;
        } else {
          const streak = (
            this.db.prepare('SELECT priority_streak AS s FROM queue_sequences WHERE day = ? AND category_id = ?').get(day, c.id) as
              | { s: number }
              | undefined
          )?.s ?? 0;
          pick = streak < c.priorityRatio ? p : n;
        }
        if (!pick) continue;
        if (!best || pick.queue_at < best.row.queue_at || (pick.queue_at === best.row.queue_at && pick.id < best.row.id)) {
          best = { row: pick, c, normalWaiting: n !== undefined };
        }
      }
      if (!best) return null;
      const streak = best.row.priority_reason && best.normalWaiting ? 'priority_streak + 1' : '0';
      this.db.prepare(`UPDATE queue_sequences SET priority_streak = ${streak} WHERE day = ? AND category_id = ?`).run(day, best.c.id);
      const row = this.markCalled(best.row, input.window, now, true, out);
      return this.view(row);
    });
  }

  /** Calls a specific waiting ticket (staff choice, e.g. a citizen with an urgent need); ignores order and delay. */
  callTicket(input: { window: string; ticketId: number }): TicketView {
    this.assertWindow(input.window);
    const now = this.clock.now().getTime();
    return this.write((out) => {
      this.assertWindowFree(input.window);
      const row = this.ticketById(input.ticketId);
      if (row.status !== 'waiting' || row.day !== this.hallTime.day(now)) {
        throw new HostError('QUEUE_INVALID_STATE', `ticket ${row.id} is not waiting today`, { detail: { status: row.status } });
      }
      const cats = this.config.categories.filter((c) => c.windows.includes(input.window)).map((c) => c.id);
      this.touchCounter(input.window, 'open', cats, now);
      return this.view(this.markCalled(row, input.window, now, false, out));
    });
  }

  private assertWindowFree(window: string): void {
    const busy = this.db
      .prepare(`SELECT id, status FROM queue_tickets WHERE window_no = ? AND status IN ('called', 'serving')`)
      .get(window) as { id: number; status: string } | undefined;
    if (busy) {
      throw new HostError('QUEUE_INVALID_STATE', `window ${window} still has ticket ${busy.id} (${busy.status})`, {
        detail: { ticketId: busy.id, status: busy.status },
      });
    }
  }

  private markCalled(row: TicketRow, window: string, now: number, auto: boolean, out: QueueEvent[]): TicketRow {
    const called = this.update(row.id, { status: 'called', window_no: window, called_at: now, started_at: null, call_count: row.call_count + 1 });
    this.event(called, 'called', now, { auto, waitedMs: now - row.queue_at });
    out.push({ type: 'ticket-called', ...this.callRecord(called, now, false) });
    this.changed(out, now, called.category_id);
    return called;
  }

  private callRecord(row: TicketRow, now: number, recall: boolean): CallRecord {
    return {
      ticketId: row.id,
      number: formatTicketNumber(row.prefix, row.number),
      window: row.window_no ?? '',
      categoryId: row.category_id,
      at: new Date(now).toISOString(),
      recall,
    };
  }

  /** Calls the window's ticket again (display and voice repeat). */
  recall(input: { window: string; ticketId?: number }): TicketView {
    const now = this.clock.now().getTime();
    return this.write((out) => {
      const row = this.active(input.window, input.ticketId);
      if (row.status !== 'called') throw new HostError('QUEUE_INVALID_STATE', `ticket ${row.id} is already being served`);
      const r = this.update(row.id, { call_count: row.call_count + 1 });
      this.event(r, 'recalled', now, { callCount: r.call_count });
      out.push({ type: 'ticket-called', ...this.callRecord(r, now, true) });
      return this.view(r);
    });
  }

  /** 过号: the called citizen did not come. Re-queued after `requeueAfterMinutes`, up to `maxRequeues` times. */
  noShow(input: { window: string; ticketId?: number }): TicketView {
    const now = this.clock.now().getTime();
    return this.write((out) => {
      const row = this.active(input.window, input.ticketId);
      if (row.status !== 'called') throw new HostError('QUEUE_INVALID_STATE', `ticket ${row.id} is being served, not a no-show`);
      const requeue = row.requeue_count < this.config.noShow.maxRequeues;
      this.event(row, 'no_show', now, { requeued: requeue });
      let r: TicketRow;
      if (requeue) {
        const eligibleAt = now + this.config.noShow.requeueAfterMinutes * MINUTE;
        r = this.update(row.id, { status: 'waiting', window_no: null, called_at: null, queue_at: eligibleAt, requeue_count: row.requeue_count + 1 });
        this.event(r, 'requeued', now, { eligibleAt: new Date(eligibleAt).toISOString(), requeueCount: r.requeue_count }, input.window);
      } else {
        r = this.update(row.id, { status: 'no_show' });
      }
      this.changed(out, now, r.category_id);
      return this.view(r);
    });
  }

  /**
   * Sends the window's ticket to another category and/or window (转窗). `position: 'keep'` (default) keeps its queue
   * time, so it is called before everyone who queued after it; 'end' queues it now.
   */
  transfer(input: { window: string; ticketId?: number; toCategoryId?: string; toWindow?: string; position?: 'keep' | 'end' }): TicketView {
    const now = this.clock.now().getTime();
    return this.write((out) => {
      const row = this.active(input.window, input.ticketId);
      const to = this.category(input.toCategoryId ?? row.category_id);
      if (input.toWindow !== undefined) {
        this.assertWindow(input.toWindow);
        if (!to.windows.includes(input.toWindow)) {
          throw new HostError('QUEUE_COUNTER_UNKNOWN', `window ${input.toWindow} does not serve ${to.id}`, { detail: { window: input.toWindow } });
        }
      }
      if (to.id === row.category_id && input.toWindow === undefined) {
        throw new HostError('BAD_REQUEST', 'a transfer needs another category or a window');
      }
      const position = input.position ?? 'keep';
      this.event(row, 'transferred', now, { toCategoryId: to.id, toWindow: input.toWindow ?? null, position, from: row.status });
      const r = this.update(row.id, {
        status: 'waiting',
        window_no: null,
        called_at: null,
        started_at: null,
        category_id: to.id,
        target_window: input.toWindow ?? null,
        queue_at: position === 'keep' ? row.queue_at : now,
      });
      this.changed(out, now, row.category_id, to.id);
      return this.view(r);
    });
  }

  startService(input: { window: string; ticketId?: number }): TicketView {
    const now = this.clock.now().getTime();
    return this.write((out) => {
      const row = this.active(input.window, input.ticketId);
      if (row.status !== 'called') throw new HostError('QUEUE_INVALID_STATE', `ticket ${row.id} is already being served`);
      const r = this.update(row.id, { status: 'serving', started_at: now });
      this.event(r, 'started', now);
      this.changed(out, now, r.category_id);
      return this.view(r);
    });
  }

  finishService(input: { window: string; ticketId?: number; outcome: ServiceOutcome }): TicketView {
    const now = this.clock.now().getTime();
    return this.write((out) => {
      const row = this.active(input.window, input.ticketId);
      const from = row.started_at ?? row.called_at ?? now;
      const r = this.update(row.id, { status: 'done', finished_at: now, outcome: input.outcome });
      this.event(r, 'finished', now, { outcome: input.outcome, serviceMs: now - from });
      this.changed(out, now, r.category_id);
      return this.view(r);
    });
  }

  /** Opens, pauses or closes a window (only open windows count for the wait estimate). */
  setCounterState(input: { window: string; state: CounterState; categoryIds?: string[] }): CounterSnapshot {
    this.assertWindow(input.window);
    const cats = (input.categoryIds ?? this.config.categories.filter((c) => c.windows.includes(input.window)).map((c) => c.id)).map((id) => this.category(id).id);
    const now = this.clock.now().getTime();
    this.write((out) => {
      this.touchCounter(input.window, input.state, cats, now);
      this.changed(out, now, ...cats);
    });
    const snap = this.snapshot().counters.find((c) => c.window === input.window);
    if (!snap) throw new HostError('INTERNAL', `window ${input.window} missing from the snapshot`);
    return snap;
  }

  // ---------------------------------------------------------------- look-up

  /** A ticket by id or QR token (`HKT:` prefix accepted). Never returns the person key. */
  getTicket(ref: { ticketId: number } | { token: string }): IssuedTicket {
    const row =
      'ticketId' in ref
        ? this.ticketById(ref.ticketId)
        : (this.db.prepare('SELECT * FROM queue_tickets WHERE token = ?').get(ref.token.replace(/^HKT:/, '')) as TicketRow | undefined);
    if (!row) throw new HostError('QUEUE_TICKET_UNKNOWN', 'no ticket with this token');
    return this.issuedView(row, this.clock.now().getTime());
  }

  // ---------------------------------------------------------------- appointments

  /**
   * 预约签到: finds the booking by its code or by the person key of the ID number, checks the window
   * [slot − earlyMinutes, slot + lateMinutes] and issues a priority ticket (reason 'appointment'). Checking in twice
   * returns the same ticket.
   */
  async checkIn(input: CheckInInput): Promise<CheckInResult> {
    if (!this.appointments) throw new HostError('NOT_AVAILABLE', 'no appointment provider is configured');
    const provider = this.appointments;
    const now = this.clock.now().getTime();
    const day = this.hallTime.day(now);
    let found: AppointmentRecord | null;
    let key: string | null = null;
    if ('code' in input) {
      found = await provider.findByCode(input.code.trim());
    } else {
      key = personKey(this.secret, input.idNumber);
      const list = await provider.findByIdHash(key, day);
      // Prefer a booking whose check-in window is open now, else the nearest one (for a precise error).
      const { earlyMinutes, lateMinutes } = this.config.appointments;
      found =
        list.find((a) => now >= a.slotStart - earlyMinutes * MINUTE && now <= a.slotStart + lateMinutes * MINUTE) ??
        [...list].sort((a, b) => Math.abs(a.slotStart - now) - Math.abs(b.slotStart - now))[0] ??
        null;
    }
    if (!found) throw new HostError('QUEUE_APPOINTMENT_UNKNOWN', 'no appointment found');
    const a = found;
    const ref = `${provider.name}:${a.ref}`;
    const { earlyMinutes, lateMinutes } = this.config.appointments;
    const opensAt = a.slotStart - earlyMinutes * MINUTE;
    const closesAt = a.slotStart + lateMinutes * MINUTE;
    const c = this.category(a.categoryId);
    return this.write((out) => {
      const existing = this.db.prepare('SELECT * FROM queue_tickets WHERE appointment_ref = ?').get(ref) as TicketRow | undefined;
      if (existing) {
        const ci = this.db.prepare('SELECT offset_seconds FROM appointment_checkins WHERE appointment_ref = ?').get(ref) as { offset_seconds: number };
        return this.checkInResult(existing, a, ref, ci.offset_seconds, true, now);
      }
      if (now < opensAt) {
        throw new HostError('QUEUE_APPOINTMENT_TOO_EARLY', 'check-in is not open yet', { detail: { opensAt: new Date(opensAt).toISOString() } });
      }
      if (now > closesAt) {
        throw new HostError('QUEUE_APPOINTMENT_TOO_LATE', 'the check-in window has closed', { detail: { closedAt: new Date(closesAt).toISOString() } });
      }
      const closed = this.closedReason(c, now, true);
      if (closed) throw new HostError('QUEUE_CLOSED', `category ${c.id} is closed now (${closed})`, { detail: { reason: closed } });
      const row = this.insertTicket({
        c, day, now, reason: 'appointment', key: a.personKey ?? key, source: 'kiosk', deviceId: `appointment:${provider.name}`,
        requestId: null, appointmentRef: ref, quota: 999,
      });
      const offsetSeconds = Math.round((now - a.slotStart) / 1000);
      this.db
        .prepare(
          `INSERT INTO appointment_checkins (appointment_ref, ticket_id, category_id, day, slot_start, checked_in_at, offset_seconds)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(ref, row.id, c.id, day, a.slotStart, now, offsetSeconds);
      this.event(row, 'issued', now, { source: 'appointment' });
      this.event(row, 'checked_in', now, { offsetSeconds });
      this.changed(out, now, c.id);
      return this.checkInResult(row, a, ref, offsetSeconds, false, now);
    });
  }

  private checkInResult(row: TicketRow, a: AppointmentRecord, ref: string, offsetSeconds: number, again: boolean, now: number): CheckInResult {
    return {
      ...this.issuedView(row, now),
      appointment: { ref, slotStart: new Date(a.slotStart).toISOString(), offsetMinutes: Math.round(offsetSeconds / 60), alreadyCheckedIn: again },
    };
  }

  // ---------------------------------------------------------------- ratings

  /** 好差评: one rating per served ticket; levels 2 and 1 need a reason and are flagged for follow-up. */
  rate(input: RateInput): RatingView {
    if (!Number.isInteger(input.level) || input.level < 1 || input.level > 5) {
      throw new HostError('BAD_REQUEST', 'level must be an integer 1..5');
    }
    const now = this.clock.now().getTime();
    return this.write(() => {
      let row: TicketRow | undefined;
      if (input.ticketId !== undefined) row = this.ticketById(input.ticketId);
      else if (input.ticketToken !== undefined) {
        row = this.db.prepare('SELECT * FROM queue_tickets WHERE token = ?').get(input.ticketToken.replace(/^HKT:/, '')) as TicketRow | undefined;
      } else throw new HostError('BAD_REQUEST', 'give ticketId or ticketToken');
      if (!row) throw new HostError('QUEUE_TICKET_UNKNOWN', 'no ticket with this token');
      if (row.status !== 'serving' && row.status !== 'done') {
        throw new HostError('QUEUE_INVALID_STATE', `ticket ${row.id} has not been served`, { detail: { status: row.status } });
      }
      if (this.db.prepare('SELECT 1 FROM queue_ratings WHERE ticket_id = ?').get(row.id)) {
        throw new HostError('QUEUE_ALREADY_RATED', `ticket ${row.id} is already rated`);
      }
      const reason = input.reason?.trim() || null;
      const followUp = input.level <= 2;
      if (followUp && !reason) throw new HostError('QUEUE_REASON_REQUIRED', '不满意/非常不满意 needs a reason');
      if (reason && reason.length > 500) throw new HostError('BAD_REQUEST', 'reason is longer than 500 characters');
      this.db
        .prepare('INSERT INTO queue_ratings (ticket_id, at, level, reason, follow_up) VALUES (?, ?, ?, ?, ?)')
        .run(row.id, now, input.level, reason, followUp ? 1 : 0);
      this.event(row, 'rated', now, { level: input.level, followUp });
      return { ticketId: row.id, level: input.level, reason, followUp, at: new Date(now).toISOString() };
    });
  }

  // ---------------------------------------------------------------- retention

  /**
   * Removes person keys (and QR tokens and request ids) of tickets and local appointments whose service day is
   * `retentionDays` or more days old. Events, ratings and check-in punctuality stay for statistics. Runs with
   * secure_delete and checkpoints the WAL so the removed keys do not linger in free pages or the log.
   */
  purge(at: Date = this.clock.now()): { tickets: number; appointments: number } {
    const cutoff = this.hallTime.dayBefore(at, this.config.retentionDays);
    const previous = this.db.pragma('secure_delete', { simple: true }) as number;
    this.db.pragma('secure_delete = ON');
    try {
      const result = this.write(() => {
        const t = this.db
          .prepare(
            `UPDATE queue_tickets SET person_key = NULL, token = NULL, request_id = NULL
             WHERE day <= ? AND (person_key IS NOT NULL OR token IS NOT NULL OR request_id IS NOT NULL)`,
          )
          .run(cutoff).changes;
        const a = this.db.prepare('UPDATE appointments SET person_key = NULL WHERE day <= ? AND person_key IS NOT NULL').run(cutoff).changes;
        return { tickets: t, appointments: a };
      });
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.logger.info({ ...result, cutoff }, 'queue person keys purged');
      return result;
    } finally {
      this.db.pragma(`secure_delete = ${previous ? 'ON' : 'OFF'}`);
    }
  }

  // ---------------------------------------------------------------- views

  snapshot(): QueueSnapshot {
    const now = this.clock.now().getTime();
    const day = this.hallTime.day(now);
    const categories = this.config.categories.map((c): CategorySnapshot => {
      const w = this.db
        .prepare(
          `SELECT count(*) AS waiting,
             coalesce(sum(priority_reason IS NOT NULL), 0) AS priority,
             coalesce(sum(queue_at > @now), 0) AS deferred,
             min(issued_at) AS oldest
           FROM queue_tickets WHERE day = @day AND category_id = @cat AND status = 'waiting'`,
        )
        .get({ now, day, cat: c.id }) as { waiting: number; priority: number; deferred: number; oldest: number | null };
      const issued = (
        this.db.prepare('SELECT last_number AS n FROM queue_sequences WHERE day = ? AND category_id = ?').get(day, c.id) as { n: number } | undefined
      )?.n ?? 0;
      const walkIns = (
        this.db.prepare(`SELECT count(*) AS n FROM queue_tickets WHERE day = ? AND issued_category_id = ? AND appointment_ref IS NULL`).get(day, c.id) as { n: number }
      ).n;
      return {
        id: c.id,
        prefix: c.prefix,
        name: c.name,
        open: this.closedReason(c, now, false) === null,
        waiting: w.waiting,
        priorityWaiting: w.priority,
        deferred: w.deferred,
        longestWaitMinutes: w.oldest === null ? 0 : Math.max(0, Math.floor((now - w.oldest) / MINUTE)),
        estimatedWaitMinutes: this.estimateMinutes(c, w.waiting - w.deferred, now),
        openCounters: this.openCounters(c, now),
        issuedToday: issued,
        quotaLeft: Math.max(0, c.dailyQuota - walkIns),
      };
    });
    const counterRows = new Map(
      (this.db.prepare('SELECT * FROM queue_counters').all() as { window_no: string; state: CounterState; category_ids: string }[]).map((r) => [r.window_no, r]),
    );
    const counters = this.windows.map((window): CounterSnapshot => {
      const r = counterRows.get(window);
      const t = this.db
        .prepare(`SELECT * FROM queue_tickets WHERE window_no = ? AND status IN ('called', 'serving')`)
        .get(window) as TicketRow | undefined;
      return {
        window,
        state: r?.state ?? 'closed',
        categoryIds: r ? (JSON.parse(r.category_ids) as string[]) : this.config.categories.filter((c) => c.windows.includes(window)).map((c) => c.id),
        current: t
          ? {
              ticketId: t.id,
              number: formatTicketNumber(t.prefix, t.number),
              status: t.status as 'called' | 'serving',
              since: new Date((t.status === 'serving' ? t.started_at : t.called_at) ?? t.issued_at).toISOString(),
            }
          : null,
      };
    });
    const recentCalls = (
      this.db
        .prepare(
          `SELECT e.ticket_id, e.at, e.type, e.window_no, e.category_id, t.prefix, t.number FROM ticket_events e
           JOIN queue_tickets t ON t.id = e.ticket_id
           WHERE e.day = ? AND e.type IN ('called', 'recalled') ORDER BY e.id DESC LIMIT 10`,
        )
        .all(day) as { ticket_id: number; at: number; type: string; window_no: string; category_id: string; prefix: string; number: number }[]
    ).map((e) => ({
      ticketId: e.ticket_id,
      number: formatTicketNumber(e.prefix, e.number),
      window: e.window_no,
      categoryId: e.category_id,
      at: new Date(e.at).toISOString(),
      recall: e.type === 'recalled',
    }));
    return { at: new Date(now).toISOString(), day, categories, counters, recentCalls };
  }

  stats(range: { from: Date; to: Date }): QueueStats {
    return computeQueueStats(this.db, this.hallTime, range);
  }
}
