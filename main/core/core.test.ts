import { describe, expect, it } from 'vitest';
import { DriverError } from '../../drivers/errors.js';
import { HostError } from '../errors.js';
import { RequestDispatcher, type Handlers } from './dispatcher.js';
import { EventHub } from './event-hub.js';
import { createLogger, recentLogs } from './logger.js';
import { redactString, redactValue } from './redact.js';

const logger = createLogger('test');

function dispatcher(over: Partial<Handlers>, simulation = true) {
  return new RequestDispatcher({ handlers: over as Handlers, demo: () => simulation, logger });
}
const ctx = { via: 'test' as const, connectionId: 'c1' };

describe('RequestDispatcher', () => {
  it('refuses unknown requests and invalid input with coded errors and field paths', async () => {
    const d = dispatcher({ 'session.end': () => ({ wiped: true }) });
    expect(await d.dispatch('no.such', {}, ctx)).toEqual({ ok: false, error: { code: 'UNKNOWN_REQUEST', message: 'unknown request no.such' } });
    const bad = await d.dispatch('session.end', { reason: 'bored' }, ctx);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('BAD_REQUEST');
      expect(bad.error.fields?.[0]?.path).toBe('reason');
    }
    const extra = await d.dispatch('session.end', { reason: 'done', sneaky: 1 }, ctx);
    expect(!extra.ok && extra.error.code).toBe('BAD_REQUEST');
    expect(await d.dispatch('session.end', { reason: 'done' }, ctx)).toEqual({ ok: true, value: { wiped: true } });
  });

  it('allows simulator requests only in demo mode', async () => {
    const handlers = { 'sim.removeCard': () => ({ identities: [], appointments: [], cardPresent: null, printerFault: 'none' as const, unplugged: [] }) };
    expect((await dispatcher(handlers, false).dispatch('sim.removeCard', {}, ctx)).ok).toBe(false);
    expect((await dispatcher(handlers, true).dispatch('sim.removeCard', {}, ctx)).ok).toBe(true);
  });

  it('turns coded errors into envelopes and hides unexpected ones as INTERNAL', async () => {
    const d = dispatcher({
      'session.end': () => {
        throw new DriverError('PRINTER_PAPER_END', 'paper end');
      },
      'session.identity': () => {
        throw new HostError('QUEUE_CLOSED', 'closed');
      },
      'devices.list': () => {
        throw new TypeError('boom at 440104199003070017');
      },
    });
    expect(await d.dispatch('session.end', { reason: 'done' }, ctx)).toEqual({ ok: false, error: { code: 'PRINTER_PAPER_END', message: 'paper end' } });
    expect(await d.dispatch('session.identity', {}, ctx)).toEqual({ ok: false, error: { code: 'QUEUE_CLOSED', message: 'closed' } });
    expect(await d.dispatch('devices.list', {}, ctx)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
    // The crash is logged, redacted.
    const line = recentLogs({ sub: 'test' }).at(-1)!;
    expect(JSON.stringify(line)).not.toContain('440104199003070017');
  });
});

it('passes only flat, short facts of an error detail to the UI', async () => {
  const d = dispatcher({
    'session.identity': () => {
      throw new HostError('AUTH_WRONG_PIN', 'wrong PIN', { detail: { attemptsLeft: 3, locked: false, note: 'short', nested: { x: 1 }, long: 'x'.repeat(41) } });
    },
  });
  expect(await d.dispatch('session.identity', {}, ctx)).toEqual({
    ok: false,
    error: { code: 'AUTH_WRONG_PIN', message: 'wrong PIN', detail: { attemptsLeft: 3, locked: false, note: 'short' } },
  });
});

describe('EventHub', () => {
  it('queues events until the UI is ready, then delivers them in order', () => {
    const hub = new EventHub();
    const got: string[] = [];
    hub.emit('card-removed', {});
    hub.addSink((name) => got.push(name));
    hub.emit('session-ended', { reason: 'timeout' });
    expect(got).toEqual([]);
    expect(hub.markReady()).toBe(2);
    expect(got).toEqual(['card-removed', 'session-ended']);
    hub.emit('card-removed', {});
    expect(got).toHaveLength(3);
  });

  it('bounds the queue and counts what it dropped', () => {
    const hub = new EventHub(3);
    for (let i = 0; i < 5; i++) hub.emit('card-removed', {});
    expect(hub.stats).toEqual({ queued: 3, dropped: 2, ready: false });
  });
});

describe('redaction', () => {
  it('masks 18- and 15-digit ID numbers in text, keeps other numbers', () => {
    expect(redactString('id 44010419900307001X read')).toBe('id 440104************ read');
    expect(redactString('legacy 440104900307001')).toBe('legacy 440104*********');
    expect(redactString('ticket A012, 2026-11-23, port 9100, 12345678')).toBe('ticket A012, 2026-11-23, port 9100, 12345678');
  });

  it('drops values under personal keys and bytes, at any depth', () => {
    const v = redactValue({ a: { name: '张三明', idNumber: '440104199003070017', photo: new Uint8Array(1024) }, ok: 1, raw: Buffer.alloc(3) });
    expect(v).toEqual({ a: { name: '[redacted]', idNumber: '[redacted]', photo: '[redacted]' }, ok: 1, raw: '[3 bytes]' });
  });
});
