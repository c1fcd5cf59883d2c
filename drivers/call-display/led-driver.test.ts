import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDriverError, type DriverErrorCode } from '../errors.js';
import type { TraceEntry } from '../log.js';
import { createPtyPair, type PtyPair } from '../testing/socat.js';
import { memoryPair } from '../transport/memory.js';
import { SerialTransport } from '../transport/serial.js';
import type { Transport } from '../transport/transport.js';
import { LedCallDisplay } from './led-call-display.js';
import { LedStripDriver } from './led-driver.js';
import { LedStripSimulator } from './led-simulator.js';

async function codeOf(p: Promise<unknown>): Promise<DriverErrorCode | string> {
  try {
    await p;
  } catch (e) {
    return isDriverError(e) ? e.code : `not a DriverError: ${String(e)}`;
  }
  return 'resolved';
}

interface Rig {
  host: Transport;
  device: Transport;
  close(): Promise<void>;
}

/** One behavioural suite, run over the in-memory pair and over a real serial port on a socat pty pair. */
function suite(kind: string, makeRig: () => Promise<Rig>): void {
  describe(`LedStripDriver over ${kind}`, () => {
    let rig: Rig;
    let sim: LedStripSimulator;
    let driver: LedStripDriver;
    const trace: TraceEntry[] = [];

    beforeEach(async () => {
      rig = await makeRig();
      sim = new LedStripSimulator({ transport: rig.device, addresses: [1, 3, 0x12] });
      await sim.start();
      trace.length = 0;
      driver = new LedStripDriver({ transport: rig.host, timeoutMs: 150, retries: 2, trace: (e) => trace.push(e) });
      await driver.open();
    });

    afterEach(async () => {
      await driver.close();
      await sim.stop();
      await rig.close();
    });

    it('shows a call on the addressed strip only and reads it back by status', async () => {
      await driver.showText(3, 'A012 请到3号窗口');
      expect(sim.shown(3)).toBe('A012 请到3号窗口');
      expect(sim.shown(1)).toBe('');
      const st = await driver.status(3);
      expect(st).toMatchObject({ text: 'A012 请到3号窗口', brightness: 8, ledFault: false });
      expect(trace.find((t) => t.dir === 'tx')?.hex).toBe('02 30 33 54 41 30 31 32 20 C7 EB B5 BD 33 BA C5 B4 B0 BF DA 03 0F');
      // the simulator's ACK is the vector from led-protocol.md
      expect(sim.sent[0]!.toString('hex')).toBe('023033060306');
    });

    it('clear, brightness and status flags', async () => {
      await driver.showText(0x12, '测试');
      await driver.setBrightness(0x12, 15);
      sim.setFaultFlags(0x12, 0x05);
      expect(await driver.status(0x12)).toEqual({
        brightness: 15,
        flags: 5,
        ledFault: true,
        overTemperature: false,
        supplyLow: true,
        text: '测试',
      });
      await driver.clear(0x12);
      expect(sim.shown(0x12)).toBe('');
    });

    it('broadcast reaches every strip without waiting for an answer', async () => {
      const t0 = Date.now();
      await driver.showText(0, '暂停服务');
      expect(Date.now() - t0).toBeLessThan(100);
      await driver.status(1); // serialised behind the broadcast: the strips have executed it by now
      expect([sim.shown(1), sim.shown(3), sim.shown(0x12)]).toEqual(['暂停服务', '暂停服务', '暂停服务']);
    });

    it('NAK is DISPLAY_REJECTED with the reason, without retries', async () => {
      sim.setFault(3, { nak: '5' });
      const p = driver.showText(3, 'A001');
      await expect(p).rejects.toMatchObject({ code: 'DISPLAY_REJECTED', detail: { reason: 'busy', address: 3 } });
      expect(sim.received.filter((r) => r.address === 3)).toHaveLength(1);
    });

    it('retries after no answer and succeeds when the strip comes back', async () => {
      sim.setFault(3, { silent: true, times: 2 });
      await driver.showText(3, 'B007 请到3号窗口');
      expect(sim.shown(3)).toBe('B007 请到3号窗口');
      expect(driver.stats.timeouts).toBe(2);
      expect(sim.received.filter((r) => r.address === 3)).toHaveLength(3);
    });

    it('a strip that never answers: PROTOCOL_TIMEOUT after 1 + retries sends', async () => {
      sim.setFault(1, { silent: true });
      const t0 = Date.now();
      expect(await codeOf(driver.clear(1))).toBe('PROTOCOL_TIMEOUT');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(3 * 150 - 20);
      expect(sim.received.filter((r) => r.address === 1)).toHaveLength(3);
      // an absent address behaves the same
      expect(await codeOf(driver.status(0x20))).toBe('PROTOCOL_TIMEOUT');
    });

    it('garbled answers are retried; persistent ones end in PROTOCOL_CHECKSUM', async () => {
      sim.setFault(3, { corruptBcc: true, times: 1 });
      await driver.showText(3, 'C100');
      expect(driver.stats.garbled).toBe(1);
      sim.setFault(3, { corruptBcc: true });
      expect(await codeOf(driver.clear(3))).toBe('PROTOCOL_CHECKSUM');
    });

    it('the strip reporting a bad BCC (NAK 1) is retried', async () => {
      sim.setFault(3, { nak: '1', times: 1 });
      await driver.showText(3, 'D200');
      expect(sim.shown(3)).toBe('D200');
      expect(driver.stats.naks).toBe(1);
    });

    it('requests are serialised: concurrent calls never interleave on the bus', async () => {
      await Promise.all([
        driver.showText(1, 'A001 请到1号窗口'),
        driver.showText(3, 'A002 请到3号窗口'),
        driver.showText(0x12, 'A003 请到18号窗口'),
        driver.status(1),
      ]);
      expect(sim.received.map((r) => `${r.cmd}${r.address}`)).toEqual(['T1', 'T3', 'T18', 'S1']);
      expect(sim.ignoredBytes).toBe(0);
    });

    it('noise on the bus before an answer is discarded and counted', async () => {
      await rig.device.write(Buffer.from([0xff, 0x41, 0x03]));
      await driver.showText(1, 'E1');
      expect(driver.stats.discardedBytes).toBeGreaterThanOrEqual(3);
      expect(trace.some((t) => t.dir === 'discarded')).toBe(true);
    });

    it('LedCallDisplay maps windows to addresses and reports faults in its status', async () => {
      const display = new LedCallDisplay({ driver, windows: { '3': 3, '18': 0x12 } });
      await display.show({ ticket: 'A012', window: '3', at: 1 });
      await display.show({ ticket: 'A013', window: '7', at: 2 }); // no strip at window 7
      expect(sim.shown(3)).toBe('A012 请到3号窗口');
      expect(display.status.state).toBe('ok');
      sim.setFault(0x12, { nak: '3' });
      expect(await codeOf(display.show({ ticket: 'A014', window: '18', at: 3 }))).toBe('DISPLAY_REJECTED');
      expect(display.status).toMatchObject({ state: 'fault', code: 'DISPLAY_REJECTED' });
      expect(await codeOf(display.clear())).toBe('DISPLAY_REJECTED');
      expect(sim.shown(3)).toBe(''); // the healthy strip was still cleared
    });
  });
}

suite('memoryPair', async () => {
  const { host, device } = memoryPair('host', 'led');
  return { host, device, close: async () => undefined };
});

suite('socat pty pair (SerialTransport)', async () => {
  const pty: PtyPair = await createPtyPair();
  const host = new SerialTransport({ path: pty.hostPath, baudRate: 9600 });
  const device = new SerialTransport({ path: pty.devicePath, baudRate: 9600 });
  return {
    host,
    device,
    close: async () => {
      if (host.isOpen) await host.close();
      if (device.isOpen) await device.close();
      await pty.close();
    },
  };
});

describe('LedStripDriver lifecycle', () => {
  it('a request on a closed transport is TRANSPORT_NOT_OPEN; unplug mid-wait rejects', async () => {
    const { host, device } = memoryPair();
    const driver = new LedStripDriver({ transport: host, timeoutMs: 1000 });
    expect(await codeOf(driver.clear(1))).toBe('TRANSPORT_NOT_OPEN');
    await driver.open();
    await device.open(); // device never answers
    const p = driver.clear(1);
    setTimeout(() => host.unplug(), 20);
    expect(await codeOf(p)).toBe('TRANSPORT_DISCONNECTED');
  });

  it('invalid requests fail at once with codes', async () => {
    const { host } = memoryPair();
    const driver = new LedStripDriver({ transport: host });
    await driver.open();
    expect(await codeOf(driver.showText(1, ''))).toBe('DISPLAY_REJECTED');
    expect(await codeOf(driver.status(0))).toBe('DISPLAY_REJECTED');
  });
});
