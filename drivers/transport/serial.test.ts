import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { DriverError, isDriverError } from '../errors.js';
import { createPtyPair, type PtyPair } from '../testing/socat.js';
import { SerialTransport } from './serial.js';

function nextData(t: SerialTransport, bytes: number, timeoutMs = 2000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`only ${total} of ${bytes} bytes arrived`));
    }, timeoutMs);
    const off = t.onData((c) => {
      parts.push(c);
      total += c.length;
      if (total >= bytes) {
        clearTimeout(timer);
        off();
        resolve(Buffer.concat(parts));
      }
    });
  });
}

function nextClose(t: SerialTransport, timeoutMs = 3000): Promise<DriverError | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no close')), timeoutMs);
    const off = t.onClose((e) => {
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

describe('SerialTransport over socat ptys (real bindings)', () => {
  let pair: PtyPair | undefined;
  const opened: SerialTransport[] = [];
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close();
    await pair?.close();
    pair = undefined;
  });
  const open = async (path: string, extra: Partial<ConstructorParameters<typeof SerialTransport>[0]> = {}) => {
    const t = new SerialTransport({ path, baudRate: 9600, ...extra });
    await t.open();
    opened.push(t);
    return t;
  };

  it('moves bytes both ways and reports a clean close with undefined', async () => {
    pair = await createPtyPair();
    const host = await open(pair.hostPath);
    const dev = await open(pair.devicePath);
    expect(host.isOpen).toBe(true);
    expect(host.description).toBe(`serial:${pair.hostPath}@9600`);
    const got = nextData(dev, 4);
    await host.write(Uint8Array.of(0x02, 0x00, 0xff, 0x03));
    expect([...(await got)]).toEqual([0x02, 0x00, 0xff, 0x03]);
    const back = nextData(host, 300);
    await dev.write(Buffer.alloc(300, 0x55));
    expect((await back).equals(Buffer.alloc(300, 0x55))).toBe(true);

    const closed = nextClose(host);
    await host.close();
    expect(await closed).toBeUndefined();
    expect(host.isOpen).toBe(false);
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_NOT_OPEN' });
  });

  it('tolerates DTR/RTS ioctls that a pty rejects', async () => {
    pair = await createPtyPair();
    const host = await open(pair.hostPath, { modemLines: { dtr: true, rts: true } });
    expect(host.isOpen).toBe(true);
    expect(await host.setModemLines({ dtr: false })).toBe(false);
    const dev = await open(pair.devicePath);
    const got = nextData(dev, 2);
    await host.write(Uint8Array.of(0x0d, 0x0a));
    expect([...(await got)]).toEqual([0x0d, 0x0a]);
  });

  it('reports TRANSPORT_DISCONNECTED exactly once when the device is unplugged', async () => {
    pair = await createPtyPair();
    const host = await open(pair.hostPath);
    const events: Array<DriverError | undefined> = [];
    host.onClose((e) => events.push(e));
    await pair.unplug();
    await expect.poll(() => events.length, { timeout: 3000 }).toBe(1);
    expect(isDriverError(events[0], 'TRANSPORT_DISCONNECTED')).toBe(true);
    expect(events[0]!.isTransient()).toBe(true);
    expect(host.isOpen).toBe(false);
    await host.close(); // no second close event
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toHaveLength(1);
  });

  it('reports an unplug that races the first read (bindings-cpp 0-byte read loop) and stops the spin', async () => {
    // With both ends open and the unplug right after open, bindings-cpp may be inside fs.read when the tty hangs up;
    // it then loops on 0-byte reads and never reports (serialport/bindings-cpp#162). The presence check ends it.
    pair = await createPtyPair();
    const dev = await open(pair.devicePath);
    const host = await open(pair.hostPath, { presenceCheckMs: 200 });
    const events: Array<DriverError | undefined> = [];
    host.onClose((e) => events.push(e));
    dev.onClose(() => undefined);
    await pair.unplug();
    await expect.poll(() => events.length, { timeout: 2000 }).toBe(1);
    expect(events[0]?.code).toBe('TRANSPORT_DISCONNECTED');
    await expect.poll(() => dev.isOpen, { timeout: 2000 }).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    const c0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 500));
    const used = process.cpuUsage(c0);
    expect((used.user + used.system) / 1000).toBeLessThan(250); // a spinning read thread burns ~500 ms here
  });

  it('fails to open a missing port with TRANSPORT_OPEN_FAILED and can open again after replug', async () => {
    pair = await createPtyPair();
    await pair.unplug();
    const t = new SerialTransport({ path: pair.hostPath, baudRate: 9600 });
    await expect(t.open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
    await pair.replug();
    await t.open();
    opened.push(t);
    expect(t.isOpen).toBe(true);
  });
});

describe('SerialTransport with an injected binding', () => {
  const MockBinding = SerialPortMock.binding;
  afterEach(() => MockBinding.reset());

  it('uses the injected MockBinding instead of the OS', async () => {
    MockBinding.createPort('/dev/ttyMOCK0', { echo: true, record: true });
    const t = new SerialTransport({ path: '/dev/ttyMOCK0', baudRate: 115200, binding: MockBinding });
    await t.open();
    const got = nextData(t as SerialTransport, 3);
    await t.write(Uint8Array.of(1, 2, 3));
    expect([...(await got)]).toEqual([1, 2, 3]);
    await t.close();
  });

  it('maps a binding open failure to TRANSPORT_OPEN_FAILED', async () => {
    const t = new SerialTransport({ path: '/dev/ttyNOPE', baudRate: 9600, binding: MockBinding });
    await expect(t.open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
  });
});
