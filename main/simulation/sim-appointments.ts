import { sampleIdentity } from '../../drivers/id-card/sample-identities.js';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { SqliteAppointmentProvider } from '../queue/appointments.js';
import { HallTime } from '../queue/hall-time.js';
import type { Db } from '../storage/database.js';

/** Codes of the simulator's bookings for a day: `AP-YYYYMMDD-000n`. */
export function sampleAppointmentCodes(day: string): { code: string; label: string }[] {
  const d = day.replaceAll('-', '');
  return [
    { code: `AP-${d}-0001`, label: 'booking due now (code)' },
    { code: `AP-${d}-0002`, label: 'booking due now (elderly sample card)' },
    { code: `AP-${d}-0003`, label: 'booking in 3 h (too early)' },
  ];
}

/**
 * Simulation mode only: three bookings for today in the kiosk's local appointment table, so a person trying the
 * kiosk can check in by scanning a code or by placing the elderly sample card. Idempotent per day.
 */
export function seedSampleAppointments(local: SqliteAppointmentProvider, db: Db, config: KioskConfig, now: Date): { code: string; label: string }[] {
  const day = new HallTime(config.hall.utcOffset).day(now.getTime());
  const codes = sampleAppointmentCodes(day);
  const exists = db.prepare('SELECT 1 FROM appointments WHERE code = ?').get(codes[0]!.code);
  if (exists) return codes;
  const category = config.queue.categories[0]!.id;
  const soon = new Date(Math.ceil(now.getTime() / 600_000) * 600_000 + 600_000);
  const elderly = sampleIdentity('gz-resident-elderly').card;
  local.add({ code: codes[0]!.code, categoryId: category, slotStart: soon }, now);
  local.add({ code: codes[1]!.code, categoryId: category, slotStart: soon, idNumber: 'idNumber' in elderly ? elderly.idNumber : undefined }, now);
  local.add({ code: codes[2]!.code, categoryId: category, slotStart: new Date(soon.getTime() + 3 * 3600_000) }, now);
  return codes;
}
