import { describe, expect, it } from 'vitest';
import { FakeHidModule } from '../testing/fake-hid.js';
import { formatHexId, isHidPosScanner, listHidDevices, listSerialPorts, parseHexId } from './discovery.js';

describe('discovery', () => {
  it('normalises serialport listings (hex ids → numbers, sorted by path)', async () => {
    const ports = await listSerialPorts(async () => [
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyACM0', manufacturer: 'Honeywell', vendorId: '0c2e', productId: '0b61', serialNumber: '21123B4' },
    ]);
    expect(ports).toEqual([
      { path: '/dev/ttyACM0', manufacturer: 'Honeywell', vendorId: 0x0c2e, productId: 0x0b61, serialNumber: '21123B4' },
      { path: '/dev/ttyS0' },
    ]);
  });

  it('maps a lister failure to a coded error', async () => {
    await expect(listSerialPorts(async () => Promise.reject(new Error('udev down')))).rejects.toMatchObject({
      code: 'TRANSPORT_OPEN_FAILED',
    });
  });

  it('lists HID interfaces with usage page and flags HID POS scanners', async () => {
    const hid = new FakeHidModule();
    hid.plug({ vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw1', usagePage: 0x8c, usage: 0x02, product: 'Xenon 1900', interface: 1 });
    hid.plug({ vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw0', usagePage: 0x01, usage: 0x06 });
    const list = await listHidDevices(hid);
    expect(list).toHaveLength(2);
    expect(list[0]).toEqual({ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 0x02, product: 'Xenon 1900', path: '/dev/hidraw1', interface: 1 });
    expect(list.map(isHidPosScanner)).toEqual([true, false]);
  });

  it('parses and formats USB ids', () => {
    expect(parseHexId('0C2E')).toBe(0x0c2e);
    expect(parseHexId('0x1a86')).toBe(0x1a86);
    expect(parseHexId('zz')).toBeUndefined();
    expect(parseHexId(undefined)).toBeUndefined();
    expect(formatHexId(0x0c2e)).toBe('0c2e');
    expect(formatHexId(undefined)).toBe('----');
  });
});
