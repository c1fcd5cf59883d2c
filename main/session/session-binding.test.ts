import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import type { EventName } from '../contract/index.js';
import type { CallContext } from '../core/dispatcher.js';
import { KioskServices } from '../app/kiosk-services.js';

/**
 * Issue 10 on the host, with the card events coming from the simulated reader through the real driver: the
 * identity belongs to the page session (bridge connection) that said hello, ends with that connection, a reload
 * or the card leaving the reader; tickets are refused while the printer is down when the hall says so; help
 * requests can be cancelled from their own page and their acknowledgement reaches the kiosk.
 */
describe('citizen session bound to the page session', () => {
  let dir: string;
  let services: KioskServices;
  let events: { name: EventName; payload: unknown; to: string }[];
  const pageA: CallContext = { via: 'test', connectionId: 'ws-a' };
  const pageB: CallContext = { via: 'test', connectionId: 'ws-b' };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'session-binding-'));
    const config = loadConfigFile(defaultConfigPath());
    for (const c of config.queue.categories) c.hours = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];
    config.queue.holidays = [];
    services = await KioskServices.start({ config, configPath: defaultConfigPath(), dataDir: dir, simulate: true, hostKind: 'browser' });
    events = [];
    services.hub.addSink((name, payload) => events.push({ name, payload, to: 'ws-a' }), 'ws-a');
  });

  afterEach(async () => {
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const hello = async (ctx: CallContext) => {
    expect((await services.call('app.bootstrap', {}, ctx)).ok).toBe(true);
    expect((await services.call('app.ready', {}, ctx)).ok).toBe(true);
  };
  const until = async (what: () => boolean, ms = 5000) => {
    const t0 = Date.now();
    while (!what()) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const readCard = async (ctx: CallContext) => {
    const before = events.filter((e) => e.name === 'card-read').length;
    await services.call('sim.placeCard', { identityId: 'gz-resident-elderly' }, ctx);
    await until(() => events.filter((e) => e.name === 'card-read').length > before);
  };
  const personKeyOf = (ticketId: number) =>
    (services.db.prepare('SELECT person_key FROM queue_tickets WHERE id = ?').get(ticketId) as { person_key: string | null }).person_key;

  it('another connection never acts under the identity: its ticket is anonymous, the owner gets the person key', async () => {
    await hello(pageA);
    await readCard(pageA);
    expect((await services.call('session.identity', {}, pageB)).ok && (await services.call('session.identity', {}, pageB))).toEqual({ ok: true, value: null });
    const other = await services.call('ticket.take', { categoryId: 'social-security', requestId: 'other-page-0001', lang: 'zh-CN' }, pageB);
    expect(other.ok, JSON.stringify(other)).toBe(true);
    const anon = other.ok ? (other.value as { ticketId: number; priority: string | null }) : undefined;
    expect(personKeyOf(anon!.ticketId)).toBeNull();
    expect(anon!.priority).toBeNull();
    const own = await services.call('ticket.take', { categoryId: 'social-security', requestId: 'owner-page-0001', lang: 'zh-CN' }, pageA);
    const mine = own.ok ? (own.value as { ticketId: number; priority: string | null }) : undefined;
    expect(personKeyOf(mine!.ticketId)).not.toBeNull();
    expect(mine!.priority).toBe('elderly');
  });

  it('another page neither receives the card read nor the scan, nor can it end the citizen\'s session', async () => {
    const other: EventName[] = [];
    services.hub.addSink((name) => other.push(name), 'ws-b');
    await hello(pageB);
    await hello(pageA);
    await readCard(pageA);
    await services.call('sim.scan', { payload: 'AP-20261203-0001' }, pageA);
    await until(() => events.some((e) => e.name === 'code-scanned'));
    expect(other).not.toContain('card-read');
    expect(other).not.toContain('code-scanned');
    expect(await services.call('session.end', { reason: 'timeout' }, pageB)).toEqual({ ok: true, value: { wiped: false } });
    expect(services.session.hasIdentity()).toBe(true);
    expect(await services.call('session.end', { reason: 'timeout' }, pageA)).toEqual({ ok: true, value: { wiped: true } });
    expect(services.session.hasIdentity()).toBe(false);
  });

  it('a reload (a fresh app.bootstrap on the same connection) starts with no identity and gets no stale card-read', async () => {
    await hello(pageA);
    await readCard(pageA);
    services.hub.markNotReady('ws-a');
    // A read that happened while the page was reloading is queued for it...
    await services.call('sim.removeCard', {}, pageA);
    await new Promise((r) => setTimeout(r, 1200));
    await services.call('sim.placeCard', { identityId: 'gz-resident-adult' }, pageA);
    await until(() => services.session.hasIdentity());
    const delivered = events.length;
    await hello(pageA);
    expect(await services.call('session.identity', {}, pageA)).toEqual({ ok: true, value: null });
    expect(services.session.personal('ws-a')).toBeUndefined();
    // ...but the new page never receives it.
    expect(events.slice(delivered).some((e) => e.name === 'card-read')).toBe(false);
  });

  it('the owner connection closing wipes the identity and queues session-ended for a reconnecting page', async () => {
    await hello(pageA);
    await readCard(pageA);
    services.connectionClosed('ws-a');
    expect(services.session.hasIdentity()).toBe(false);
    expect(services.session.ownerConnection).toBeUndefined();
    await services.call('app.ready', {}, pageA);
    expect(events.some((e) => e.name === 'session-ended' && (e.payload as { reason: string }).reason === 'connection-closed')).toBe(true);
  });

  it('the card leaving the reader (the driver\'s card-removed) ends the identity; bootstrap says whether a card lies there', async () => {
    await hello(pageA);
    await readCard(pageA);
    const boot = await services.call('app.bootstrap', {}, pageB);
    expect(boot.ok && (boot.value as { cardOnReader: boolean }).cardOnReader).toBe(true);
    await hello(pageA);
    expect(services.session.hasIdentity()).toBe(false);
    expect(services.session.cardOnReader).toBe(true);
    await services.call('sim.removeCard', {}, pageA);
    await until(() => events.some((e) => e.name === 'card-removed'));
    expect(services.session.cardOnReader).toBe(false);
    await new Promise((r) => setTimeout(r, 600));
    await readCard(pageA);
    expect(services.session.hasIdentity()).toBe(true);
    events = [];
    await services.call('sim.removeCard', {}, pageA);
    await until(() => events.some((e) => e.name === 'card-removed'));
    expect(services.session.hasIdentity()).toBe(false);
    expect(services.session.cardOnReader).toBe(false);
  });

  it('a card left on the reader for more than 3 s after its read keeps the identity (a halted card is not a removed one)', async () => {
    await hello(pageA);
    await readCard(pageA);
    await new Promise((r) => setTimeout(r, 3500));
    expect(events.some((e) => e.name === 'card-removed')).toBe(false);
    expect(services.session.personal('ws-a')).toBeDefined();
    expect(services.session.cardOnReader).toBe(true);
  });

  it('whenPrinterDown refuse: no ticket while the printer is out of paper; screen-ticket (default) still issues', async () => {
    await hello(pageA);
    await services.call('sim.setPrinterFault', { fault: 'paper-end' }, pageA);
    await until(() => services.devices.statuses().find((d) => d.id === 'receiptPrinter')!.state === 'error');
    const issued = await services.call('ticket.take', { categoryId: 'social-security', requestId: 'printer-down-0001', lang: 'zh-CN' }, pageA);
    expect(issued.ok).toBe(true);
    const next = structuredClone(services.currentConfig);
    next.queue.whenPrinterDown = 'refuse';
    services.applyConfig(next, { author: 'test' });
    const refused = await services.call('ticket.take', { categoryId: 'social-security', requestId: 'printer-down-0002', lang: 'zh-CN' }, pageA);
    expect(refused).toMatchObject({ ok: false, error: { code: 'QUEUE_PRINTER_DOWN', detail: { problem: 'paper-end' } } });
    const boot = await services.call('app.bootstrap', {}, pageA);
    expect(boot.ok && (boot.value as { config: { whenPrinterDown: string } }).config.whenPrinterDown).toBe('refuse');
  });

  it('help: cancelled only from the page that raised it; staff acknowledgement reaches the kiosk as help-updated', async () => {
    await hello(pageA);
    const raised = await services.call('help.request', { screen: 'home' }, pageA);
    const id = raised.ok ? (raised.value as { id: number }).id : 0;
    expect(await services.call('help.cancel', { id }, pageB)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const staff: CallContext = { via: 'test', connectionId: 'lan-1' };
    expect((await services.call('auth.signIn', { role: 'manager', pin: '246810' }, staff)).ok).toBe(true);
    expect((await services.call('help.update', { id, status: 'acknowledged' }, staff)).ok).toBe(true);
    await until(() => events.some((e) => e.name === 'help-updated'));
    expect(events.find((e) => e.name === 'help-updated')!.payload).toMatchObject({ id, status: 'acknowledged' });
    expect(await services.call('help.cancel', { id }, pageA)).toMatchObject({ ok: true, value: { id, status: 'closed' } });
  });
});
