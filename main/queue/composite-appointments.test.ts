import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../storage/database.js';
import { migrations } from '../storage/migrations/index.js';
import { JsonFileAppointmentProvider, SqliteAppointmentProvider } from './appointments.js';
import { CompositeAppointmentProvider } from './composite-appointments.js';
import { personKey } from './person-key.js';

const secret = Buffer.alloc(32, 3);

describe('CompositeAppointmentProvider', () => {
  it('finds a code in any source and keeps the sources’ booking refs apart', async () => {
    const db = new Database(':memory:');
    migrate(db, migrations);
    const local = new SqliteAppointmentProvider(db, secret);
    const rec = local.add({ code: 'AP-LOCAL-0001', categoryId: 'general', slotStart: new Date('2026-11-23T02:00:00Z') });
    const json = new JsonFileAppointmentProvider({ secret });
    json.loadText(JSON.stringify({ appointments: [{ ref: rec.ref, code: 'YY-JSON-0001', categoryId: 'general', start: '2026-11-23T10:30:00+08:00', idNumber: '440104199003070017' }] }));
    const both = new CompositeAppointmentProvider([local, json]);

    const a = await both.findByCode('AP-LOCAL-0001');
    const b = await both.findByCode('YY-JSON-0001');
    expect(a?.ref).toBe(`local:${rec.ref}`);
    expect(b?.ref).toBe(`json:${rec.ref}`); // same booking number in two systems, two distinct check-in keys
    expect(await both.findByCode('NOPE-0000')).toBeNull();

    const mine = await both.findByIdHash(personKey(secret, '440104199003070017'), '2026-11-23');
    expect(mine.map((r) => r.code)).toEqual(['YY-JSON-0001']);
  });
});
