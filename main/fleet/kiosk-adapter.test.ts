import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskServices } from '../app/kiosk-services.js';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import type { FleetAnswer } from '../contract/fleet.js';
import { createLogger } from '../core/logger.js';
import { staffOf } from '../staff/staff-service.js';
import { generateFleetKeyPair, loadPrivateKey, signConfig } from './signing.js';
import { startFleetAgent, type FleetHandle } from './start-fleet.js';
import { requestReply, startTestBroker, until, type TestBroker } from './test-broker.js';
import { personalNeedles } from './test-needles.js';

/**
 * The agent on the real host (KioskServices in demo mode on simulators) against a real Mosquitto: the kiosk
 * appears with its devices, a printer paper-out raises and clears an alert, a signed config is stored as a
 * "fleet" version and applied live, and no payload — bundle included — carries a sample person's data.
 */
let broker: TestBroker;
let services: KioskServices;
let fleet: FleetHandle;
let observer: MqttClient;
let dir: string;
const keys = generateFleetKeyPair();
const published: { topic: string; payload: Buffer }[] = [];
const ctx = { via: 'test' as const, connectionId: 'fleet-test' };
let restarts = 0;

const json = (topic: string) => published.filter((m) => m.topic === topic).map((m) => JSON.parse(m.payload.toString()) as Record<string, unknown>);

const request = (body: unknown): Promise<FleetAnswer> => requestReply(observer, 'hk/v1/conghua-center/kiosk-01/cmd', body);

beforeAll(async () => {
  broker = await startTestBroker();
  observer = await connectAsync(broker.url, { protocolVersion: 5, clientId: 'observer' });
  observer.on('message', (topic, payload) => published.push({ topic, payload }));
  await observer.subscribeAsync('hk/#', { qos: 1 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-fleet-'));
  const config = loadConfigFile(defaultConfigPath());
  for (const c of config.queue.categories) c.hours = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];
  config.fleet = { url: broker.url, topicPrefix: 'hk/v1', statsIntervalS: 10, offlineQueueMax: 100, publicKey: keys.publicKeyPem, region: '广州市从化区' };
  services = await KioskServices.start({ config, configPath: defaultConfigPath(), dataDir: dir, simulate: true, hostKind: 'browser' });
  fleet = startFleetAgent(services, { logger: createLogger('fleet'), restart: () => restarts++ })!;
  await fleet.agent.connected;
}, 30_000);

afterAll(async () => {
  await fleet?.stop();
  await services?.stop();
  await observer?.endAsync();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('fleet agent on the real kiosk host', () => {
  it('appears with its devices; a printer paper-out raises an alert that clears when refilled', async () => {
    const status = await until('online status with devices', () =>
      json('hk/v1/conghua-center/kiosk-01/status').find((s) => s.online === true && (s.devices as Record<string, { state: string }>).receiptPrinter?.state === 'ok'),
    );
    expect(Object.keys(status.devices as object).sort()).toEqual(['a4Printer', 'callDisplay', 'idCard', 'receiptPrinter', 'scanner']);
    expect(status.configVersion).toEqual(expect.any(Number));
    expect(status).toMatchObject({ region: '广州市从化区', hallName: '从化区政务服务中心' });

    await services.call('sim.setPrinterFault', { fault: 'paper-end' }, ctx);
    const alert = await until('paper out alert', () => json('hk/v1/conghua-center/kiosk-01/alert').find((a) => a.code === 'PAPER_OUT' && a.resolved === false));
    await services.call('sim.setPrinterFault', { fault: 'none' }, ctx);
    await until('paper out resolved', () => json('hk/v1/conghua-center/kiosk-01/alert').find((a) => a.id === alert.id && a.resolved === true));
  }, 20_000);

  it('stores a signed fleet config as a version by "fleet", applies it live, and refuses an unsigned one', async () => {
    const staff = staffOf(services);
    const before = staff.versions.list().length;
    const unsigned = await request({ name: 'config.apply', config: { name: 'unsigned push' }, version: 1 });
    expect(unsigned).toMatchObject({ ok: false, error: { code: 'FLEET_CONFIG_UNSIGNED' } });
    expect(staff.versions.list()).toHaveLength(before);

    const push = { name: '从化区政务服务中心 (fleet v1)', announcements: [{ id: 'fleet-notice', text: { 'zh-CN': '今日系统升级', 'zh-HK': '今日系統升級', en: 'Upgrade today' } }] };
    const answer = await request({ name: 'config.apply', config: push, version: 1, signature: signConfig(loadPrivateKey(keys.privateKeyPem), push, 1) });
    expect(answer).toMatchObject({ ok: true, value: { fleetVersion: 1 } });
    expect(services.currentConfig.name).toBe(push.name);
    expect(services.currentConfig.announcements.map((a) => a.id)).toEqual(['fleet-notice']);
    expect(services.currentConfig.fleet?.url).toBe(broker.url);
    const latest = staff.versions.list()[0]!;
    expect(latest.author).toBe('fleet');
    expect(staff.versions.currentId()).toBe(latest.id);
    await until('status with fleet version', () => json('hk/v1/conghua-center/kiosk-01/status').find((s) => s.fleetConfigVersion === 1 && s.configVersion === latest.id));
  });

  it('sends no personal data over MQTT after card reads, tickets, a help request and a diagnostic bundle', async () => {
    for (const id of ['gz-resident-adult', 'gz-resident-elderly']) {
      await services.call('sim.placeCard', { identityId: id }, ctx);
      await until('card read', () => services.session.personal());
      const t = await services.call('ticket.take', { categoryId: 'social-security', requestId: `fleet-${id}`, lang: 'zh-CN' }, ctx);
      expect(t.ok, JSON.stringify(t)).toBe(true);
      await services.call('sim.removeCard', {}, ctx);
      await services.call('session.end', { reason: 'done' }, ctx);
      await new Promise((r) => setTimeout(r, 1200));
    }
    await services.call('help.request', { screen: 'home' }, ctx);
    const stats = fleet.agent.statsMessage();
    expect(stats.tickets['social-security']).toBe(2);
    expect(stats.helpRequests).toBe(1);
    const bundle = await request({ name: 'bundle.request' });
    expect(bundle.ok).toBe(true);
    const tar = bundle.ok ? gunzipSync(Buffer.from((bundle.value as { data: string }).data, 'base64')) : Buffer.alloc(0);
    expect(tar.toString('latin1')).toContain('config.json');
    expect(await request({ name: 'restart', at: new Date(Date.now() + 3_600_000).toISOString() })).toMatchObject({ ok: true });

    const needles = personalNeedles();
    expect(needles.length).toBeGreaterThan(8);
    const all = Buffer.concat([...published.flatMap((m) => [Buffer.from(m.topic), m.payload]), tar]);
    expect(published.length).toBeGreaterThan(5);
    for (const s of needles) {
      expect(all.includes(Buffer.from(s, 'utf8')), `MQTT carried "${s.slice(0, 2)}…"`).toBe(false);
      expect(all.includes(Buffer.from(s, 'utf16le')), `MQTT carried "${s.slice(0, 2)}…" (UTF-16)`).toBe(false);
    }
    expect(restarts).toBe(0);
  }, 20_000);
});
