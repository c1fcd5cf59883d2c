import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import { createLogger, recentLogs } from '../core/logger.js';
import { startLanServer, type LanServer } from './server.js';
import { KIOSK_PAGE_MARKER, rawGet, rawHttp, startTestKiosk, upgradeRequest, within, type TestKiosk } from './test-host.js';

/** The hall LAN port against a bad-request sweep (issue #9 "Hall host robustness"), on the real services. */

const MANAGER = 'test-manager-token-0000001';
const DISPLAY = 'test-display-token-0000001';
const withTokens = (c: KioskConfig): KioskConfig => ({
  ...c,
  network: {
    ...c.network,
    apiTokens: [
      { deviceId: 'manager-t', role: 'manager', token: MANAGER },
      { deviceId: 'display-t', role: 'display', token: DISPLAY },
    ],
  },
});

let kiosk: TestKiosk;
let lan: LanServer;
let closed = false;

beforeEach(async () => {
  kiosk = await startTestKiosk(withTokens);
  lan = await startLanServer({ services: kiosk.services, rendererDir: kiosk.rendererDir, port: 0, host: '127.0.0.1', logger: createLogger('lan-test') });
  closed = false;
});
afterEach(async () => {
  if (!closed) await within(lan.close(), 5000);
  await kiosk.cleanup();
});

async function api(method: string, p: string, body?: unknown, token = MANAGER): Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string } } }> {
  const res = await fetch(`${lan.url}${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: (await res.json()) as { ok: boolean } };
}

function stream(token: string): Promise<{ ws: WebSocket; messages: { type: string; number?: string }[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${lan.port}/api/v1/stream?token=${token}`);
    const messages: { type: string; number?: string }[] = [];
    ws.on('message', (d) => {
      messages.push(JSON.parse(String(d)) as { type: string });
      if (messages.length === 1) resolve({ ws, messages });
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`stream upgrade answered ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

const waitFor = async (f: () => boolean, ms = 3000) => {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('LAN server: upgrades and shutdown', () => {
  it('answers an upgrade to an unknown path with 404 and closes the socket; close() still completes', async () => {
    const r = await rawHttp(lan.port, upgradeRequest(lan.port, '/no/such/socket'));
    expect(r.status).toBe(404);
    expect(r.closed).toBe(true);
    const bad = await rawHttp(lan.port, upgradeRequest(lan.port, '/api/v1/%ZZ'));
    expect([bad.status, bad.closed]).toEqual([400, true]);
    // stopping with an idle keep-alive connection, an open stream and a silent half-sent request
    const keepAlive = rawHttp(lan.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`, 10_000);
    const { ws } = await stream(DISPLAY);
    const halfSent = rawHttp(lan.port, upgradeRequest(lan.port, '/api/v1/stream').slice(0, 40), 10_000);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    expect(await within(lan.close(), 5000)).not.toBe('timeout');
    closed = true;
    expect(Date.now() - t0).toBeLessThan(5000);
    await waitFor(() => ws.readyState === ws.CLOSED);
    expect((await keepAlive).closed).toBe(true);
    expect((await halfSent).closed).toBe(true);
  });

  it('refuses the staff bridge from a foreign origin with 403 and a closed socket', async () => {
    const r = await rawHttp(lan.port, upgradeRequest(lan.port, '/staff/bridge', 'Origin: http://evil.example\r\n'));
    expect([r.status, r.closed]).toEqual([403, true]);
  });
});

describe('LAN server: request paths', () => {
  it.each(['/api/v1/tickets/%E0%A4%A', '/api/v1/tickets/%', '/api/v1/tickets/%ZZ'])('malformed percent-encoding %s is 400 BAD_REQUEST, not 500', async (target) => {
    const r = await rawGet(lan.port, target, { Authorization: `Bearer ${MANAGER}` });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(recentLogs({ minLevel: 'error' }).filter((l) => l.sub.startsWith('lan-test'))).toEqual([]);
  });

  it.each([
    '/assets/../index.html',
    '/assets/..%2findex.html',
    '/assets/..%2Findex.html',
    '/assets/%2e%2e/index.html',
    '/assets/%2E%2E%2Findex.html',
    '/assets/..\\index.html',
    '/voice/../../renderer/index.html',
    '/assets/./../index.html',
    '/t/assets/../../index.html',
  ])('never serves the kiosk page through %s', async (target) => {
    const r = await rawGet(lan.port, target);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.body).not.toContain(KIOSK_PAGE_MARKER);
  });

  it('still serves the LAN pages and assets, and not the kiosk page itself', async () => {
    expect((await rawGet(lan.port, '/display.html')).body).toContain('DISPLAY');
    expect((await rawGet(lan.port, '/assets/app.js')).status).toBe(200);
    expect((await rawGet(lan.port, '/index.html')).status).toBe(404);
  });
});

describe('LAN server: a live configuration change', () => {
  it('keeps the stream working: open streams get a fresh hello, new ones connect, calls arrive', async () => {
    const before = await stream(DISPLAY);
    const services = kiosk.services;
    const next = { ...services.currentConfig, name: `${services.currentConfig.name} (edited)` };
    services.applyConfig(next, { author: 'manager' });
    await waitFor(() => before.messages.filter((m) => m.type === 'hello').length === 2);
    const after = await stream(DISPLAY); // before the fix: 503 from the old API's listener, for good
    const ticket = await api('POST', '/api/v1/tickets', { categoryId: services.currentConfig.queue.categories[0]!.id });
    expect(ticket.status).toBe(200);
    const window = services.currentConfig.queue.categories[0]!.windows[0]!;
    const called = await api('POST', `/api/v1/counters/${window}/call-next`, {});
    expect(called.status).toBe(200);
    const number = (ticket.json.value as { number: string }).number;
    for (const s of [before, after]) await waitFor(() => s.messages.some((m) => m.type === 'ticket-called' && m.number === number));
    before.ws.close();
    after.ws.close();
  });

  it('closes a stream whose token a configuration change removed', async () => {
    const s = await stream(DISPLAY);
    const services = kiosk.services;
    const next = { ...services.currentConfig, network: { ...services.currentConfig.network, apiTokens: services.currentConfig.network.apiTokens.filter((t) => t.token !== DISPLAY) } };
    services.applyConfig(next, { author: 'manager' });
    await waitFor(() => s.ws.readyState === s.ws.CLOSED);
  });
});

describe('LAN server: ticket tokens stay out of the logs', () => {
  it('a refused request for /api/v1/tickets/<token> logs its path without the token', async () => {
    const token = 'Zq9secretTicketToken_abc123';
    const r = await rawGet(lan.port, `/api/v1/tickets/${token}`, { Authorization: 'Bearer not-a-valid-token-000000' });
    expect(r.status).toBe(401);
    const unknown = await rawGet(lan.port, `/api/v1/follow/${token}`);
    expect(unknown.status).toBe(404);
    const lines = recentLogs({ sub: 'lan-test' });
    const refused = lines.filter((l) => /not authenticated|refused/.test(l.msg));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.some((l) => String(l.path).startsWith('/api/v1/tickets/Zq9s'))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});
