import { afterEach, describe, expect, it } from 'vitest';
import { DriverError } from '../errors.js';
import { createPtyPair, type PtyPair } from '../testing/socat.js';
import { MemoryTransport, memoryPair } from './memory.js';
import { SerialTransport } from './serial.js';
import { TransportSupervisor, usbSerialFactory, type SupervisorStateEvent } from './supervisor.js';

/** Manual clock: timers fire only when the test advances time. */
function manualTimers() {
  let now = 0;
  const pending: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  return {
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const id = nextId++;
        pending.push({ at: now + ms, fn, id });
        return id;
      },
      clearTimeout: (h: unknown) => {
        const i = pending.findIndex((p) => p.id === h);
        if (i >= 0) pending.splice(i, 1);
      },
    },
    delays: () => pending.map((p) => p.at - now),
    async advance(ms: number) {
      now += ms;
      for (;;) {
        const due = pending.filter((p) => p.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        pending.splice(pending.indexOf(due), 1);
        due.fn();
        await flush();
      }
      await flush();
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('TransportSupervisor back-off (manual clock, memory transports)', () => {
  it('retries with 250 ms doubling to the 10 s cap, then connects and resets the back-off', async () => {
    const clock = manualTimers();
    let failuresLeft = 8;
    let made: MemoryTransport | undefined;
    const sup = new TransportSupervisor({
      factory: () => {
        if (failuresLeft-- > 0) throw new DriverError('TRANSPORT_OPEN_FAILED', 'not there');
        made = memoryPair().host;
        return made;
      },
      timers: clock.timers,
    });
    const events: SupervisorStateEvent[] = [];
    sup.onState((e) => events.push(e));
    sup.start();
    await flush();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      expect(sup.state).toBe('disconnected');
      waits.push(clock.delays()[0]!);
      await clock.advance(clock.delays()[0]!);
    }
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, 8000, 10000, 10000]);
    expect(sup.state).toBe('connected');
    expect(sup.transport).toBe(made);
    expect(events.filter((e) => e.state === 'disconnected').every((e) => e.error?.code === 'TRANSPORT_OPEN_FAILED')).toBe(true);
    expect(events.at(-1)).toMatchObject({ state: 'connected', attempt: 9 });

    // the link drops: first retry after the initial delay again
    made!.unplug();
    await flush();
    expect(sup.state).toBe('disconnected');
    expect(events.at(-1)).toMatchObject({ state: 'disconnected', retryInMs: 250 });
    expect(events.at(-1)!.error?.code).toBe('TRANSPORT_DISCONNECTED');
    await clock.advance(250);
    expect(sup.state).toBe('connected');
    await sup.stop();
    expect(sup.state).toBe('disconnected');
    expect(clock.delays()).toEqual([]);
  });

  it('relays data and writes to the current transport; write while disconnected is TRANSPORT_NOT_OPEN', async () => {
    const clock = manualTimers();
    const pairs: Array<ReturnType<typeof memoryPair>> = [];
    const sup = new TransportSupervisor({
      factory: () => {
        const p = memoryPair();
        pairs.push(p);
        void p.device.open();
        return p.host;
      },
      timers: clock.timers,
      initialDelayMs: 20,
    });
    const got: string[] = [];
    sup.onData((c) => got.push(c.toString()));
    await expect(sup.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_NOT_OPEN' });
    sup.start();
    await flush();
    expect(sup.state).toBe('connected');
    pairs[0]!.device.inject(Buffer.from('x'));
    pairs[0]!.host.inject(Buffer.from('one'));
    await sup.write(Buffer.from('hi'));
    await flush();
    expect(pairs[0]!.host.written.map(String)).toEqual(['hi']);
    pairs[0]!.host.unplug();
    await clock.advance(20);
    pairs[1]!.host.inject(Buffer.from('two'));
    expect(got).toEqual(['one', 'two']);
    await sup.stop();
    expect(pairs[1]!.host.isOpen).toBe(false);
  });

  it('rejects nonsensical back-off settings', () => {
    expect(() => new TransportSupervisor({ factory: () => memoryPair().host, initialDelayMs: 0 })).toThrow(RangeError);
    expect(() => new TransportSupervisor({ factory: () => memoryPair().host, initialDelayMs: 500, maxDelayMs: 100 })).toThrow(RangeError);
  });
});

describe('TransportSupervisor hot-plug over socat (real serial bindings)', () => {
  const pairs: PtyPair[] = [];
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
    for (const p of pairs.splice(0)) await p.close();
  });

  it('goes disconnected on unplug, keeps retrying while the port is absent, and recovers after replug', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    const sup = new TransportSupervisor({
      factory: () => new SerialTransport({ path: pair.hostPath, baudRate: 9600 }),
      initialDelayMs: 20,
      maxDelayMs: 100,
    });
    cleanup.push(() => sup.stop());
    const events: SupervisorStateEvent[] = [];
    sup.onState((e) => events.push(e));
    const got: Buffer[] = [];
    sup.onData((c) => got.push(c));
    sup.start();
    await sup.waitFor('connected', 3000);

    const dev1 = new SerialTransport({ path: pair.devicePath, baudRate: 9600 });
    await dev1.open();
    await dev1.write(Buffer.from('A1\r'));
    await expect.poll(() => Buffer.concat(got).toString(), { timeout: 2000 }).toBe('A1\r');

    const t0 = Date.now();
    await pair.unplug();
    await sup.waitFor('disconnected', 3000);
    const detectMs = Date.now() - t0;
    expect(events.find((e) => e.state === 'disconnected')?.error?.code).toBe('TRANSPORT_DISCONNECTED');
    // while unplugged, attempts fail with TRANSPORT_OPEN_FAILED
    await expect.poll(() => events.filter((e) => e.error?.code === 'TRANSPORT_OPEN_FAILED').length, { timeout: 3000 }).toBeGreaterThanOrEqual(2);
    expect(sup.state).not.toBe('connected');

    const t1 = Date.now();
    await pair.replug();
    await sup.waitFor('connected', 3000);
    const recoverMs = Date.now() - t1;
    const dev2 = new SerialTransport({ path: pair.devicePath, baudRate: 9600 });
    await dev2.open();
    cleanup.push(() => dev2.close());
    await dev2.write(Buffer.from('B2\r'));
    await expect.poll(() => Buffer.concat(got).toString(), { timeout: 2000 }).toBe('A1\rB2\r');
    // host → device still works on the new transport
    const back: Buffer[] = [];
    dev2.onData((c) => back.push(c));
    await sup.write(Buffer.from('OK'));
    await expect.poll(() => Buffer.concat(back).toString(), { timeout: 2000 }).toBe('OK');
    expect(detectMs).toBeLessThan(1000);
    expect(recoverMs).toBeLessThan(1000);
    console.info(`hot-plug: unplug detected in ${detectMs} ms, reconnected ${recoverMs} ms after replug`);
  });

  it('re-finds a USB serial port by vendor/product/serial number when its path changed', async () => {
    const first = await createPtyPair();
    const second = await createPtyPair();
    pairs.push(first, second);
    await second.unplug();
    let present: PtyPair = first;
    const factory = usbSerialFactory({
      match: { vendorId: 0x0c2e, productId: '0B61', serialNumber: 'SN-1' },
      baudRate: 9600,
      list: async () => [
        { path: '/dev/ttyS0' },
        { path: present.hostPath, vendorId: '0c2e', productId: '0b61', serialNumber: present.plugged ? 'SN-1' : 'gone' },
        { path: '/dev/ttyACM9', vendorId: '0c2e', productId: '0b61', serialNumber: 'SN-2' },
      ],
    });
    const sup = new TransportSupervisor({ factory, initialDelayMs: 20, maxDelayMs: 100 });
    cleanup.push(() => sup.stop());
    sup.start();
    const c1 = await sup.waitFor('connected', 3000);
    expect(c1.transport?.description).toBe(`serial:${first.hostPath}@9600`);
    await first.unplug();
    await sup.waitFor('disconnected', 3000);
    await second.replug();
    present = second;
    const c2 = await sup.waitFor('connected', 3000);
    expect(c2.transport?.description).toBe(`serial:${second.hostPath}@9600`);
  });

  it('usbSerialFactory fails with TRANSPORT_OPEN_FAILED when the device is absent', async () => {
    const factory = usbSerialFactory({ match: { vendorId: 1, productId: 2 }, baudRate: 9600, list: async () => [] });
    await expect(factory()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
  });
});
