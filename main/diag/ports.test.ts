import { describe, expect, it } from 'vitest';
import { FakeHidModule } from '../../drivers/testing/fake-hid.js';
import type { DiagIo } from './command.js';
import { createPortsCommand } from './ports.js';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: DiagIo = { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal };
  return { io, out, err };
}

const hid = new FakeHidModule();
hid.plug({ vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw1', usagePage: 0x8c, usage: 0x02, product: 'Xenon' });
const listSerial = async () => [
  { path: '/dev/ttyACM0', manufacturer: 'Honeywell', vendorId: '0c2e', productId: '0b61', serialNumber: 'SN1' },
  { path: '/dev/ttyS0' },
];

describe('diag ports', () => {
  it('prints serial ports and HID devices with ids as JSON', async () => {
    const f = fakeIo();
    expect(await createPortsCommand({ hid, listSerial }).run(['--json'], f.io)).toBe(0);
    expect(JSON.parse(f.out[0]!)).toEqual({
      serial: [
        { path: '/dev/ttyACM0', manufacturer: 'Honeywell', vendorId: 0x0c2e, productId: 0x0b61, serialNumber: 'SN1' },
        { path: '/dev/ttyS0' },
      ],
      hid: [{ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 2, product: 'Xenon', path: '/dev/hidraw1', hidPos: true }],
    });
  });

  it('prints a human table', async () => {
    const f = fakeIo();
    expect(await createPortsCommand({ hid, listSerial }).run([], f.io)).toBe(0);
    expect(f.out).toEqual([
      'serial ports (2):',
      '  /dev/ttyACM0             0c2e:0b61  Honeywell, s/n SN1',
      '  /dev/ttyS0',
      'HID devices (1):',
      '  0c2e:0b61 usage 008c/0002  Xenon  [HID POS scanner]  /dev/hidraw1',
    ]);
  });

  it('runs against the real OS listings (real bindings and node-hid)', async () => {
    const f = fakeIo();
    expect(await createPortsCommand().run(['--json'], f.io)).toBe(0);
    const parsed = JSON.parse(f.out[0]!) as { serial: unknown[]; hid: unknown[] };
    expect(Array.isArray(parsed.serial) && Array.isArray(parsed.hid)).toBe(true);
  });

  it('exits 1 when listing fails and 2 on a usage error', async () => {
    const f = fakeIo();
    expect(await createPortsCommand({ hid, listSerial: async () => Promise.reject(new Error('boom')) }).run([], f.io)).toBe(1);
    expect(f.err[0]).toMatch(/TRANSPORT_OPEN_FAILED/);
    expect(await createPortsCommand({ hid, listSerial }).run(['--port', 'x'], f.io)).toBe(2);
  });
});
