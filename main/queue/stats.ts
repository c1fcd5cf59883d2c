import { RATING_LEVELS } from '../../kiosk-config/queue.js';
import type { Db } from '../storage/database.js';
import type { HallTime } from './hall-time.js';
import type { DurationSummaryView, HallStatsView } from '../contract/staff.js';

/**
 * Hall statistics derived from `ticket_events` (plus ratings and check-ins), for the manager and the supervising
 * department. Measures are attributed to the time of the event that ends them (a wait to its first call, a service
 * to its finish or transfer), so a range [from, to) counts what happened in it.
 */
/** The statistics' shape is part of the contract (the manager console reads it), defined once there. */
export type DurationSummary = DurationSummaryView;
export type QueueStats = HallStatsView;

interface EventRow {
  ticket_id: number;
  at: number;
  type: string;
  category_id: string;
  window_no: string | null;
}

const MINUTE = 60_000;

export function summarize(values: number[]): DurationSummary {
  if (values.length === 0) return { n: 0, avgMinutes: null, p90Minutes: null };
  const sorted = [...values].sort((a, b) => a - b);
  const avg = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)]!;
  const round = (ms: number) => Math.round((ms / MINUTE) * 10) / 10;
  return { n: sorted.length, avgMinutes: round(avg), p90Minutes: round(p90) };
}

export function computeQueueStats(db: Db, hallTime: HallTime, range: { from: Date; to: Date }): QueueStats {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const inRange = (at: number) => at >= from && at < to;
  const events = db
    .prepare(
      `SELECT ticket_id, at, type, category_id, window_no FROM ticket_events
       WHERE ticket_id IN (SELECT DISTINCT ticket_id FROM ticket_events WHERE at >= ? AND at < ?)
       ORDER BY ticket_id, id`,
    )
    .all(from, to) as EventRow[];

  const perHour = Array.from({ length: 24 }, (_, hour) => ({ hour, issued: 0 }));
  type Cat = QueueStats['perCategory'][number] & { waits: number[]; services: number[] };
  type Ctr = { window: string; calls: number; served: number; services: number[] };
  const cats = new Map<string, Cat>();
  const ctrs = new Map<string, Ctr>();
  const cat = (id: string): Cat => {
    let c = cats.get(id);
    if (!c) {
      c = { categoryId: id, issued: 0, called: 0, served: 0, noShows: 0, transfers: 0, wait: summarize([]), service: summarize([]), waits: [], services: [] };
      cats.set(id, c);
    }
    return c;
  };
  const ctr = (w: string): Ctr => {
    let c = ctrs.get(w);
    if (!c) {
      c = { window: w, calls: 0, served: 0, services: [] };
      ctrs.set(w, c);
    }
    return c;
  };

  let firstCalls = 0;
  let noShows = 0;
  let i = 0;
  while (i < events.length) {
    const ticketId = events[i]!.ticket_id;
    let issuedAt: number | null = null;
    let calledOnce = false;
    let segment: { start: number; window: string } | null = null;
    for (; i < events.length && events[i]!.ticket_id === ticketId; i++) {
      const e = events[i]!;
      const type = e.type as 'issued' | 'called' | 'recalled' | 'no_show' | 'requeued' | 'transferred' | 'started' | 'finished' | 'rated' | 'checked_in';
      switch (type) {
        case 'issued':
          issuedAt = e.at;
          if (inRange(e.at)) {
            cat(e.category_id).issued++;
            perHour[hallTime.hour(e.at)]!.issued++;
          }
          break;
        case 'called':
          if (e.window_no) segment = { start: e.at, window: e.window_no };
          if (inRange(e.at)) {
            cat(e.category_id).called++;
            if (e.window_no) ctr(e.window_no).calls++;
            if (!calledOnce) {
              firstCalls++;
              if (issuedAt !== null) cat(e.category_id).waits.push(e.at - issuedAt);
            }
          }
          calledOnce = true;
          break;
        case 'started':
          if (e.window_no) segment = { start: e.at, window: e.window_no };
          break;
        case 'finished':
        case 'transferred':
          if (segment && inRange(e.at)) {
            cat(e.category_id).services.push(e.at - segment.start);
            ctr(segment.window).services.push(e.at - segment.start);
            if (type === 'finished') {
              cat(e.category_id).served++;
              ctr(segment.window).served++;
            } else cat(e.category_id).transfers++;
          }
          segment = null;
          break;
        case 'no_show':
          if (inRange(e.at)) {
            noShows++;
            cat(e.category_id).noShows++;
          }
          segment = null;
          break;
        case 'recalled':
        case 'requeued':
        case 'rated':
        case 'checked_in':
          break;
        default: {
          const never: never = type;
          throw new Error(`unhandled ticket event ${String(never)}`);
        }
      }
    }
  }

  const checkins = db
    .prepare('SELECT offset_seconds FROM appointment_checkins WHERE checked_in_at >= ? AND checked_in_at < ?')
    .all(from, to) as { offset_seconds: number }[];
  const ratings = db
    .prepare(
      `SELECT r.ticket_id, r.level, r.reason, r.at, t.prefix, t.number, t.window_no FROM queue_ratings r
       JOIN queue_tickets t ON t.id = r.ticket_id WHERE r.at >= ? AND r.at < ? ORDER BY r.at`,
    )
    .all(from, to) as { ticket_id: number; level: number; reason: string | null; at: number; prefix: string; number: number; window_no: string | null }[];

  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    ticketsPerHour: perHour,
    perCategory: [...cats.values()].map(({ waits, services, ...c }) => ({ ...c, wait: summarize(waits), service: summarize(services) })),
    perCounter: [...ctrs.values()].map(({ services, ...c }) => ({ ...c, service: summarize(services) })),
    noShowRate: firstCalls === 0 ? null : Math.round((noShows / firstCalls) * 1000) / 1000,
    appointments: {
      checkedIn: checkins.length,
      early: checkins.filter((c) => c.offset_seconds < -300).length,
      onTime: checkins.filter((c) => Math.abs(c.offset_seconds) <= 300).length,
      late: checkins.filter((c) => c.offset_seconds > 300).length,
      avgOffsetMinutes:
        checkins.length === 0 ? null : Math.round((checkins.reduce((s, c) => s + c.offset_seconds, 0) / checkins.length / 60) * 10) / 10,
    },
    ratings: {
      count: ratings.length,
      distribution: RATING_LEVELS.map((l) => ({ level: l.level, label: l['zh-CN'], count: ratings.filter((r) => r.level === l.level).length })),
      satisfactionRate: ratings.length === 0 ? null : Math.round((ratings.filter((r) => r.level >= 3).length / ratings.length) * 1000) / 1000,
      bad: ratings
        .filter((r) => r.level <= 2)
        .map((r) => ({
          ticketId: r.ticket_id,
          number: `${r.prefix}${String(r.number).padStart(3, '0')}`,
          level: r.level,
          reason: r.reason ?? '',
          at: new Date(r.at).toISOString(),
          window: r.window_no,
        })),
    },
  };
}
