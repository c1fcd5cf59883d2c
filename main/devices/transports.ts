import type { DevicesConfig } from '../../kiosk-config/devices.js';
import { CupsRawTransport } from '../../drivers/escpos/spooler.js';
import { DeviceFileTransport } from '../../drivers/transport/device-file.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import { TcpTransport } from '../../drivers/transport/tcp.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { HostError } from '../errors.js';

/** Transport factories for configured (real) devices. Simulated devices get theirs from main/simulation/. */
export function idCardTransportFactory(c: DevicesConfig['idCard']): () => Transport {
  switch (c.transport) {
    case 'serial':
      return () => new SerialTransport({ path: c.path, baudRate: c.baudRate });
    case 'hid':
      throw new HostError('NOT_AVAILABLE', 'HID ID card readers need the vendor envelope driver, not built into this release');
    case 'simulated':
      throw new HostError('INTERNAL', 'simulated reader has no real transport');
    default: {
      const never: never = c;
      throw new Error(`unknown transport ${JSON.stringify(never)}`);
    }
  }
}

export function scannerTransportFactory(c: DevicesConfig['scanner']): (() => Transport) | undefined {
  switch (c.transport) {
    case 'serial':
      return () => new SerialTransport({ path: c.path, baudRate: c.baudRate });
    case 'hid-pos':
      throw new HostError('NOT_AVAILABLE', 'HID POS scanners: configure the serial (CDC) mode; HID POS wiring is not in this release');
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

export function printerTransportFactory(c: DevicesConfig['receiptPrinter']): () => Transport {
  switch (c.transport) {
    case 'serial':
      return () => new SerialTransport({ path: c.path, baudRate: c.baudRate });
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
