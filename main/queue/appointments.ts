import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HostError } from '../errors.js';
import type { Db } from '../storage/database.js';
import { HallTime } from './hall-time.js';
import { personKey } from './person-key.js';

/**
 * Appointments (预约签到). The unified appointment system is the system of record; the kiosk only looks bookings up.
 * Providers hand out person keys (HMAC of the ID number), never plain ID numbers.
 */
export interface AppointmentRecord {
  /** Unique within the provider (booking number); the engine records check-ins by `<provider>:<ref>`. */
  ref: string;
  /** The code the citizen shows (预约码), 4-64 characters. */
  code: string;
  categoryId: string;
  /** Slot start and end, epoch ms. */
  slotStart: number;
  slotEnd: number | null;
  /** HMAC-SHA256(installation secret, ID number) in hex, or null when the booking has no ID. */
  personKey: string | null;
}

export interface AppointmentProvider {
  /** Short provider name, e.g. `json`, `local`. */
  readonly name: string;
  findByCode(code: string): Promise<AppointmentRecord | null>;
  /** Bookings of the person on the local service day `YYYY-MM-DD`. */
  findByIdHash(hash: string, day: string): Promise<AppointmentRecord[]>;
}

/** One booking in an exported JSON file. Either `idNumber` (hashed on load, then dropped) or `idHash`. */
const JsonAppointmentSchema = z
  .object({
    ref: z.string().min(1).max(64).optional(),
    code: z.string().min(4).max(64),
    categoryId: z.string().min(1),
    /** ISO 8601 with offset, e.g. `2025-03-03T10:00:00+08:00`. */
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }).optional(),
    idNumber: z.string().min(6).max(32).optional(),
    idHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .refine((a) => !(a.idNumber && a.idHash), { message: 'give idNumber or idHash, not both' });

const JsonFileSchema = z.object({ appointments: z.array(JsonAppointmentSchema) });

export interface JsonFileAppointmentProviderOptions {
  secret: Buffer;
  utcOffset?: string;
}

/**
 * Bookings imported from a JSON file exported by the appointment system: `{ "appointments": [...] }`. ID numbers
 * in the file are replaced by their HMAC on load; the provider keeps nothing else of the person. `load` may be
 * called again to pick up a new export.
 */
export class JsonFileAppointmentProvider implements AppointmentProvider {
  readonly name = 'json';
  private byCode = new Map<string, AppointmentRecord>();
  private readonly hallTime: HallTime;

  constructor(private readonly options: JsonFileAppointmentProviderOptions) {
    this.hallTime = new HallTime(options.utcOffset);
  }

  static fromFile(file: string, options: JsonFileAppointmentProviderOptions): JsonFileAppointmentProvider {
    const p = new JsonFileAppointmentProvider(options);
    p.loadFile(file);
    return p;
  }

  loadFile(file: string): number {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new HostError('CONFIG_UNREADABLE', `cannot read appointment file ${file}`, { cause: e });
    }
    return this.loadText(text, file);
  }

  /** Replaces the bookings with those of `text`; returns how many were loaded. */
  loadText(text: string, origin = 'appointments'): number {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new HostError('CONFIG_INVALID', `${origin} is not JSON`, { cause: e });
    }
    const parsed = JsonFileSchema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new HostError('CONFIG_INVALID', `${origin}: ${first?.path.join('.') ?? ''} ${first?.message ?? 'invalid'}`);
    }
    const next = new Map<string, AppointmentRecord>();
    for (const a of parsed.data.appointments) {
      const slotStart = Date.parse(a.start);
      next.set(a.code, {
        ref: a.ref ?? a.code,
        code: a.code,
        categoryId: a.categoryId,
        slotStart,
        slotEnd: a.end ? Date.parse(a.end) : null,
        personKey: a.idNumber ? personKey(this.options.secret, a.idNumber) : (a.idHash ?? null),
      });
    }
    this.byCode = next;
    return next.size;
  }

  async findByCode(code: string): Promise<AppointmentRecord | null> {
    return this.byCode.get(code) ?? null;
  }

  async findByIdHash(hash: string, day: string): Promise<AppointmentRecord[]> {
    return [...this.byCode.values()].filter((a) => a.personKey === hash && this.hallTime.day(a.slotStart) === day);
  }
}

export interface LocalAppointmentInput {
  code: string;
  categoryId: string;
  slotStart: Date;
  slotEnd?: Date;
  /** Plain ID number: hashed here, never stored. */
  idNumber?: string;
}

interface AppointmentRow {
  id: number;
  code: string;
  person_key: string | null;
  category_id: string;
  day: string;
  slot_start: number;
  slot_end: number | null;
}

/** Bookings kept in the kiosk's own SQLite (`appointments`, migration 0002), e.g. made at the counter by phone. */
export class SqliteAppointmentProvider implements AppointmentProvider {
  readonly name = 'local';
  private readonly hallTime: HallTime;

  constructor(
    private readonly db: Db,
    private readonly secret: Buffer,
    utcOffset = '+08:00',
  ) {
    this.hallTime = new HallTime(utcOffset);
  }

  add(input: LocalAppointmentInput, now = new Date()): AppointmentRecord {
    const slotStart = input.slotStart.getTime();
    const key = input.idNumber ? personKey(this.secret, input.idNumber) : null;
    try {
      const row = this.db
        .prepare(
          `INSERT INTO appointments (code, person_key, category_id, day, slot_start, slot_end, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(input.code, key, input.categoryId, this.hallTime.day(slotStart), slotStart, input.slotEnd?.getTime() ?? null, now.getTime()) as AppointmentRow;
      return toRecord(row);
    } catch (e) {
      throw new HostError('STORAGE_WRITE_FAILED', 'cannot store the appointment', { cause: e });
    }
  }

  async findByCode(code: string): Promise<AppointmentRecord | null> {
    const row = this.db.prepare('SELECT * FROM appointments WHERE code = ?').get(code) as AppointmentRow | undefined;
    return row ? toRecord(row) : null;
  }

  async findByIdHash(hash: string, day: string): Promise<AppointmentRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM appointments WHERE person_key = ? AND day = ? ORDER BY slot_start')
      .all(hash, day) as AppointmentRow[];
    return rows.map(toRecord);
  }
}

function toRecord(row: AppointmentRow): AppointmentRecord {
  return {
    ref: String(row.id),
    code: row.code,
    categoryId: row.category_id,
    slotStart: row.slot_start,
    slotEnd: row.slot_end,
    personKey: row.person_key,
  };
}
