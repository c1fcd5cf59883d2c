import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import type { SerialPortListing } from './supervisor.js';

/**
 * Serial port listing that works on a machine without udev. serialport's `list()` on Linux spawns `udevadm`; a
 * fresh Debian install (or a container) has none and the listing fails with `spawn udevadm ENOENT`. The kernel
 * says the same through sysfs, which is always there:
 *
 * - `/sys/class/tty/<name>/device` exists only for ttys backed by hardware (virtual consoles and ptys have none);
 *   a legacy 8250 slot with no UART behind it has `type` 0 (PORT_UNKNOWN) and is skipped.
 * - USB ids: walking up from the resolved `device` link to the first directory with `idVendor` (the USB device,
 *   above the interface `1-1:1.0`) gives `idVendor`, `idProduct`, `serial` and `manufacturer`.
 * - `/dev/serial/by-id/*` (made by udev rules, when present) adds ports sysfs did not show.
 */

export interface SysfsListOptions {
  /** Root of sysfs; default `/sys` (tests point it at a fake tree). */
  sysRoot?: string;
  /** Root of /dev; default `/dev`. */
  devRoot?: string;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EACCES') return undefined;
    throw e;
  }
}

/** The USB device directory above a tty's device (the first ancestor with `idVendor`), at most 4 levels up. */
function usbDeviceDir(deviceDir: string): string | undefined {
  let dir = deviceDir;
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'idVendor'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

export function listSerialPortsSysfs(options: SysfsListOptions = {}): SerialPortListing[] {
  const sys = options.sysRoot ?? '/sys';
  const dev = options.devRoot ?? '/dev';
  const classDir = path.join(sys, 'class', 'tty');
  const out = new Map<string, SerialPortListing>();
  const names = existsSync(classDir) ? readdirSync(classDir) : [];
  for (const name of names) {
    const ttyDir = path.join(classDir, name);
    const deviceLink = path.join(ttyDir, 'device');
    if (!existsSync(deviceLink)) continue; // virtual console, pty, console: no hardware
    if (readText(path.join(ttyDir, 'type')) === '0') continue; // 8250 slot without a UART
    const listing: SerialPortListing = { path: path.join(dev, name) };
    const usb = usbDeviceDir(realpathSync(deviceLink));
    if (usb) {
      const vendorId = readText(path.join(usb, 'idVendor'));
      const productId = readText(path.join(usb, 'idProduct'));
      const serialNumber = readText(path.join(usb, 'serial'));
      const manufacturer = readText(path.join(usb, 'manufacturer'));
      if (vendorId) listing.vendorId = vendorId;
      if (productId) listing.productId = productId;
      if (serialNumber) listing.serialNumber = serialNumber;
      if (manufacturer) listing.manufacturer = manufacturer;
    }
    out.set(listing.path, listing);
  }
  const byId = path.join(dev, 'serial', 'by-id');
  if (existsSync(byId)) {
    for (const link of readdirSync(byId)) {
      const target = path.resolve(byId, readlinkSync(path.join(byId, link)));
      if (!out.has(target)) out.set(target, { path: target });
    }
  }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** True for the failure of serialport's Linux lister when `udevadm` is not installed. */
export function isUdevadmMissing(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; path?: unknown; spawnargs?: unknown };
  return err?.code === 'ENOENT' && (/udevadm/.test(String(err.message ?? '')) || err.path === 'udevadm');
}

export interface SerialListerOptions extends SysfsListOptions {
  /** The primary lister; default serialport's `SerialPort.list()`. */
  primary?: () => Promise<SerialPortListing[]>;
  /** Told on every listing that falls back (diag prints it; usbSerialFactory logs it on its `logger`, if given). */
  onFallback?: (reason: string) => void;
}

/**
 * The default serial port lister: serialport's own, and on Linux without `udevadm` the sysfs listing above.
 * Any other failure of the primary lister is not hidden: it is thrown as it came.
 */
export function createSerialLister(options: SerialListerOptions = {}): () => Promise<SerialPortListing[]> {
  const primary = options.primary ?? (() => SerialPort.list());
  return async () => {
    try {
      return await primary();
    } catch (e) {
      if (!isUdevadmMissing(e)) throw e;
      options.onFallback?.('udevadm is not installed; listed serial ports from /sys/class/tty and /dev/serial/by-id');
      return listSerialPortsSysfs(options);
    }
  };
}
