import type { DevicesConfig } from '../../kiosk-config/devices.js';
import { CupsRawTransport } from '../../drivers/escpos/spooler.js';
import { DeviceFileTransport } from '../../drivers/transport/device-file.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import { usbSerialFactory } from '../../drivers/transport/supervisor.js';
import { TcpTransport } from '../../drivers/transport/tcp.js';
import type { Transport } from '../../drivers/transport/transport.js';
import type { DriverLogger } from '../../drivers/log.js';
import { HostError } from '../errors.js';
import { IdCardHidEnvelopeTransport } from '../../drivers/id-card/hid-envelope.js';
import { HidTransport } from '../../drivers/transport/hid.js';
import { HID_POS_USAGE, HID_POS_USAGE_PAGE } from '../../drivers/transport/discovery.js';

/** Transport factories for configured (real) devices. Simulated devices get theirs from main/simulation/. */
export type Factory = () => Transport | Promise<Transport>;

/** Serial by path, or (with `usb`) re-found by USB vendor/product/serial number on every (re)connection. */
function serialFactory(c: { path: string; baudRate: number; usb?: { vendorId: number; productId: number; serialNumber?: string | undefined } | undefined }, logger?: DriverLogger): Factory {
  const log = logger ? { logger } : {};
  if (!c.usb) return () => new SerialTransport({ path: c.path, baudRate: c.baudRate, ...log });
  const match = { vendorId: c.usb.vendorId, productId: c.usb.productId, ...(c.usb.serialNumber ? { serialNumber: c.usb.serialNumber } : {}) };
  return usbSerialFactory({ match, baudRate: c.baudRate, fallbackPath: c.path, ...log });
}

export function idCardTransportFactory(c: DevicesConfig['idCard'], logger?: DriverLogger): Factory {
  switch (c.transport) {
    case 'serial':
      return serialFactory(c, logger);
    case 'hid':
      // HID readers carry the same GA/T 467 frames in 64-byte reports (drivers/id-card/hid-envelope.ts).
      return () => new IdCardHidEnvelopeTransport(new HidTransport({ vendorId: c.vendorId, productId: c.productId }));
    case 'simulated':
      throw new HostError('INTERNAL', 'simulated reader has no real transport');
    default: {
      const never: never = c;
      throw new Error(`unknown transport ${JSON.stringify(never)}`);
    }
  }
}

export function scannerTransportFactory(c: DevicesConfig['scanner'], logger?: DriverLogger): Factory | undefined {
  switch (c.transport) {
    case 'serial':
      return serialFactory(c, logger);
    case 'hid-pos':
      // HID POS (usage page 0x8C, usage 0x02): one input report per chunk, parsed by the scanner driver's HID mode.
      return () => new HidTransport({ vendorId: c.vendorId, productId: c.productId, usagePage: HID_POS_USAGE_PAGE, usage: HID_POS_USAGE });
    case 'keyboard-wedge':
      return undefined; // the renderer reads keyboard-wedge scanners itself
    case 'simulated':
      throw new HostError('INTERNAL', 'simulated scanner has no real transport');
    default: {
      const never: never = c;
      throw new Error(`unknown transport ${JSON.stringify(never)}`);
    }
  }
}

export function printerTransportFactory(c: DevicesConfig['receiptPrinter'], logger?: DriverLogger): Factory {
  switch (c.transport) {
    case 'serial':
      return serialFactory(c, logger);
    case 'tcp':
      return () => new TcpTransport({ host: c.host, port: c.port });
    case 'device-file':
      return () => new DeviceFileTransport({ path: c.path });
    case 'spooler':
      return () => new CupsRawTransport({ queue: c.queue });
    case 'simulated':
      throw new HostError('INTERNAL', 'simulated printer has no real transport');
    default: {
      const never: never = c;
      throw new Error(`unknown transport ${JSON.stringify(never)}`);
    }
  }
}

export function describeTransport(c: { transport: string; path?: string; host?: string; port?: number; queue?: string; baudRate?: number }): string {
  switch (c.transport) {
    case 'serial':
      return `serial:${c.path}@${c.baudRate}`;
    case 'tcp':
      return `tcp://${c.host}:${c.port}`;
    case 'device-file':
      return `file:${c.path}`;
    case 'spooler':
      return `cups-raw:${c.queue}`;
    default:
      return c.transport;
  }
}
