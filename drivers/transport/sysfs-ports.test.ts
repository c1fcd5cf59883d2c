import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSerialPorts } from './discovery.js';
import { createSerialLister, isUdevadmMissing, listSerialPortsSysfs } from './sysfs-ports.js';

/**
 * A fake sysfs laid out as the kernel does it: /sys/class/tty/<name> are links into /sys/devices; a USB serial
 * adapter's tty sits below its interface (1-1:1.0), whose parent (1-1) holds idVendor/idProduct/serial.
 */
function fakeSys(root: string): void {
  const w = (p: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), `${text}\n`);
  };
  const link = (target: string, at: string) => {
    mkdirSync(path.dirname(path.join(root, at)), { recursive: true });
    symlinkSync(path.join(root, target), path.join(root, at));
  };
  // USB CDC-ACM scanner: /sys/devices/pci0000:00/usb1/1-1/1-1:1.0/tty/ttyACM0
  const usb = 'sys/devices/pci0000:00/usb1/1-1';
  w(`${usb}/idVendor`, '0c2e');
  w(`${usb}/idProduct`, '0b61');
  w(`${usb}/serial`, 'SN0001');
  w(`${usb}/manufacturer`, 'Honeywell');
  mkdirSync(path.join(root, usb, '1-1:1.0/tty/ttyACM0'), { recursive: true });
  link(`${usb}/1-1:1.0`, `${usb}/1-1:1.0/tty/ttyACM0/device`);
  link(`${usb}/1-1:1.0/tty/ttyACM0`, 'sys/class/tty/ttyACM0');
  // on-board UART with hardware (type 4 = 16550A) and an empty 8250 slot (type 0)
  for (const [name, type] of [['ttyS0', '4'], ['ttyS1', '0']] as const) {
    const d = `sys/devices/platform/serial8250/tty/${name}`;
    w(`${d}/type`, type);
    link('sys/devices/platform/serial8250', `${d}/device`);
    link(d, `sys/class/tty/${name}`);
  }
  // a virtual console: no device link
  mkdirSync(path.join(root, 'sys/devices/virtual/tty/tty1'), { recursive: true });
  link('sys/devices/virtual/tty/tty1', 'sys/class/tty/tty1');
  // udev's by-id link to a port sysfs does not list (e.g. sysfs partly hidden in a container)
  mkdirSync(path.join(root, 'dev/serial/by-id'), { recursive: true });
  symlinkSync('../../ttyUSB3', path.join(root, 'dev/serial/by-id/usb-FTDI_FT232R_A1B2-if00-port0'));
}

describe('serial port listing without udevadm', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'sysfs-'));
    fakeSys(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const opts = () => ({ sysRoot: path.join(root, 'sys'), devRoot: path.join(root, 'dev') });

  it('lists hardware ttys from /sys/class/tty with USB ids, skips virtual ttys and empty 8250 slots, adds by-id', () => {
    const dev = path.join(root, 'dev');
    expect(listSerialPortsSysfs(opts())).toEqual([
      { path: `${dev}/ttyACM0`, vendorId: '0c2e', productId: '0b61', serialNumber: 'SN0001', manufacturer: 'Honeywell' },
      { path: `${dev}/ttyS0` },
      { path: `${dev}/ttyUSB3` },
    ]);
  });

  it('falls back to sysfs only when serialport fails for a missing udevadm', async () => {
    const enoent = Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT', path: 'udevadm', syscall: 'spawn udevadm' });
    const reasons: string[] = [];
    const lister = createSerialLister({ ...opts(), primary: () => Promise.reject(enoent), onFallback: (r) => reasons.push(r) });
    const ports = await listSerialPorts(lister);
    expect(ports.map((p) => path.basename(p.path))).toEqual(['ttyACM0', 'ttyS0', 'ttyUSB3']);
    expect(ports[0]).toMatchObject({ vendorId: 0x0c2e, productId: 0x0b61, serialNumber: 'SN0001' });
    expect(reasons).toHaveLength(1);
    // any other failure is not hidden behind the fallback
    const other = createSerialLister({ ...opts(), primary: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })) });
    await expect(listSerialPorts(other)).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
    expect(isUdevadmMissing(enoent)).toBe(true);
  });

  it('the default lister works on this machine (with or without udevadm)', async () => {
    await expect(listSerialPorts()).resolves.toBeInstanceOf(Array);
  });
});
