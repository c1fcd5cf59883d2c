import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../core/logger.js';
import { rawGet, rawHttp, startTestKiosk, upgradeRequest, within, type TestKiosk } from '../lan/test-host.js';
import { startBrowserHost, type BrowserHost } from './server.js';

/** The kiosk's own 127.0.0.1 bridge with several pages connected (the kiosk page, a staff page, a reload). */

let kiosk: TestKiosk;
let host: BrowserHost;
let closed = false;
const secret = 'test-secret-0123456789abcdef';

beforeEach(async () => {
  kiosk = await startTestKiosk();
  host = await startBrowserHost({ services: kiosk.services, rendererDir: kiosk.rendererDir, port: 0, logger: createLogger('bh-test'), secret });
  closed = false;
});
afterEach(async () => {
  if (!closed) await within(host.close(), 5000);
  await kiosk.cleanup();
});

interface Page {
  ws: WebSocket;
  events: { name: string; payload: unknown }[];
  call(name: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
}

function connect(): Promise<Page> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge`, [`kiosk.${secret}`], { origin: host.url });
    const events: Page['events'] = [];
    const pending = new Map<number, (r: never) => void>();
    let id = 0;
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { t: string; id?: number; name?: string; payload?: unknown; result?: unknown };
      if (m.t === 'evt') events.push({ name: m.name!, payload: m.payload });
      if (m.t === 'res') pending.get(m.id!)?.(m.result as never);
    });
    ws.on('open', () =>
      resolve({
        ws,
        events,
        call: (name, input = {}) =>
          new Promise((res) => {
            const n = ++id;
            pending.set(n, res as (r: never) => void);
            ws.send(JSON.stringify({ t: 'req', id: n, name, input }));
          }),
      }),
    );
    ws.on('error', reject);
  });
}

const waitFor = async (f: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('browser host bridge: readiness belongs to each connection', () => {
  it('a second page closing does not stop card reads reaching the kiosk page', async () => {
    const lobby = await connect();
    const other = await connect();
    expect((await lobby.call('app.ready')).ok).toBe(true);
    expect((await other.call('app.ready')).ok).toBe(true);
    other.ws.close();
    await waitFor(() => other.ws.readyState === other.ws.CLOSED);
    await new Promise((r) => setTimeout(r, 100)); // the host has handled the close
    const placed = await lobby.call('sim.placeCard', { identityId: 'gz-resident-adult' });
    expect(placed.ok).toBe(true);
    await waitFor(() => lobby.events.some((e) => e.name === 'card-read'));
    lobby.ws.close();
  });
});

describe('browser host: requests and shutdown', () => {
  it('refuses unknown upgrades with an answer and a closed socket; close() completes with keep-alive clients', async () => {
    const r = await rawHttp(host.port, upgradeRequest(host.port, '/elsewhere', `Origin: ${host.url}\r\n`));
    expect([r.status, r.closed]).toEqual([404, true]);
    const page = await connect();
    const keepAlive = rawHttp(host.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`, 10_000);
    await new Promise((res) => setTimeout(res, 100));
    expect(await within(host.close(), 5000)).not.toBe('timeout');
    closed = true;
    await waitFor(() => page.ws.readyState === page.ws.CLOSED);
    expect((await keepAlive).closed).toBe(true);
  });

  it('answers bad paths with 400', async () => {
    for (const target of ['/assets/..%2f..%2fetc/passwd', '/%ZZ', '/assets/%2e%2e/index.html']) {
      expect((await rawGet(host.port, target)).status, target).toBe(400);
    }
    expect((await rawGet(host.port, '/')).status).toBe(200);
  });
});
