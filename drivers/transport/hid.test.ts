import { describe, expect, it } from 'vitest';
import type { DriverError } from '../errors.js';
import { FakeHidModule } from '../testing/fake-hid.js';
import { HidTransport } from './hid.js';

const scannerIfaces = (hid: FakeHidModule) => {
  const keyboard = hid.plug({ vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw0', usagePage: 0x01, usage: 0x06, interface: 0 });
  const pos = hid.plug({ vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw1', usagePage: 0x8c, usage: 0x02, interface: 1 });
  return { keyboard, pos };
};

describe('HidTransport (fake node-hid)', () => {
  it('opens the interface matching vendor/product/usage page and preserves report boundaries', async () => {
    const hid = new FakeHidModule();
    const { pos } = scannerIfaces(hid);
    const t = new HidTransport({ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 0x02, hid });
    await t.open();
    expect(hid.opened).toEqual(['/dev/hidraw1']);
    const chunks: Buffer[] = [];
    t.onData((c) => chunks.push(c));
    const r1 = Buffer.alloc(64, 0x11);
    const r2 = Buffer.alloc(64, 0x22);
    pos.sendInputReport(r1);
    pos.sendInputReport(r2);
    await expect.poll(() => chunks.length).toBe(2);
    expect(chunks[0]!.equals(r1)).toBe(true);
    expect(chunks[1]!.equals(r2)).toBe(true);
    await t.close();
  });

  it('sends feature report 254 = [0x01] (Honeywell HID POS switch) and output reports', async () => {
    const hid = new FakeHidModule();
    const { pos } = scannerIfaces(hid);
    const t = new HidTransport({ path: '/dev/hidraw1', hid });
    await t.open();
    await t.sendFeatureReport(254, [0x01]);
    expect(pos.featureReports.map((b) => [...b])).toEqual([[0xfe, 0x01]]);
    await t.write(Uint8Array.of(0x00, 0x05));
    expect(pos.written.map((b) => [...b])).toEqual([[0x00, 0x05]]);
    await expect(t.sendFeatureReport(256, [])).rejects.toMatchObject({ code: 'TRANSPORT_WRITE_FAILED' });
    await t.close();
  });

  it('reports TRANSPORT_DISCONNECTED once on unplug and a plain close with undefined', async () => {
    const hid = new FakeHidModule();
    const { pos } = scannerIfaces(hid);
    const t = new HidTransport({ path: '/dev/hidraw1', hid });
    await t.open();
    const events: Array<DriverError | undefined> = [];
    t.onClose((e) => events.push(e));
    hid.unplug(pos);
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]?.code).toBe('TRANSPORT_DISCONNECTED');
    expect(t.isOpen).toBe(false);
    await expect(t.write(Uint8Array.of(0))).rejects.toMatchObject({ code: 'TRANSPORT_NOT_OPEN' });
    await t.close();
    expect(events).toHaveLength(1);

    const other = hid.plug({ vendorId: 1, productId: 2, path: '/dev/hidraw7' });
    const t2 = new HidTransport({ path: '/dev/hidraw7', hid });
    await t2.open();
    const ev2: Array<DriverError | undefined> = [];
    t2.onClose((e) => ev2.push(e));
    await t2.close();
    expect(ev2).toEqual([undefined]);
    expect(other.handle).toBeUndefined();
  });

  it('fails with TRANSPORT_OPEN_FAILED when no device matches or the path is gone', async () => {
    const hid = new FakeHidModule();
    scannerIfaces(hid);
    await expect(new HidTransport({ vendorId: 0x05e0, productId: 0x1200, hid }).open()).rejects.toMatchObject({
      code: 'TRANSPORT_OPEN_FAILED',
    });
    await expect(new HidTransport({ path: '/dev/hidraw9', hid }).open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
    await expect(new HidTransport({ hid }).open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
  });
});
