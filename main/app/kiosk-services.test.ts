import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import type { EventName } from '../contract/index.js';
import { KioskServices } from './kiosk-services.js';

/** The host's services on simulators, without any UI host: what both the Electron and the browser host build. */
describe('KioskServices on simulators', () => {
  let dir: string;
  let services: KioskServices;
  const events: { name: EventName; payload: unknown }[] = [];
  const ctx = { via: 'test' as const, connectionId: 't1' };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-services-'));
    services = await KioskServices.start({ config: loadConfigFile(defaultConfigPath()), configPath: defaultConfigPath(), dataDir: dir, simulate: true, hostKind: 'browser' });
    events.length = 0;
    services.hub.addSink((name, payload) => events.push({ name, payload }));
    services.hub.markReady();
  });

  afterEach(async () => {
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const waitFor = async (name: EventName, ms = 5000) => {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      const e = events.find((x) => x.name === name);
      if (e) return e.payload;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${name} within ${ms} ms`);
  };

  it('keeps its secret key and database in the data dir, the key readable by its owner only', () => {
    expect(statSync(path.join(dir, 'installation.key')).mode & 0o777).toBe(0o600);
    expect(services.health()).toMatchObject({ host: 'browser', simulation: true, storage: { status: 'ok' }, config: { hall: 'conghua-center' } });
  });

  it('turns a simulated card into a masked identity for the UI and keeps the full one in the host only', async () => {
    expect((await services.call('sim.placeCard', { identityId: 'gz-resident-adult' }, ctx)).ok).toBe(true);
    const view = (await waitFor('card-read')) as { maskedName: string; maskedIdNumber: string };
    expect(view).toMatchObject({ maskedName: '张*明', maskedIdNumber: '440104**********17', elderly: false });
    expect(JSON.stringify(events)).not.toContain('440104199003070017');
    expect(services.session.personal()?.idNumber).toBe('440104199003070017');
    const end = await services.call('session.end', { reason: 'timeout' }, ctx);
    expect(end).toEqual({ ok: true, value: { wiped: true } });
    expect(services.session.personal()).toBeUndefined();
    expect((await services.call('session.identity', {}, ctx))).toEqual({ ok: true, value: null });
  });

  it('reports a simulated unplug as offline and recovers after replug by itself', async () => {
    await services.call('sim.unplug', { device: 'receiptPrinter' }, ctx);
    const offline = async () => services.devices.statuses().find((d) => d.id === 'receiptPrinter')!.state;
    for (let i = 0; i < 100 && (await offline()) !== 'offline'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await offline()).toBe('offline');
    await services.call('sim.replug', { device: 'receiptPrinter' }, ctx);
    for (let i = 0; i < 200 && (await offline()) !== 'ok'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await offline()).toBe('ok');
  });

  it('shows a paper-end fault on the device board and /healthz', async () => {
    await services.call('sim.setPrinterFault', { fault: 'paper-end' }, ctx);
    const printer = services.health().devices.find((d) => d.id === 'receiptPrinter')!;
    expect(printer).toMatchObject({ state: 'error', detail: 'paper end' });
    expect(services.health().status).toBe('degraded');
  });

  it('applies a new config without restart and tells the UI', async () => {
    const next = structuredClone(services.currentConfig);
    next.hall.name['zh-CN'] = '从化区江埔街便民服务中心';
    next.hall.level = 'service-center';
    next.queue.categories = next.queue.categories.slice(0, 2);
    services.applyConfig(next, { author: 'test' });
    const pub = (await waitFor('config-changed')) as { hall: { name: { 'zh-CN': string } }; categories: unknown[] };
    expect(pub.hall.name['zh-CN']).toBe('从化区江埔街便民服务中心');
    expect(pub.categories).toHaveLength(2);
    expect(services.queue.snapshot().categories).toHaveLength(2);
  });
});
