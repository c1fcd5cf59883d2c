import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { FollowView } from '../contract/queue-wire.js';
import { createLogger } from '../core/logger.js';
import { startLanServer, type LanServer } from './server.js';
import { rawGet, startTestKiosk, type TestKiosk } from './test-host.js';

/** The ticket follow page's API (/api/v1/follow/<token>) and page route (/t/<token>) on the LAN port. */

const MANAGER = 'test-manager-token-0000001';
const withManager = (c: KioskConfig): KioskConfig => ({ ...c, network: { ...c.network, apiTokens: [{ deviceId: 'm', role: 'manager', token: MANAGER }] } });

let kiosk: TestKiosk;
let lan: LanServer;
beforeEach(async () => {
  kiosk = await startTestKiosk(withManager);
  lan = await startLanServer({ services: kiosk.services, rendererDir: kiosk.rendererDir, port: 0, host: '127.0.0.1', logger: createLogger('follow-test') });
});
afterEach(async () => {
  await lan.close();
  await kiosk.cleanup();
});

type Envelope<T> = { ok: boolean; value?: T; error?: { code: string; message: string } };
async function call<T>(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; json: Envelope<T> }> {
  const res = await fetch(`${lan.url}${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Envelope<T> };
}

const issue = async (idNumber?: string) =>
  (await call<{ number: string; token: string; id: number }>('POST', '/api/v1/tickets', { categoryId: 'social-security', ...(idNumber ? { idNumber } : {}) }, MANAGER)).json.value!;

describe('follow API', () => {
  it('shows position and wait without any identity, and only with the ticket token', async () => {
    const first = await issue('44010419900307001X');
    const second = await issue();
    const r = await call<FollowView>('GET', `/api/v1/follow/${second.token}`);
    expect(r.status).toBe(200);
    expect(r.json.value).toMatchObject({ number: second.number, status: 'waiting', peopleAhead: 1, window: null, windows: ['1', '2', '3'], canRate: false, ratedLevel: null });
    expect(r.json.value!.categoryName['zh-CN']).toBeTruthy();
    const mine = await call<FollowView>('GET', `/api/v1/follow/${first.token}`);
    const text = JSON.stringify(mine.json);
    expect(text).not.toMatch(/44010419900307001X|personKey|person_key|idNumber|token/i);
    expect(Object.keys(mine.json.value!).sort()).toEqual(
      ['canRate', 'categoryName', 'day', 'estimatedWaitMinutes', 'hallName', 'issuedAt', 'number', 'peopleAhead', 'ratedLevel', 'status', 'window', 'windows'].sort(),
    );
    // unknown and malformed tokens: the same 404, no oracle
    for (const bad of ['NoSuchToken0000000000', 'x', 'a.b.c.d.e.f']) {
      const u = await call('GET', `/api/v1/follow/${bad}`);
      expect([u.status, u.json.error?.code], bad).toEqual([404, 'QUEUE_TICKET_UNKNOWN']);
    }
  });

  it('follows the call and takes one 好差评 after service, with a reason for a low level', async () => {
    const t = await issue();
    expect((await call('POST', `/api/v1/follow/${t.token}/rating`, { level: 5 })).status).toBe(409); // not served yet
    await call('POST', '/api/v1/counters/2/call-next', {}, MANAGER);
    expect((await call<FollowView>('GET', `/api/v1/follow/${t.token}`)).json.value).toMatchObject({ status: 'called', window: '2' });
    await call('POST', '/api/v1/counters/2/start', {}, MANAGER);
    await call('POST', '/api/v1/counters/2/finish', { outcome: 'completed' }, MANAGER);
    expect((await call<FollowView>('GET', `/api/v1/follow/${t.token}`)).json.value).toMatchObject({ status: 'done', canRate: true });
    expect((await call('POST', `/api/v1/follow/${t.token}/rating`, { level: 1 })).json.error?.code).toBe('QUEUE_REASON_REQUIRED');
    expect((await call('POST', `/api/v1/follow/${t.token}/rating`, { level: 9 })).status).toBe(400);
    expect((await call('POST', `/api/v1/follow/${t.token}/rating`, { level: 2, reason: '等太久' })).json).toMatchObject({ ok: true, value: { level: 2, followUp: true } });
    expect((await call('POST', `/api/v1/follow/${t.token}/rating`, { level: 5 })).json.error?.code).toBe('QUEUE_ALREADY_RATED');
    expect((await call<FollowView>('GET', `/api/v1/follow/${t.token}`)).json.value).toMatchObject({ canRate: false, ratedLevel: 2 });
  });

  it('serves the page for /t/<token> with no-referrer and no-store, and its assets under /t/assets/', async () => {
    const page = await rawGet(lan.port, '/t/Tk_0123456789abc');
    expect(page.status).toBe(200);
    expect(page.body).toContain('FOLLOW-PAGE');
    expect(page.head).toMatch(/referrer-policy: no-referrer/i);
    expect(page.head).toMatch(/cache-control: no-store/i);
    expect((await rawGet(lan.port, '/t/assets/app.js')).status).toBe(200);
    expect((await rawGet(lan.port, '/t/x')).status).toBe(404);
  });
});
