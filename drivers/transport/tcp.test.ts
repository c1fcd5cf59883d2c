import { spawn } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isDriverError, type DriverError } from '../errors.js';
import { TcpTransport } from './tcp.js';

async function listen(onConn: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConn);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { server, port: addr.port };
}

describe('TcpTransport on 127.0.0.1', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('echoes bytes and closes cleanly with undefined', async () => {
    const { server, port } = await listen((s) => s.pipe(s));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const t = new TcpTransport({ host: '127.0.0.1', port });
    await t.open();
    expect(t.isOpen).toBe(true);
    expect(t.description).toBe(`tcp://127.0.0.1:${port}`);
    const got = new Promise<Buffer>((r) => {
      const parts: Buffer[] = [];
      t.onData((c) => {
        parts.push(c);
        if (Buffer.concat(parts).length >= 5) r(Buffer.concat(parts));
      });
    });
    await t.write(Uint8Array.of(0x1b, 0x40, 0x41, 0x0a, 0x00));
    expect([...(await got)]).toEqual([0x1b, 0x40, 0x41, 0x0a, 0x00]);
    const events: Array<DriverError | undefined> = [];
    t.onClose((e) => events.push(e));
    await t.close();
    expect(events).toEqual([undefined]);
    await expect(t.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_NOT_OPEN' });
  });

  it('reports TRANSPORT_DISCONNECTED once when the peer closes', async () => {
    let peer: Socket | undefined;
    const { server, port } = await listen((s) => (peer = s));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const t = new TcpTransport({ host: '127.0.0.1', port });
    await t.open();
    const events: Array<DriverError | undefined> = [];
    t.onClose((e) => events.push(e));
    await expect.poll(() => peer !== undefined).toBe(true);
    peer!.end();
    await expect.poll(() => events.length).toBe(1);
    expect(isDriverError(events[0], 'TRANSPORT_DISCONNECTED')).toBe(true);
    expect(t.isOpen).toBe(false);
    await t.close();
    expect(events).toHaveLength(1);
  });

  it('reports TRANSPORT_DISCONNECTED when the peer resets the connection', async () => {
    let peer: Socket | undefined;
    const { server, port } = await listen((s) => (peer = s));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const t = new TcpTransport({ host: '127.0.0.1', port });
    await t.open();
    const closed = new Promise<DriverError | undefined>((r) => t.onClose(r));
    await expect.poll(() => peer !== undefined).toBe(true);
    peer!.resetAndDestroy();
    expect((await closed)?.code).toBe('TRANSPORT_DISCONNECTED');
  });

  it('fails with TRANSPORT_OPEN_FAILED when nothing listens', async () => {
    const { server, port } = await listen(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
    const t = new TcpTransport({ host: '127.0.0.1', port });
    await expect(t.open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
    expect(t.isOpen).toBe(false);
  });

  it('fails with TRANSPORT_OPEN_FAILED after connectTimeoutMs when the peer never completes the handshake', async () => {
    // A listener whose process is stopped never accepts: once its accept queue (backlog 0 → 1 slot) is full the
    // kernel drops further SYNs, so our connect hangs until the time-out. Only loopback is reachable here.
    const port = await freePort();
    const listener = spawn('socat', ['-d', '-d', `TCP-LISTEN:${port},bind=127.0.0.1,backlog=0,reuseaddr`, 'OPEN:/dev/null'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanups.push(() => {
      listener.kill('SIGKILL');
    });
    let log = '';
    listener.stderr.on('data', (c: Buffer) => (log += c.toString()));
    // wait for the listen() without connecting: a plain socat serves one connection and then exits
    await expect.poll(() => log.includes('listening on'), { timeout: 3000 }).toBe(true);
    listener.kill('SIGSTOP');
    const fillers: Socket[] = [];
    cleanups.push(() => fillers.forEach((s) => s.destroy()));
    for (let i = 0; i < 4; i++) {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      fillers.push(s);
    }
    await new Promise((r) => setTimeout(r, 100));
    const t = new TcpTransport({ host: '127.0.0.1', port, connectTimeoutMs: 300 });
    const started = Date.now();
    const err = await t.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as DriverError | undefined)?.code).toBe('TRANSPORT_OPEN_FAILED');
    expect((err as DriverError).detail).toEqual({ timeoutMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

async function freePort(): Promise<number> {
  const { server, port } = await listen(() => undefined);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
