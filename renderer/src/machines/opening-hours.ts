import { formatHallDay, hallParts } from '../../../kiosk-config/hall-clock.js';
import type { PublicConfig } from '../../../main/contract/index.js';

/** Whether the hall is open at `now` (hall time) and, when it is not, when it opens next. */
export interface HallOpenState {
  open: boolean;
  /** The next opening after `now` within two weeks; null when open now or none is configured. */
  next: {
    /** Epoch ms of the opening. */
    at: number;
    /** 0 = later today, 1 = tomorrow, ... */
    inDays: number;
    /** Hall-local `YYYY-MM-DD` and `HH:MM` of the opening. */
    day: string;
    time: string;
    /** ISO weekday 1 (Monday) .. 7 (Sunday). */
    weekday: number;
  } | null;
}

/**
 * The hall's hours as configured (kiosk-config/schema.ts OpeningHoursSchema). `extraWorkdays` (调休上班) are worked
 * on Monday's hours, the rule the queue engine uses for ticket hours; optional until PublicConfig carries them.
 */
export type OpeningHours = Omit<PublicConfig['openingHours'], 'extraWorkdays'> & { extraWorkdays?: readonly string[] };

const DAY_MS = 86_400_000;
const LOOKAHEAD_DAYS = 14;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The hall's opening state from its configured weekly hours and closed dates, in hall time (`utcOffset`), so the
 * attract screen can say 本大厅现在不办公 and when it opens next. Pure: tests pass any instant.
 */
export function hallOpenState(hours: OpeningHours, utcOffset: string, now: number): HallOpenState {
  const p = hallParts(now, utcOffset);
  const nowMinute = p.hour * 60 + p.minute;
  const midnight = now - (nowMinute * 60 + p.second) * 1000 - (now % 1000);
  const periodsOn = (day: string, weekday: number) => {
    if (hours.holidays.includes(day)) return [];
    const asWeekday = hours.extraWorkdays?.includes(day) ? 1 : weekday;
    return hours.weekly.filter((w) => w.days.includes(asWeekday)).sort((a, b) => minutes(a.open) - minutes(b.open));
  };

  const today = formatHallDay(now, utcOffset);
  const open = periodsOn(today, p.weekday).some((w) => nowMinute >= minutes(w.open) && nowMinute < minutes(w.close));
  if (open) return { open: true, next: null };
  for (let d = 0; d <= LOOKAHEAD_DAYS; d++) {
    // Noon of day d: safely inside that hall-local day whatever the offset.
    const noon = midnight + d * DAY_MS + 12 * 3_600_000;
    const day = formatHallDay(noon, utcOffset);
    const weekday = hallParts(noon, utcOffset).weekday;
    const period = periodsOn(day, weekday).find((w) => d > 0 || minutes(w.open) > nowMinute);
    if (period) {
      return { open: false, next: { at: midnight + d * DAY_MS + minutes(period.open) * 60_000, inDays: d, day, time: period.open, weekday } };
    }
  }
  return { open: false, next: null };
}
