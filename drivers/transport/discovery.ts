import { asDriverError } from '../errors.js';
import { loadNodeHid, type HidModule } from './hid.js';
import type { SerialPortListing } from './supervisor.js';
import { createSerialLister } from './sysfs-ports.js';

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  /** USB vendor id (absent for on-board UARTs and ptys). */
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
}

export interface HidDeviceSummary {
  vendorId: number;
  productId: number;
  usagePage?: number;
  usage?: number;
  product?: string;
  manufacturer?: string;
  path?: string;
  interface?: number;
}

/** HID usage page 0x8C usage 0x02: a bar code scanner in HID POS mode (protocols/scanners-and-displays.md). */
export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_USAGE = 0x02;

/**
 * Serial ports as the OS lists them; `list` is injectable (default: SerialPort.list() of the real bindings, falling
 * back to sysfs where `udevadm` is missing, see ./sysfs-ports.ts).
 */
export async function listSerialPorts(list: () => Promise<SerialPortListing[]> = createSerialLister()): Promise<SerialPortInfo[]> {
  let raw: SerialPortListing[];
  try {
    raw = await list();
  } catch (e) {
    throw asDriverError(e, 'TRANSPORT_OPEN_FAILED', `listing serial ports failed: ${(e as Error).message}`);
  }
  return raw
    .map((p) => {
      const info: SerialPortInfo = { path: p.path };
      if (p.manufacturer) info.manufacturer = p.manufacturer;
      const vid = parseHexId(p.vendorId);
      const pid = parseHexId(p.productId);
      if (vid !== undefined) info.vendorId = vid;
      if (pid !== undefined) info.productId = pid;
      if (p.serialNumber) info.serialNumber = p.serialNumber;
      return info;
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** HID interfaces (one entry per interface of a composite device); `hid` is injectable (default node-hid). */
export async function listHidDevices(hid?: HidModule): Promise<HidDeviceSummary[]> {
  let raw;
  try {
    raw = await (hid ?? (await loadNodeHid())).devicesAsync();
  } catch (e) {
    throw asDriverError(e, 'TRANSPORT_OPEN_FAILED', `listing HID devices failed: ${(e as Error).message}`);
  }
  return raw.map((d) => {
    const s: HidDeviceSummary = { vendorId: d.vendorId, productId: d.productId };
    if (d.usagePage !== undefined) s.usagePage = d.usagePage;
    if (d.usage !== undefined) s.usage = d.usage;
    if (d.product) s.product = d.product;
    if (d.manufacturer) s.manufacturer = d.manufacturer;
    if (d.path) s.path = d.path;
    if (d.interface !== undefined) s.interface = d.interface;
    return s;
  });
}

export function isHidPosScanner(d: Pick<HidDeviceSummary, 'usagePage' | 'usage'>): boolean {
  return d.usagePage === HID_POS_USAGE_PAGE && d.usage === HID_POS_USAGE;
}

/** `0c2e` → 0x0c2e; undefined or junk → undefined. */
export function parseHexId(v: string | undefined): number | undefined {
  if (!v || !/^(0x)?[0-9a-f]{1,4}$/i.test(v)) return undefined;
  return Number.parseInt(v.replace(/^0x/i, ''), 16);
}

/** 0x0c2e → `0c2e` */
export function formatHexId(n: number | undefined): string {
  return n === undefined ? '----' : n.toString(16).padStart(4, '0');
}
