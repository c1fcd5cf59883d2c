import type { AppointmentProvider, AppointmentRecord } from './appointments.js';

/**
 * Several appointment sources behind one provider: the kiosk's own SQLite bookings, an imported JSON file, and
 * later an online platform. A code is looked up in order; bookings by ID are collected from all of them. Refs are
 * prefixed with the source's name so two sources' booking numbers never collide in the check-in records.
 */
export class CompositeAppointmentProvider implements AppointmentProvider {
  readonly name = 'composite';

  constructor(private readonly providers: readonly AppointmentProvider[]) {}

  async findByCode(code: string): Promise<AppointmentRecord | null> {
    for (const p of this.providers) {
      const r = await p.findByCode(code);
      if (r) return { ...r, ref: `${p.name}:${r.ref}` };
    }
    return null;
  }

  async findByIdHash(hash: string, day: string): Promise<AppointmentRecord[]> {
    const all = await Promise.all(this.providers.map(async (p) => (await p.findByIdHash(hash, day)).map((r) => ({ ...r, ref: `${p.name}:${r.ref}` }))));
    return all.flat();
  }
}
