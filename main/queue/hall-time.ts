import { utcOffsetMinutes } from '../../kiosk-config/hall-clock.js';
import { HostError } from '../errors.js';

/**
 * Local time of the hall at a fixed UTC offset (default +08:00), independent of the machine's TZ: service days,
 * weekdays and opening hours are computed here and nowhere else.
 */
export class HallTime {
  /** Offset east of UTC in minutes, e.g. 480 for +08:00. */
  readonly offsetMinutes: number;

  constructor(utcOffset = '+08:00') {
    // The offset is parsed by the one hall clock (kiosk-config/hall-clock.ts) that every displayed time uses.
    try {
      this.offsetMinutes = utcOffsetMinutes(utcOffset);
    } catch (e) {
      throw new HostError('CONFIG_INVALID', (e as Error).message, { cause: e });
    }
  }

  private shifted(at: Date | number): Date {
    const ms = typeof at === 'number' ? at : at.getTime();
    return new Date(ms + this.offsetMinutes * 60_000);
  }

  /** Local service day `YYYY-MM-DD`. */
  day(at: Date | number): string {
    return this.shifted(at).toISOString().slice(0, 10);
  }

  /** ISO weekday 1 (Monday) .. 7 (Sunday) of the local day. */
  weekday(at: Date | number): number {
    const d = this.shifted(at).getUTCDay();
    return d === 0 ? 7 : d;
  }

  /** Minutes after local midnight. */
  minuteOfDay(at: Date | number): number {
    const s = this.shifted(at);
    return s.getUTCHours() * 60 + s.getUTCMinutes();
  }

  /** Local hour 0..23. */
  hour(at: Date | number): number {
    return this.shifted(at).getUTCHours();
  }

  /** Epoch ms of local midnight starting `day`. */
  startOfDay(day: string): number {
    return Date.parse(`${day}T00:00:00Z`) - this.offsetMinutes * 60_000;
  }

  /** The local day `days` days before the day of `at`. */
  dayBefore(at: Date | number, days: number): string {
    const ms = typeof at === 'number' ? at : at.getTime();
    return this.day(ms - days * 86_400_000);
  }
}

/** Whole years between a `YYYY-MM-DD` birth date and a local `YYYY-MM-DD` day; null if the date is not valid. */
export function ageOn(birthDate: string, day: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!b || !d) return null;
  const check = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== birthDate) return null;
  let age = Number(d[1]) - Number(b[1]);
  if (Number(d[2]) * 100 + Number(d[3]) < Number(b[2]) * 100 + Number(b[3])) age -= 1;
  return age;
}
