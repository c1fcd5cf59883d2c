import type { DevicesConfig } from '../../kiosk-config/devices.js';
import { CupsPrinter } from '../../drivers/a4/cups.js';
import { asDriverError, DriverError } from '../../drivers/errors.js';
import { IdCardReaderDriver } from '../../drivers/id-card/driver.js';
import { ReceiptPrinterDriver } from '../../drivers/escpos/driver.js';
import { PRINTER_PROFILES } from '../../drivers/escpos/profiles.js';
import { stateOf } from '../../drivers/escpos/status.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { DEVICE_IDS, type DeviceCheck, type DeviceId } from '../contract/index.js';
import type { Logger } from '../core/logger.js';
import { idCardTransportFactory, printerTransportFactory, scannerTransportFactory } from '../devices/transports.js';
import { HostError } from '../errors.js';

/**
 * "Test before save" for the technician's device-config editor: for every device whose section differs from the
 * running config, open the configured port and run the device's own status check, then close it again:
 *   ID card reader   open + SAM status (11 FF)          receipt printer  open + DLE EOT 1..4 (when readable)
 *   scanner          open the port (no status command)  LED strips       open the port
 *   A4 printer       lpstat: queue exists, enabled and accepting
 * Simulated devices and unchanged sections pass without being touched (an unchanged port is held by the running
 * driver; opening it twice would fail for the wrong reason).
 */
export type DeviceProbe = (device: DeviceId, devices: DevicesConfig) => Promise<{ ok: boolean; code?: string; message: string }>;

const PROBE_TIMEOUT_MS = 8000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DriverError('PROTOCOL_TIMEOUT', `${what}: no answer in ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

async function openAndClose(t: Transport): Promise<string> {
  await t.open();
  await t.close();
  return `${t.description} opened`;
}

export function createDeviceProbe(logger: Logger): DeviceProbe {
  return async (device, c) => {
    try {
      const message = await withTimeout(probeOne(device, c, logger), device);
      return { ok: true, message };
    } catch (e) {
      if (e instanceof HostError) return { ok: false, code: e.code, message: e.message };
      const err = asDriverError(e, 'TRANSPORT_OPEN_FAILED');
      return { ok: false, code: err.code, message: err.message };
    }
  };
}

async function probeOne(device: DeviceId, c: DevicesConfig, logger: Logger): Promise<string> {
  switch (device) {
    case 'idCard': {
      if (c.idCard.transport === 'simulated') return 'simulator';
      const driver = new IdCardReaderDriver({ transport: await idCardTransportFactory(c.idCard)(), baudRate: c.idCard.transport === 'serial' ? c.idCard.baudRate : 115200, logger });
      await driver.open(); // open() runs the SAM status check (11 FF) and fails with its code
      await driver.close();
      return 'SAM status OK';
    }
    case 'scanner': {
      if (c.scanner.transport === 'simulated') return 'simulator';
      const factory = scannerTransportFactory(c.scanner);
      if (!factory) return 'keyboard-wedge scanner: read by the page, nothing to open';
      return await openAndClose(await factory());
    }
    case 'receiptPrinter': {
      if (c.receiptPrinter.transport === 'simulated') return 'simulator';
      const transport = await printerTransportFactory(c.receiptPrinter)();
      const driver = new ReceiptPrinterDriver({ transport, profile: PRINTER_PROFILES[c.receiptPrinter.profile], logger });
      await driver.open();
      try {
        if (!transport.readable) return `${transport.description} opened (write-only link: no status read-back)`;
        const status = await driver.status();
        const state = stateOf(status);
        if (state === 'error' || state === 'offline') throw new DriverError('PRINTER_OFFLINE', `printer answered but reports ${state}`);
        return `printer status ${state}`;
      } finally {
        await driver.close();
      }
    }
    case 'callDisplay': {
      const strip = c.callDisplay.ledStrip;
      if (!strip || strip.transport === 'simulated') return 'web display page (no port)';
      if (!strip.path) throw new HostError('CONFIG_INVALID', 'devices.callDisplay.ledStrip.path is needed for a serial LED strip');
      return await openAndClose(new SerialTransport({ path: strip.path, baudRate: strip.baudRate }));
    }
    case 'a4Printer': {
      const cups = new CupsPrinter({ queue: c.a4Printer.queue, logger });
      const q = await cups.queueState(c.a4Printer.queue);
      if (!q.enabled || !q.accepting) throw new DriverError('PRINTER_OFFLINE', `CUPS queue ${q.name} is ${q.enabled ? 'not accepting jobs' : 'disabled'}`);
      return `CUPS queue ${q.name} enabled and accepting`;
    }
    default: {
      const never: never = device;
      throw new Error(`unknown device ${String(never)}`);
    }
  }
}

/** Which device sections differ between two device configs. */
export function changedDevices(before: DevicesConfig, after: DevicesConfig): DeviceId[] {
  return DEVICE_IDS.filter((id) => JSON.stringify(before[id]) !== JSON.stringify(after[id]));
}

export async function checkDevices(probe: DeviceProbe, running: DevicesConfig, next: DevicesConfig): Promise<DeviceCheck[]> {
  const changed = new Set(changedDevices(running, next));
  const out: DeviceCheck[] = [];
  for (const device of DEVICE_IDS) {
    if (!changed.has(device)) {
      out.push({ device, ok: true, changed: false, message: 'unchanged' });
      continue;
    }
    const r = await probe(device, next);
    out.push({ device, ok: r.ok, changed: true, message: r.message, ...(r.code ? { code: r.code } : {}) });
  }
  return out;
}
