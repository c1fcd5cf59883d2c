import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CountersSchema } from '../../kiosk-config/counters.js';
import { isHostError } from '../errors.js';
import { createQueueApi } from '../queue/api.js';
import { createTestEngine, ManualClock } from '../queue/test-kit.js';
import {
  COUNTER_MAX_FAILED,
  counterLockMinutes,
  CounterSessions,
  createCounterSessionGate,
  formatPinHash,
  hashCounterPin,
  parsePinHash,
} from './counter-sessions.js';

/** A PIN check without scrypt's cost: the stored "hash" is the PIN (only for the lockout tests). */
const fakeVerify = async (pin: string, stored: { hash: string }) => stored.hash === Buffer.from(pin).toString('hex').padEnd(64, '0');
const fakeHash = (pin: string) => `scrypt$15$8$1$${'0'.repeat(32)}$${Buffer.from(pin).toString('hex').padEnd(64, '0')}`;

function lines() {
  const out: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: object, msg?: string) => void out.push({ level, fields: fields as Record<string, unknown>, msg: msg ?? '' });
  return { out, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isHostError(e)) return e.code;
    throw e;
  }
}

describe('counter PIN hashes', () => {
  it('hashes with scrypt into the config text form, verifies the right PIN only, and the config schema accepts it', async () => {
    const text = await hashCounterPin('2468');
    expect(text).toMatch(/^scrypt\$15\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(formatPinHash(parsePinHash(text))).toBe(text);
    expect(CountersSchema.parse([{ window: '3', pinHash: text }])).toHaveLength(1);
    const sessions = new CounterSessions({ counters: () => [{ window: '3', pinHash: text }] });
    expect((await sessions.signIn('3', '2468', 'test')).window).toBe('3');
    expect(await codeOf(sessions.signIn('3', '2469', 'test'))).toBe('AUTH_WRONG_PIN');
    // a new salt each time
    expect(await hashCounterPin('2468')).not.toBe(text);
  });

  it('refuses PINs that are not 4-8 digits and hashes that are not scrypt text', async () => {
    expect(await codeOf(hashCounterPin('12'))).toBe('AUTH_PIN_WEAK');
    expect(await codeOf(hashCounterPin('12a4'))).toBe('AUTH_PIN_WEAK');
    expect(() => parsePinHash('2468')).toThrow(/scrypt/);
    expect(CountersSchema.safeParse([{ window: '3', pinHash: 'plain-2468' }]).success).toBe(false);
    const dup = CountersSchema.safeParse([{ window: '3', pinHash: fakeHash('1111') }, { window: '3', pinHash: fakeHash('2222') }]);
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]?.message).toMatch(/listed twice/);
  });
});

describe('CounterSessions lockout (injected clock)', () => {
  let now = Date.parse('2025-03-03T09:00:00+08:00');
  const clock = () => now;
  const make = (log = lines()) =>
    new CounterSessions({ counters: () => [{ window: '1', pinHash: fakeHash('2468') }, { window: '2', pinHash: fakeHash('1357') }], now: clock, verify: fakeVerify, logger: log.logger });

  it('locks a window after five wrong PINs, for 1, 2, 4 … minutes, and only that window', async () => {
    now = Date.parse('2025-03-03T09:00:00+08:00');
    const log = lines();
    const s = make(log);
    const codes: string[] = [];
    for (let i = 0; i < COUNTER_MAX_FAILED; i++) codes.push(await codeOf(s.signIn('1', '0000', '10.0.0.9')));
    expect(codes).toEqual(['AUTH_WRONG_PIN', 'AUTH_WRONG_PIN', 'AUTH_WRONG_PIN', 'AUTH_WRONG_PIN', 'AUTH_LOCKED']);
    // locked: even the right PIN is refused, another window is not affected
    expect(await codeOf(s.signIn('1', '2468', '10.0.0.9'))).toBe('AUTH_LOCKED');
    expect(s.lockedFor('1')).toBe(60);
    expect(await codeOf(s.signIn('2', '1357', '10.0.0.9'))).toBe('ok');
    // one minute later it opens; five more wrong PINs lock it for two minutes
    now += 60_000;
    for (let i = 0; i < 4; i++) expect(await codeOf(s.signIn('1', '9999', 'x'))).toBe('AUTH_WRONG_PIN');
    expect(await codeOf(s.signIn('1', '9999', 'x'))).toBe('AUTH_LOCKED');
    expect(s.lockedFor('1')).toBe(120);
    now += 119_000;
    expect(await codeOf(s.signIn('1', '2468', 'x'))).toBe('AUTH_LOCKED');
    now += 1_000;
    expect(await codeOf(s.signIn('1', '2468', 'x'))).toBe('ok');
    // the log has window, origin and outcome, never the PIN
    const strings = log.out.flatMap((l) => [l.msg, ...Object.keys(l.fields), ...Object.values(l.fields).filter((v) => typeof v === 'string')]);
    expect(strings.join(' ')).not.toMatch(/2468|0000|9999|1357/);
    expect(log.out.every((l) => !('pin' in l.fields))).toBe(true);
    expect(log.out.some((l) => l.fields.outcome === 'locked' && l.fields.window === '1')).toBe(true);
    expect(log.out.filter((l) => l.fields.outcome === 'wrong-pin')).toHaveLength(8);
  });

  it('counts parallel guesses: they are serialised per window', async () => {
    now = Date.parse('2025-03-03T09:00:00+08:00');
    const s = make();
    const codes = await Promise.all(Array.from({ length: 7 }, () => codeOf(s.signIn('1', '0000', 'x'))));
    expect(codes.filter((c) => c === 'AUTH_WRONG_PIN')).toHaveLength(4);
    expect(codes.filter((c) => c === 'AUTH_LOCKED')).toHaveLength(3);
  });

  it('grows the lock to a day at most and resets it after a successful sign-in', async () => {
    expect([1, 2, 3, 4, 5].map(counterLockMinutes)).toEqual([1, 2, 4, 8, 16]);
    expect(counterLockMinutes(30)).toBe(24 * 60);
    now = Date.parse('2025-03-03T09:00:00+08:00');
    const s = make();
    for (let i = 0; i < 5; i++) await codeOf(s.signIn('1', '0000', 'x'));
    now += 60_000;
    expect(await codeOf(s.signIn('1', '2468', 'x'))).toBe('ok');
    for (let i = 0; i < 5; i++) await codeOf(s.signIn('1', '0000', 'x'));
    expect(s.lockedFor('1')).toBe(60); // back to the first lock length
  });

  it('binds a token to its window and expires it', async () => {
    now = Date.parse('2025-03-03T09:00:00+08:00');
    const s = new CounterSessions({ counters: () => [{ window: '1', pinHash: fakeHash('2468') }], now: clock, verify: fakeVerify, ttlMs: 30 * 60_000 });
    const signed = await s.signIn('1', '2468', 'x');
    expect(signed.token).toMatch(/^[\w-]{32}$/);
    expect(signed.expiresAt).toBe(now + 30 * 60_000);
    expect(s.resolve(signed.token)).toEqual({ window: '1', expiresAt: signed.expiresAt });
    expect(s.resolve(signed.token + 'x')).toBeUndefined();
    now += 30 * 60_000;
    expect(s.resolve(signed.token)).toBeUndefined();
    expect(await codeOf(s.signIn('7', '2468', 'x'))).toBe('AUTH_NOT_CONFIGURED');
  });
});

describe('counter session gate in front of the queue API', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('signs in over HTTP and lets the session operate its own window only', async () => {
    const clock = new ManualClock('2025-03-03T10:00:00+08:00');
    const { engine } = createTestEngine({ clock });
    const sessions = new CounterSessions({ counters: () => [{ window: '1', pinHash: fakeHash('2468') }], now: () => clock.now().getTime(), verify: fakeVerify });
    const gate = createCounterSessionGate(sessions);
    const api = createQueueApi({ engine, tokens: gate.apiTokens() });
    server = http.createServer((req, res) => {
      if (gate.handle(req, res)) return;
      gate.translate(req);
      if (!api.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (path: string, body: unknown, token?: string) =>
      fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

    const wrong = await post('/api/v1/counter-sessions', { window: '1', pin: '1111' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('AUTH_WRONG_PIN');

    const ok = await post('/api/v1/counter-sessions', { window: '1', pin: '2468' });
    const { value } = (await ok.json()) as { value: { token: string; window: string; expiresAt: string } };
    expect(value.window).toBe('1');
    engine.issueTicket({ categoryId: 'social', source: 'api', deviceId: 't' });
    const call = await post('/api/v1/counters/1/call-next', {}, value.token);
    expect(call.status).toBe(200);
    expect(((await call.json()) as { value: { ticket: { number: string } } }).value.ticket.number).toBe('A001');
    const other = await post('/api/v1/counters/2/call-next', {}, value.token);
    expect(other.status).toBe(403);
    const unknown = await post('/api/v1/counters/1/call-next', {}, 'not-a-session-token');
    expect(unknown.status).toBe(401);

    const out = await fetch(base + '/api/v1/counter-sessions', { method: 'DELETE', headers: { authorization: `Bearer ${value.token}` } });
    expect(out.status).toBe(200);
    expect((await post('/api/v1/counters/1/recall', {}, value.token)).status).toBe(401);
  });
});
