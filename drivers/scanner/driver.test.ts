import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraceEntry } from '../log.js';
import { createPtyPair, type PtyPair } from '../testing/socat.js';
import { FakeHidModule, type FakeHidDevice } from '../testing/fake-hid.js';
import { HidTransport } from '../transport/hid.js';
import { SerialTransport } from '../transport/serial.js';
import type { Transport } from '../transport/transport.js';
import { ScannerDriver, type ScanEvent, type ScannerDriverOptions, type ScannerStatus } from './driver.js';
import { HidPosScannerSimulator, SerialScannerSimulator, type SerialScannerSimulatorOptions } from './simulator.js';

/**
 * Behavioural suite of the serial (USB CDC) scanner. By default the device is the simulator on the far end of a
 * socat pty pair and the host side uses the real serialport bindings. With KIOSK_TEST_PORT_SCANNER=/dev/ttyACM0
 * (optionally KIOSK_TEST_SCANNER_BAUD) the same suite opens the real scanner: the test that needs a scan waits for
 * a human to scan any code; tests that need specific payloads or faults are skipped with the reason.
 */
const REAL_PORT = process.env.KIOSK_TEST_PORT_SCANNER;
const HUMAN_WAIT_MS = 60_000;

interface Rig {
  host: Transport;
  /** undefined against real hardware */
  sim: SerialScannerSimulator | undefined;
  pair: PtyPair | undefined;
  close(): Promise<void>;
}

async function makeRig(simOptions: SerialScannerSimulatorOptions = {}): Promise<Rig> {
  if (REAL_PORT) {
    const host = new SerialTransport({ path: REAL_PORT, baudRate: Number(process.env.KIOSK_TEST_SCANNER_BAUD ?? 9600) });
    return { host, sim: undefined, pair: undefined, close: () => host.close() };
  }
  const pair = await createPtyPair();
  const host = new SerialTransport({ path: pair.hostPath, baudRate: 9600 });
  const device = new SerialTransport({ path: pair.devicePath, baudRate: 9600 });
  await device.open();
  return {
    host,
    sim: new SerialScannerSimulator(device, simOptions),
    pair,
    async close() {
      await host.close();
      await device.close();
      await pair.close();
    },
  };
}

function collect(driver: ScannerDriver) {
  const scans: ScanEvent[] = [];
  const statuses: ScannerStatus[] = [];
  driver.onScan((e) => scans.push(e));
  driver.onStatus((s) => statuses.push(s));
  return { scans, statuses };
}

describe(`ScannerDriver serial mode — ${REAL_PORT ? `real scanner on ${REAL_PORT}` : 'simulator over socat ptys, real bindings'}`, () => {
  let rig: Rig | undefined;
  let driver: ScannerDriver | undefined;
  const start = async (opts: Partial<ScannerDriverOptions> = {}, sim: SerialScannerSimulatorOptions = {}) => {
    rig = await makeRig(sim);
    driver = new ScannerDriver({ transport: rig.host, mode: 'serial', interByteTimeoutMs: 50, ...opts });
    await driver.open();
    return { rig, driver, ...collect(driver) };
  };
  afterEach(async () => {
    await driver?.close();
    await rig?.close();
    driver = undefined;
    rig = undefined;
  });
  const needsSim = (ctx: { skip: (note?: string) => void }) => {
    if (REAL_PORT) ctx.skip('needs the simulator (specific payloads or faults); KIOSK_TEST_PORT_SCANNER is set');
  };

  it('delivers a scan with payload, kind and time', { timeout: HUMAN_WAIT_MS + 5000 }, async () => {
    const { rig, driver } = await start();
    const before = Date.now();
    const next = driver.nextScan(REAL_PORT ? HUMAN_WAIT_MS : 3000);
    if (rig.sim) await rig.sim.scan('HKT:Ab12_cd-34');
    else console.info(`scan any code on ${REAL_PORT} within ${HUMAN_WAIT_MS / 1000} s`);
    const e = await next;
    expect(e.payload.length).toBeGreaterThan(0);
    expect(e.at).toBeGreaterThanOrEqual(before);
    expect(['appointment', 'ticket', 'url', 'unknown']).toContain(e.kind);
    if (rig.sim) expect(e).toMatchObject({ payload: 'HKT:Ab12_cd-34', kind: 'ticket', classification: { token: 'Ab12_cd-34' } });
    expect(driver.counters.scans).toBe(1);
  });

  it.for(['cr', 'lf', 'crlf'] as const)('frames codes with suffix %s, sent in 1-byte chunks with gaps', async (suffix, ctx) => {
    needsSim(ctx);
    // generous inter-byte time-out: on a loaded 2-core CI box a 1 ms sleep can take tens of ms; the time-out itself
    // is tested deterministically in framer.test.ts
    const { rig, scans } = await start({ interByteTimeoutMs: 1000 }, { suffix, chunkSize: 1, interChunkMs: 1 });
    await rig.sim!.scan('YY20240501-0031');
    await rig.sim!.scan('https://q.hall.example.cn/t/Zz9_8-7');
    await expect.poll(() => scans.length, { timeout: 3000 }).toBe(2);
    expect(scans.map((s) => [s.kind, s.payload])).toEqual([
      ['appointment', 'YY20240501-0031'],
      ['ticket', 'https://q.hall.example.cn/t/Zz9_8-7'],
    ]);
  });

  it('strips an AIM prefix and reports the symbology', async (ctx) => {
    needsSim(ctx);
    const { rig, scans } = await start({}, { aimPrefix: true });
    await rig.sim!.scan('AP-123456', { aim: ']C0' });
    await rig.sim!.scan('6901234567892', { aim: ']E0' });
    await rig.sim!.scan('http://example.cn/a', { aim: ']Q1' });
    await expect.poll(() => scans.length, { timeout: 3000 }).toBe(3);
    expect(scans.map((s) => [s.payload, s.symbology, s.aim, s.kind])).toEqual([
      ['AP-123456', 'code128', ']C0', 'appointment'],
      ['6901234567892', 'ean-upc', ']E0', 'unknown'],
      ['http://example.cn/a', 'qr', ']Q1', 'url'],
    ]);
  });

  it('flushes a code sent without suffix after the inter-byte time-out', async (ctx) => {
    needsSim(ctx);
    const { rig, scans } = await start({ interByteTimeoutMs: 40 }, { suffix: 'none' });
    await rig.sim!.scan('AP77777777');
    await expect.poll(() => scans.map((s) => s.payload), { timeout: 3000 }).toEqual(['AP77777777']);
  });

  it('discards an overlong code with SCANNER_PAYLOAD_TOO_LONG, counts it, and keeps working', async (ctx) => {
    needsSim(ctx);
    const { rig, driver, scans, statuses } = await start({ maxPayloadBytes: 64 });
    await rig.sim!.scan('A'.repeat(65));
    await rig.sim!.scan('A'.repeat(64));
    await rig.sim!.scan('x'.repeat(2000));
    await rig.sim!.scan('HKT:fine0001');
    await expect.poll(() => scans.length, { timeout: 3000 }).toBe(2);
    expect(scans.map((s) => s.payload)).toEqual(['A'.repeat(64), 'HKT:fine0001']);
    const discarded = statuses.filter((s) => s.state === 'discarded');
    expect(discarded.map((s) => (s.state === 'discarded' ? [s.reason, s.length, s.error?.code] : []))).toEqual([
      ['too-long', 65, 'SCANNER_PAYLOAD_TOO_LONG'],
      ['too-long', 2000, 'SCANNER_PAYLOAD_TOO_LONG'],
    ]);
    expect(driver.counters).toMatchObject({ scans: 2, discarded: 2, tooLong: 2 });
  });

  it('survives line noise before codes (quirk) and control characters inside them', async (ctx) => {
    needsSim(ctx);
    const { rig, driver, scans } = await start({}, { noiseBeforeCode: true });
    await rig.sim!.scan('HKT:\u001babc\u0007def');
    await rig.sim!.sendRaw(Uint8Array.of(0x00, 0xff, 0x0d));
    await rig.sim!.scan('YY2024-000001');
    await expect.poll(() => scans.length, { timeout: 3000 }).toBe(2);
    expect(scans.map((s) => [s.payload, s.kind])).toEqual([
      ['HKT:abcdef', 'ticket'],
      ['YY2024-000001', 'appointment'],
    ]);
    expect(driver.counters.garbage).toBe(1);
  });

  it('reports disconnected when the scanner is unplugged', async (ctx) => {
    needsSim(ctx);
    const { rig, statuses } = await start();
    await rig.pair!.unplug();
    await expect.poll(() => statuses.at(-1)?.state, { timeout: 3000 }).toBe('disconnected');
    const last = statuses.at(-1);
    expect(last?.state === 'disconnected' && last.error.code).toBe('TRANSPORT_DISCONNECTED');
  });

  it('handles 200 scans back to back and measures scan latency', async (ctx) => {
    needsSim(ctx);
    const { rig, scans } = await start();
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      const got = driver!.nextScan(2000);
      await rig.sim!.scan(`HKT:load${String(i).padStart(6, '0')}`);
      await got;
      latencies.push(performance.now() - t0);
    }
    expect(scans.map((s) => s.payload)).toEqual(Array.from({ length: 200 }, (_, i) => `HKT:load${String(i).padStart(6, '0')}`));
    latencies.sort((a, b) => a - b);
    const p50 = latencies[100]!;
    const p99 = latencies[197]!;
    console.info(`serial scan latency over pty (write → scan event): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
    expect(p50).toBeLessThan(50);
  });

  it('keeps payloads out of the trace', async (ctx) => {
    needsSim(ctx);
    const trace: TraceEntry[] = [];
    const { rig, scans } = await start({ trace: (e) => trace.push(e) });
    await rig.sim!.scan('https://q.example.cn/t/SECRET42token');
    await expect.poll(() => scans.length, { timeout: 3000 }).toBe(1);
    expect(trace).toHaveLength(1);
    expect(trace[0]).toMatchObject({ device: 'scanner', dir: 'rx', length: 36, meaning: 'scan ticket (utf-8)' });
    expect(trace[0]!.hex).toBe('68 74 74 …[redacted 33 bytes]');
    expect(JSON.stringify(trace)).not.toMatch(/SECRET|53 45 43/);
  });
});

describe('ScannerDriver HID POS mode (fake node-hid + HID POS simulator)', () => {
  let hid: FakeHidModule;
  let dev: FakeHidDevice;
  let driver: ScannerDriver | undefined;
  beforeEach(() => {
    hid = new FakeHidModule();
    dev = hid.plug({ vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw2', usagePage: 0x8c, usage: 0x02 });
  });
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });
  const open = async (opts: Partial<ScannerDriverOptions> = {}) => {
    const transport = new HidTransport({ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 0x02, hid });
    driver = new ScannerDriver({ transport, mode: 'hid-pos', ...opts });
    await driver.open();
    return collect(driver);
  };

  it('decodes single- and multi-report codes with their AIM symbology', async () => {
    const sim = new HidPosScannerSimulator(dev);
    const { scans } = await open();
    const longUrl = `https://q.hall.example.cn/t/${'k'.repeat(150)}`.slice(0, 178);
    await sim.scan('YY20240501-0031', { aim: ']C0' });
    expect(await sim.scan(longUrl, { aim: ']Q1' })).toBe(4);
    await sim.scan('6901234567892', { aim: null });
    await expect.poll(() => scans.length).toBe(3);
    expect(scans.map((s) => [s.payload, s.kind, s.symbology])).toEqual([
      ['YY20240501-0031', 'appointment', 'code128'],
      [longUrl, 'url', 'qr'],
      ['6901234567892', 'unknown', undefined],
    ]);
  });

  it('switches a Honeywell unit to HID POS with feature report 254 = [0x01] (quirk: silent until then)', async () => {
    const sim = new HidPosScannerSimulator(dev, { requiresSwitch: true });
    expect(await sim.scan('HKT:before00')).toBe(0);
    const { scans } = await open({ switchToHidPos: true });
    expect(dev.featureReports.map((b) => [...b])).toEqual([[254, 1]]);
    await sim.scan('HKT:after000');
    await expect.poll(() => scans.map((s) => s.payload)).toEqual(['HKT:after000']);
  });

  it('discards cut codes (firmware dropping the more flag) as too-long-free partials, and malformed reports', async () => {
    const sim = new HidPosScannerSimulator(dev, { dropMoreFlag: true });
    const { scans, statuses } = await open({ maxPayloadBytes: 512 });
    await sim.scan('A'.repeat(60));
    sim.sendRaw(Uint8Array.of(0x02, 0x3f, 0x5d, 0x51, 0x31));
    await expect.poll(() => scans.length + statuses.filter((s) => s.state === 'discarded').length).toBe(3);
    // with the flag dropped each report looks like a whole code: the simulator shows the quirk, the driver copes
    expect(scans.map((s) => s.payload)).toEqual(['A'.repeat(56), 'A'.repeat(4)]);
    expect(driver!.counters).toMatchObject({ scans: 2, badReports: 1, discarded: 1 });
  });

  it('rejects switchToHidPos on a transport without feature reports (TRANSPORT_UNSUPPORTED)', async () => {
    const pair = await createPtyPair();
    try {
      const d = new ScannerDriver({ transport: new SerialTransport({ path: pair.hostPath, baudRate: 9600 }), mode: 'hid-pos', switchToHidPos: true });
      await expect(d.open()).rejects.toMatchObject({ code: 'TRANSPORT_UNSUPPORTED' });
      await d.close();
    } finally {
      await pair.close();
    }
  });

  it('reports disconnected on unplug', async () => {
    const { statuses } = await open();
    hid.unplug(dev);
    await expect.poll(() => statuses.at(-1)?.state).toBe('disconnected');
  });
});
