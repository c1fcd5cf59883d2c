import { afterEach, describe, expect, it } from 'vitest';
import { FakeHidModule } from '../testing/fake-hid.js';
import { HidTransport } from '../transport/hid.js';
import { memoryPair } from '../transport/memory.js';
import { IdCardReaderDriver } from './driver.js';
import { IdCardHidEnvelopeTransport, unwrapReport, wrapInReports } from './hid-envelope.js';
import { buildCommand } from './protocol.js';
import { samplePlacedCard } from './sample-identities.js';
import { IdCardReaderSimulator } from './simulator.js';

describe('HID envelope', () => {
  it('wraps a command in one 65-byte write: report ID, COUNT, frame, zero padding', () => {
    const reports = wrapInReports(buildCommand('findCard'));
    expect(reports.length).toBe(1);
    expect(reports[0]!.length).toBe(65);
    expect([...reports[0]!.subarray(0, 12)]).toEqual([0x00, 10, 0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22]);
    expect(reports[0]!.subarray(12).every((b) => b === 0)).toBe(true);
  });

  it('a 1295-byte answer takes 21 reports and round-trips', () => {
    const frame = Uint8Array.from({ length: 1295 }, (_, i) => (i * 13) & 0xff);
    const reports = wrapInReports(frame, { reportId: 0x02 });
    expect(reports.length).toBe(21);
    const back = reports.flatMap((r) => {
      const u = unwrapReport(r, { inputReportId: 0x02 });
      return u.ok ? [...u.bytes] : [];
    });
    expect(back).toEqual([...frame]);
  });

  it('idle, wrong ID, impossible COUNT, short reports', () => {
    expect(unwrapReport(new Uint8Array(64))).toEqual({ ok: true, bytes: new Uint8Array(0) });
    expect(unwrapReport(Uint8Array.of(0x03, 1, 0xaa), { inputReportId: 0x02 })).toEqual({ ok: false, reason: 'report-id' });
    expect(unwrapReport(Uint8Array.of(64, ...new Uint8Array(63)))).toEqual({ ok: false, reason: 'count' });
    expect(unwrapReport(Uint8Array.of(10, 1, 2))).toEqual({ ok: false, reason: 'short' });
  });
});

describe('IdCardReaderDriver over HidTransport (fake node-hid) with the envelope', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('reads a card unchanged, and reports an unplug as disconnected', async () => {
    const hid = new FakeHidModule();
    const dev = hid.plug({ vendorId: 0x0400, productId: 0xc35a, path: '/dev/hidraw-idcard' });
    // reader firmware: unwraps output reports into the simulator, wraps its answers into 64-byte input reports
    const link = memoryPair('hid-firmware', 'sam');
    const sim = new IdCardReaderSimulator(link.device);
    await sim.start();
    await link.host.open();
    link.host.onData((chunk) => {
      for (const r of wrapInReports(chunk)) dev.sendInputReport(r.subarray(1));
    });
    const push = dev.written.push.bind(dev.written);
    dev.written.push = (...reports: Buffer[]) => {
      for (const r of reports) {
        const u = unwrapReport(r.subarray(1));
        if (u.ok) void link.host.write(u.bytes);
      }
      return push(...reports);
    };
    cleanup.push(() => sim.stop());

    const transport = new IdCardHidEnvelopeTransport(new HidTransport({ path: '/dev/hidraw-idcard', hid }));
    const driver = new IdCardReaderDriver({ transport });
    cleanup.push(() => driver.close());
    await driver.open();
    sim.placeCard(samplePlacedCard('foreigner-2023'));
    const id = await driver.readOnce({ timeoutMs: 3000 });
    expect(id).toMatchObject({ cardType: 'foreign-2023', nationality: 'GBR' });
    expect(dev.written.every((r) => r.length === 65)).toBe(true);
    expect(transport.discardedReports).toBe(0);

    const statuses: string[] = [];
    driver.on('status', (s, e) => statuses.push(`${s}:${e?.code}`));
    hid.unplug(dev);
    await new Promise((r) => setTimeout(r, 20));
    expect(statuses).toEqual(['disconnected:TRANSPORT_DISCONNECTED']);
  });
});
