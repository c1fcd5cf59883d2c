import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isHostError } from '../errors.js';
import { startQueueHost, type ApiToken, type QueueHost } from './api.js';
import { RemoteQueueClient } from './remote-client.js';
import { createTestEngine, ManualClock } from './test-kit.js';
import { rawHttp, upgradeRequest } from '../lan/raw-http.js';

const TOKENS: ApiToken[] = [
  { token: 'kiosk-token-0123456789', role: 'kiosk', deviceId: 'kiosk-01' },
  { token: 'counter-token-012345678', role: 'counter', deviceId: 'counter-1', windows: ['1'] },
  { token: 'display-token-01234567', role: 'display', deviceId: 'display-1' },
  { token: 'manager-token-01234567', role: 'manager', deviceId: 'manager-1' },
];
const [KIOSK, COUNTER, DISPLAY, MANAGER] = TOKENS.map((t) => t.token) as [string, string, string, string];

interface Captured {
  level: string;
  obj: Record<string, unknown>;
  msg?: string;
}

let host: QueueHost;
let logs: Captured[];
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock('2025-03-03T10:00:00+08:00');
  const { engine } = createTestEngine({ clock });
  logs = [];
  const log = (level: string) => (obj: Record<string, unknown>, msg?: string) => logs.push({ level, obj, msg });
  host = await startQueueHost({ engine, tokens: TOKENS, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } });
});
afterEach(async () => {
  await host.close();
});

async function raw(method: string, path: string, token?: string, body?: string) {
  const res = await fetch(host.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, json: (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string; fields?: { path: string; message: string }[] } } };
}

const client = (token: string) => new RemoteQueueClient({ baseUrl: host.url, token, timeoutMs: 2000 });

describe('queue API auth', () => {
  it('401 without or with an unknown token, logged without the token value', async () => {
    expect(await raw('GET', '/api/v1/queue')).toMatchObject({ status: 401, json: { ok: false, error: { code: 'AUTH_REQUIRED' } } });
    expect((await raw('GET', '/api/v1/queue', 'guessed-token-000000000')).status).toBe(401);
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(2);
    expect(JSON.stringify(logs)).not.toContain('guessed-token');
  });

  it('403 for a role or window that is not allowed', async () => {
    expect(await raw('POST', '/api/v1/tickets', DISPLAY, '{"categoryId":"social"}')).toMatchObject({ status: 403, json: { error: { code: 'AUTH_FORBIDDEN' } } });
    expect((await raw('GET', '/api/v1/stats?from=2025-03-03T00:00:00Z&to=2025-03-04T00:00:00Z', KIOSK)).status).toBe(403);
    expect((await raw('POST', '/api/v1/counters/1/call-next', KIOSK, '{}')).status).toBe(403);
    expect((await raw('POST', '/api/v1/counters/2/call-next', COUNTER, '{}')).status).toBe(403); // token bound to window 1
    expect((await raw('POST', '/api/v1/counters/2/call-next', MANAGER, '{}')).status).toBe(200);
    expect(JSON.stringify(logs)).not.toMatch(/-token-/);
  });

  it('the stream refuses a connection without a valid token', async () => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/api/v1/stream?token=nope`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });
});

describe('queue API on a bad-request sweep', () => {
  it.each(['%E0%A4%A', '%', '%ZZ'])('malformed percent-encoding in /api/v1/tickets/%s is 400 BAD_REQUEST, logged as info', async (bad) => {
    const r = await rawHttp(host.port, `GET /api/v1/tickets/${bad} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KIOSK}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('answers an upgrade to any other path with 404 and closes the socket', async () => {
    const r = await rawHttp(host.port, upgradeRequest(host.port, '/api/v1/elsewhere'));
    expect([r.status, r.closed]).toEqual([404, true]);
  });

  it('rebind keeps an open stream on the new engine with a fresh hello', async () => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/api/v1/stream?token=${DISPLAY}`);
    const got: { type: string; number?: string }[] = [];
    ws.on('message', (d) => got.push(JSON.parse(String(d)) as { type: string }));
    await expect.poll(() => got.length).toBe(1);
    const { engine: next } = createTestEngine({ clock });
    host.api.rebind(next, TOKENS);
    await expect.poll(() => got.filter((m) => m.type === 'hello').length).toBe(2);
    const t = next.issueTicket({ categoryId: 'any', source: 'kiosk', deviceId: 'k' });
    next.callNext({ window: '1' });
    await expect.poll(() => got.some((m) => m.type === 'ticket-called' && m.number === t.number)).toBe(true);
    ws.close();
  });
});

describe('queue API validation', () => {
  it('400 with field messages for wrong input, unknown fields and bad JSON', async () => {
    const r = await raw('POST', '/api/v1/tickets', KIOSK, JSON.stringify({ categoryId: 5, idNumber: '12', colour: 'red' }));
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('BAD_REQUEST');
    expect(r.json.error?.fields?.map((f) => f.path).sort()).toEqual(['', 'categoryId', 'idNumber']);
    expect(r.json.error?.message).not.toContain('12'); // input values are not echoed
    expect((await raw('POST', '/api/v1/tickets', KIOSK, '{nope')).json.error?.code).toBe('BAD_REQUEST');
    const rate = await raw('POST', '/api/v1/ratings', KIOSK, JSON.stringify({ level: 9 }));
    expect(rate.json.error?.fields?.map((f) => f.path).sort()).toEqual(['level', 'ticketId']);
    expect((await raw('GET', '/api/v1/stats?from=yesterday&to=now', MANAGER)).status).toBe(400);
    expect((await raw('GET', '/api/v1/nothing', KIOSK)).json.error?.code).toBe('UNKNOWN_REQUEST');
    expect((await raw('POST', '/api/v1/counters/1/dance', COUNTER, '{}')).status).toBe(404);
  });

  it('maps queue rules to codes and statuses', async () => {
    expect(await raw('POST', '/api/v1/tickets', KIOSK, '{"categoryId":"household"}')).toMatchObject({ status: 422, json: { error: { code: 'QUEUE_ID_REQUIRED' } } });
    expect((await raw('POST', '/api/v1/tickets', KIOSK, '{"categoryId":"nope"}')).status).toBe(404);
    expect(await raw('POST', '/api/v1/counters/1/start', COUNTER, '{}')).toMatchObject({ status: 409, json: { error: { code: 'QUEUE_INVALID_STATE' } } });
    expect(await raw('POST', '/api/v1/check-in', KIOSK, '{"code":"ABCD1234"}')).toMatchObject({ status: 503, json: { error: { code: 'NOT_AVAILABLE' } } });
  });
});

describe('queue API operations through RemoteQueueClient', () => {
  it('issues, calls, serves, rates, and reports statistics; host refusals keep their code', async () => {
    const kiosk = client(KIOSK);
    const counter = client(COUNTER);
    const t = await kiosk.issueTicket({ categoryId: 'social', idNumber: '440106199005201234' });
    expect([t.number, t.qrPayload.startsWith('HKT:')]).toEqual(['A001', true]);
    expect((await kiosk.getTicket({ token: t.qrPayload })).id).toBe(t.id);
    expect((await client(DISPLAY).snapshot()).categories[0]?.waiting).toBe(1);
    const called = await counter.callNext({ window: '1' });
    expect(called?.number).toBe('A001');
    await counter.recall({ window: '1' });
    await counter.startService({ window: '1' });
    await counter.finishService({ window: '1', outcome: 'completed' });
    expect(await counter.callNext({ window: '1' })).toBeNull();
    await expect(kiosk.rate({ ticketToken: t.token, level: 1 })).rejects.toMatchObject({ code: 'QUEUE_REASON_REQUIRED' });
    expect((await kiosk.rate({ ticketToken: t.token, level: 1, reason: '材料说明不清' })).followUp).toBe(true);
    const feed = await client(DISPLAY).display();
    expect(feed.calls.map((c) => [c.number, c.window, c.recall])).toEqual([['A001', '1', true], ['A001', '1', false]]);
    const stats = await client(MANAGER).stats({ from: new Date('2025-03-03T00:00:00+08:00'), to: new Date('2025-03-04T00:00:00+08:00') });
    expect(stats.ratings.bad[0]?.reason).toBe('材料说明不清');
    clock.set('2025-03-03T18:00:00+08:00');
    await expect(kiosk.issueTicket({ categoryId: 'social' })).rejects.toMatchObject({ code: 'QUEUE_CLOSED' });
  });

  it('pushes calls and queue changes on the stream within a second', async () => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/api/v1/stream`, { headers: { authorization: `Bearer ${DISPLAY}` } });
    const messages: { type: string; number?: string }[] = [];
    const waitFor = (pred: (m: { type: string; number?: string }) => boolean) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const timer = setTimeout(() => reject(new Error(`no message within 1 s: ${JSON.stringify(messages)}`)), 1000);
        const check = () => {
          if (messages.some(pred)) {
            clearTimeout(timer);
            resolve(performance.now() - started);
          } else setTimeout(check, 5);
        };
        check();
      });
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as { type: string }));
    await waitFor((m) => m.type === 'hello');
    await client(KIOSK).issueTicket({ categoryId: 'any' });
    await waitFor((m) => m.type === 'queue-changed');
    await client(MANAGER).callNext({ window: '4' });
    const ms = await waitFor((m) => m.type === 'ticket-called' && m.number === 'C001');
    expect(ms).toBeLessThan(1000);
    ws.close();
  });

  it('an unreachable or silent host is QUEUE_HOST_UNREACHABLE, never a ticket', async () => {
    const closed = new RemoteQueueClient({ baseUrl: 'http://127.0.0.1:1', token: KIOSK, timeoutMs: 500 });
    await expect(closed.issueTicket({ categoryId: 'social' })).rejects.toMatchObject({ code: 'QUEUE_HOST_UNREACHABLE' });
    const silent = http.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const started = performance.now();
    const err = await new RemoteQueueClient({ baseUrl: `http://127.0.0.1:${port}`, token: KIOSK, timeoutMs: 200, retries: 1 })
      .issueTicket({ categoryId: 'social' })
      .catch((e: unknown) => e);
    expect(isHostError(err, 'QUEUE_HOST_UNREACHABLE')).toBe(true);
    expect(performance.now() - started).toBeLessThan(1500);
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('a lost reply is retried with the same requestId: one ticket on the host, the same one reported', async () => {
    let calls = 0;
    const lossy: typeof fetch = async (input, init) => {
      calls++;
      const res = await fetch(input, init);
      if (calls === 1) {
        await res.text();
        throw new TypeError('fetch failed: connection reset'); // the host committed, the reply was lost
      }
      return res;
    };
    const kiosk = new RemoteQueueClient({ baseUrl: host.url, token: KIOSK, fetch: lossy });
    const t = await kiosk.issueTicket({ categoryId: 'social' });
    expect(calls).toBe(2);
    expect(t.number).toBe('A001');
    const snap = await client(MANAGER).snapshot();
    expect(snap.categories.find((c) => c.id === 'social')?.issuedToday).toBe(1);
  });

  it('a reply that is not a confirmed ticket is not reported as one', async () => {
    const fake: typeof fetch = async () => new Response(JSON.stringify({ ok: true, value: { number: 'A001' } }), { status: 200 });
    await expect(new RemoteQueueClient({ baseUrl: host.url, token: KIOSK, fetch: fake }).issueTicket({ categoryId: 'social' })).rejects.toMatchObject({
      code: 'QUEUE_HOST_UNREACHABLE',
    });
    const html: typeof fetch = async () => new Response('<html>proxy error</html>', { status: 502 });
    await expect(new RemoteQueueClient({ baseUrl: host.url, token: KIOSK, fetch: html }).snapshot()).rejects.toMatchObject({ code: 'QUEUE_HOST_UNREACHABLE' });
  });
});
