import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startVirtualPrinterServer, type VirtualPrinterServer } from '../../drivers/escpos/simulator.js';
import { IdCardReaderSimulator } from '../../drivers/id-card/simulator.js';
import { createPtyPair, type PtyPair } from '../../drivers/testing/socat.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import { KioskServices, type Health } from './kiosk-services.js';

/**
 * /healthz tells what is really in use: a real reader on a serial port and a real printer on TCP are used as
 * configured (never swapped for simulators because another device is simulated), a device that never answered is
 * never `ok`, and once a device answers its link shows bytes both ways and the time of the last good exchange.
 */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(what: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!what()) {
    if (Date.now() - t0 > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('device health over real transports', () => {
  let services: KioskServices | undefined;
  let pty: PtyPair | undefined;
  let reader: IdCardReaderSimulator | undefined;
  let printerServer: VirtualPrinterServer | undefined;
  let dir = '';

  afterEach(async () => {
    await services?.stop();
    await reader?.stop();
    await printerServer?.close();
    await pty?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports a silent reader and a closed printer port as not ready, then ok with byte counts once they answer', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-health-'));
    pty = await createPtyPair();
    const port = await closedPort();
    const config = loadConfigFile(defaultConfigPath());
    config.demo = false;
    config.devices.idCard = { transport: 'serial', path: pty.hostPath, baudRate: 115200, pollIntervalMs: 300, usb: undefined };
    config.devices.receiptPrinter = { transport: 'tcp', host: '127.0.0.1', port, profile: '80mm' };
    // The LED strip stays simulated: that must not turn the reader or the printer into simulators.
    services = await KioskServices.start({ config, configPath: defaultConfigPath(), dataDir: dir, simulate: false, hostKind: 'browser' });
    const dev = (h: Health, id: string) => h.devices.find((d) => d.id === id)!;

    await until(() => dev(services!.health(), 'receiptPrinter').state === 'offline' && dev(services!.health(), 'idCard').lastError !== undefined, 15_000);
    let h = services.health();
    expect(h.mode).toBe('installation');
    expect(h.status).toBe('degraded');
    expect(dev(h, 'receiptPrinter')).toMatchObject({ simulated: false, state: 'offline', link: { kind: 'tcp', address: `127.0.0.1:${port}`, open: false, bytesIn: 0, lastGoodAt: null } });
    expect(dev(h, 'receiptPrinter').lastError?.code).toMatch(/^TRANSPORT_/);
    const silent = dev(h, 'idCard');
    expect(silent.simulated).toBe(false);
    expect(silent.state).not.toBe('ok');
    expect(silent.link).toMatchObject({ kind: 'serial', bytesIn: 0, lastGoodAt: null });
    expect(silent.link!.address).toContain(pty.hostPath);
    expect(silent.link!.bytesOut).toBeGreaterThan(0); // it asked; nobody answered
    expect(dev(h, 'callDisplay')).toMatchObject({ simulated: true });

    // Now the devices answer: the reader simulator on the far end of the pty, a virtual printer on the TCP port.
    reader = new IdCardReaderSimulator(new SerialTransport({ path: pty.devicePath, baudRate: 115200 }));
    await reader.start();
    printerServer = await startVirtualPrinterServer({ port, host: '127.0.0.1' });
    await until(() => dev(services!.health(), 'idCard').state === 'ok' && dev(services!.health(), 'receiptPrinter').state === 'ok', 40_000);
    h = services.health();
    for (const id of ['idCard', 'receiptPrinter']) {
      const link = dev(h, id).link!;
      expect(link.open).toBe(true);
      expect(link.bytesIn).toBeGreaterThan(0);
      expect(link.bytesOut).toBeGreaterThan(0);
      expect(link.lastGoodAt).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(dev(h, 'receiptPrinter').transport).toBe(`tcp:127.0.0.1:${port}`);
  }, 90_000);
});
