import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../drivers/log.js';
import { FleetAlertSchema, FleetStatsSchema, FleetStatusSchema, type FleetAnswer } from '../contract/fleet.js';
import { FleetAgent, type FleetAgentOptions } from './agent.js';
import { generateFleetKeyPair, loadPrivateKey, loadPublicKey, signConfig } from './signing.js';
import { SimulatedKiosk } from './simulated-kiosk.js';
import { requestReply, startCuttableLink, startTestBroker, until, type TestBroker } from './test-broker.js';
import { personalNeedles } from './test-needles.js';

// The agent against a real Mosquitto (a private instance on a free 127.0.0.1 port).

let broker: TestBroker;
const keys = generateFleetKeyPair();
const published: { topic: string; payload: string }[] = [];
let observer: MqttClient;
const agents: FleetAgent[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  observer = await connectAsync(broker.url, { protocolVersion: 5, clientId: 'observer', reconnectPeriod: 200 });
  observer.on('message', (topic, payload) => published.push({ topic, payload: payload.toString() }));
  await observer.subscribeAsync('hk/#', { qos: 1 });
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
});

afterAll(async () => {
  await observer.endAsync();
  await broker.stop();
});

function startAgent(kiosk: SimulatedKiosk, extra: Partial<FleetAgentOptions> = {}): FleetAgent {
  const agent = new FleetAgent({
    url: broker.url,
    topicPrefix: 'hk/v1',
    statsIntervalS: 3600,
    offlineQueueMax: 50,
    publicKey: loadPublicKey(keys.publicKeyPem),
    facts: kiosk,
    control: kiosk,
    logger: silentLogger,
    backoff: { minMs: 50, maxMs: 200 },
    statusDebounceMs: 10,
    ...extra,
  });
  agents.push(agent);
  agent.start();
  return agent;
}

const on = (topic: string) => published.filter((m) => m.topic === topic).map((m) => JSON.parse(m.payload) as Record<string, unknown>);

const request = (topic: string, body: unknown): Promise<FleetAnswer> => requestReply(observer, topic, body);

describe('fleet agent against Mosquitto', () => {
  it('publishes a retained status with devices, republishes on change, and its Last Will says offline when killed', async () => {
    const kiosk = new SimulatedKiosk({ hallId: 'hall-a', kioskId: 'k1' });
    const agent = startAgent(kiosk);
    await agent.connected;
    const first = await until('status', () => on('hk/v1/hall-a/k1/status')[0]);
    const status = FleetStatusSchema.parse(first);
    expect(status.online).toBe(true);
    if (!status.online) throw new Error('unreachable');
    expect(status.devices.receiptPrinter?.state).toBe('ok');
    expect(status.configVersion).toBe(1);

    kiosk.setDevice('receiptPrinter', 'error', 'paper end');
    const changed = await until('changed status', () => on('hk/v1/hall-a/k1/status').find((s) => (s.devices as Record<string, { detail: string }> | undefined)?.receiptPrinter?.detail === 'paper end'));
    expect(changed.online).toBe(true);

    // A new subscriber gets the retained status at once.
    const late = await connectAsync(broker.url, { protocolVersion: 5, clientId: 'late' });
    const retained = new Promise<{ online: boolean; retain: boolean }>((resolve) =>
      late.on('message', (_t, p, packet) => resolve({ ...(JSON.parse(p.toString()) as { online: boolean }), retain: packet.retain })),
    );
    await late.subscribeAsync('hk/v1/hall-a/k1/status');
    expect(await retained).toMatchObject({ online: true, retain: true });
    await late.endAsync();

    agents.splice(agents.indexOf(agent), 1);
    await agent.kill();
    const will = await until('last will', () => on('hk/v1/hall-a/k1/status').find((s) => s.online === false));
    expect(FleetStatusSchema.parse(will)).toMatchObject({ online: false });
  });

  it('raises alerts with an id and resolves them with the same id (paper out, cover open, offline, queue host, storage, read failures)', async () => {
    const kiosk = new SimulatedKiosk({ hallId: 'hall-a', kioskId: 'k2' });
    const agent = startAgent(kiosk);
    await agent.connected;
    const alerts = () => on('hk/v1/hall-a/k2/alert').map((a) => FleetAlertSchema.parse(a));

    kiosk.setDevice('receiptPrinter', 'error', 'paper end');
    const out = await until('paper out', () => alerts().find((a) => a.code === 'PAPER_OUT' && !a.resolved));
    expect(out).toMatchObject({ device: 'receiptPrinter', severity: 'critical' });
    kiosk.setDevice('receiptPrinter', 'warning', 'paper near end');
    await until('paper out resolved', () => alerts().find((a) => a.id === out.id && a.resolved));
    await until('near end', () => alerts().find((a) => a.code === 'PAPER_NEAR_END' && !a.resolved));
    kiosk.setDevice('receiptPrinter', 'error', 'cover open');
    await until('cover open', () => alerts().find((a) => a.code === 'COVER_OPEN'));
    kiosk.setDevice('idCard', 'offline', 'disconnected');
    await until('device offline', () => alerts().find((a) => a.code === 'DEVICE_OFFLINE' && a.device === 'idCard'));
    kiosk.setHealth({ queueReachable: false, storage: 'error' });
    await until('queue + storage', () => alerts().some((a) => a.code === 'QUEUE_HOST_UNREACHABLE') && alerts().some((a) => a.code === 'STORAGE_ERROR'));
    kiosk.read('idCard', false);
    kiosk.read('idCard', false);
    expect(alerts().some((a) => a.code === 'READ_FAILURES')).toBe(false);
    kiosk.read('idCard', false);
    const rf = await until('read failures', () => alerts().find((a) => a.code === 'READ_FAILURES'));
    kiosk.read('idCard', true);
    await until('read failures resolved', () => alerts().find((a) => a.id === rf.id && a.resolved));
    kiosk.setHealth({ queueReachable: true, storage: 'ok' });
    kiosk.setDevice('idCard', 'ok', 'ready');
    kiosk.setDevice('receiptPrinter', 'ok', 'ready');
    await until('all resolved', () => {
      const list = alerts();
      const opened = new Set(list.filter((a) => !a.resolved).map((a) => a.id));
      const closed = new Set(list.filter((a) => a.resolved).map((a) => a.id));
      return opened.size >= 7 && [...opened].every((id) => closed.has(id));
    });
    expect(agent.openAlerts()).toEqual([]);
  });

  it('answers ping, bundle.request, restart and bad requests on the Response Topic with the Correlation Data', async () => {
    const kiosk = new SimulatedKiosk({ hallId: 'hall-a', kioskId: 'k3' });
    const agent = startAgent(kiosk);
    await agent.connected;
    await until('subscribed', () => on('hk/v1/hall-a/k3/status')[0]);
    const ping = await request('hk/v1/hall-a/k3/cmd', { name: 'ping' });
    expect(ping).toMatchObject({ ok: true, value: { pong: true } });
    const bundle = await request('hk/v1/hall-a/k3/cmd', { name: 'bundle.request' });
    expect(bundle.ok).toBe(true);
    if (bundle.ok) expect(Buffer.from((bundle.value as { data: string }).data, 'base64').toString()).toContain('simulated bundle of k3');
    const at = new Date(Date.now() + 3600_000).toISOString();
    expect(await request('hk/v1/hall-a/k3/cmd', { name: 'restart', at })).toEqual({ ok: true, value: { scheduledAt: at } });
    expect(kiosk.restarts.map((d) => d.toISOString())).toEqual([at]);
    const past = await request('hk/v1/hall-a/k3/cmd', { name: 'restart', at: '2001-01-01T00:00:00Z' });
    expect(past).toMatchObject({ ok: false, error: { code: 'FLEET_RESTART_REFUSED' } });
    expect(await request('hk/v1/hall-a/k3/cmd', { name: 'format-disk' })).toMatchObject({ ok: false, error: { code: 'FLEET_BAD_REQUEST' } });
  });

  it('applies a signed config live as a fleet version; refuses unsigned, forged, stale and invalid ones without change; rolls back on a failed self-check', async () => {
    const kiosk = new SimulatedKiosk({
      hallId: 'hall-a',
      kioskId: 'k4',
      selfCheck: (c) => (c.announcements.some((a) => a.id === 'breaks-self-check') ? ['queue: cannot open'] : []),
    });
    const agent = startAgent(kiosk);
    await agent.connected;
    await until('subscribed', () => on('hk/v1/hall-a/k4/status')[0]);
    const priv = loadPrivateKey(keys.privateKeyPem);
    const config = { announcements: [{ id: 'fleet-1', text: { 'zh-CN': '系统维护通知', 'zh-HK': '系統維護通知', en: 'Maintenance notice' } }] };
    const cmd = 'hk/v1/hall-a/k4/cmd';

    const unsigned = await request(cmd, { name: 'config.apply', config, version: 5 });
    expect(unsigned).toMatchObject({ ok: false, error: { code: 'FLEET_CONFIG_UNSIGNED' } });
    const forged = await request(cmd, { name: 'config.apply', config: { ...config, name: 'evil' }, version: 5, signature: signConfig(priv, config, 5) });
    expect(forged).toMatchObject({ ok: false, error: { code: 'FLEET_CONFIG_BAD_SIGNATURE' } });
    const other = generateFleetKeyPair();
    const otherKey = await request(cmd, { name: 'config.apply', config, version: 5, signature: signConfig(loadPrivateKey(other.privateKeyPem), config, 5) });
    expect(otherKey).toMatchObject({ ok: false, error: { code: 'FLEET_CONFIG_BAD_SIGNATURE' } });
    const invalid = { kiosk: { idle: { timeoutSeconds: 5 } } };
    const bad = await request(cmd, { name: 'config.apply', config: invalid, version: 5, signature: signConfig(priv, invalid, 5) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'FLEET_CONFIG_INVALID' } });
    if (!bad.ok) expect(bad.error.message).toContain('kiosk.idle');
    const wrongHall = { hall: { ...kiosk.currentConfig().hall, id: 'hall-b' } };
    expect(await request(cmd, { name: 'config.apply', config: wrongHall, version: 5, signature: signConfig(priv, wrongHall, 5) })).toMatchObject({
      ok: false,
      error: { code: 'FLEET_CONFIG_WRONG_TARGET' },
    });
    expect(kiosk.versions).toHaveLength(1);

    // A push may not touch the kiosk's own sections: network tokens (and devices, fleet) stay as they run.
    const tokensBefore = JSON.stringify(kiosk.currentConfig().network);
    const sneaky = { ...config, network: { queue: { role: 'host' }, apiTokens: [{ deviceId: 'evil', role: 'manager', token: 'evil-token-0000000001' }], counters: [] } };
    const good = await request(cmd, { name: 'config.apply', config: sneaky, version: 5, signature: signConfig(priv, sneaky, 5) });
    expect(good).toEqual({ ok: true, value: { versionId: 2, fleetVersion: 5, restartNeededFor: [] } });
    expect(JSON.stringify(kiosk.currentConfig().network)).toBe(tokensBefore);
    expect(kiosk.versions[1]).toMatchObject({ origin: 'fleet', fleetVersion: 5 });
    expect(kiosk.currentConfig().announcements.map((a) => a.id)).toEqual(['fleet-1']);
    expect(kiosk.currentConfig().kiosk.id).toBe('k4');
    await until('status shows the fleet version', () => on('hk/v1/hall-a/k4/status').find((s) => s.fleetConfigVersion === 5));

    const replay = await request(cmd, { name: 'config.apply', config, version: 5, signature: signConfig(priv, config, 5) });
    expect(replay).toMatchObject({ ok: false, error: { code: 'FLEET_CONFIG_STALE' } });

    const breaking = { announcements: [{ id: 'breaks-self-check', text: { 'zh-CN': '测试', 'zh-HK': '測試', en: 'test' } }] };
    const rolled = await request(cmd, { name: 'config.apply', config: breaking, version: 6, signature: signConfig(priv, breaking, 6) });
    expect(rolled).toMatchObject({ ok: false, error: { code: 'FLEET_CONFIG_SELF_CHECK_FAILED' } });
    expect(kiosk.versions.map((v) => v.origin)).toEqual(['file', 'fleet', 'fleet', 'fleet-rollback']);
    expect(kiosk.currentConfig().announcements.map((a) => a.id)).toEqual(['fleet-1']);
    await until('rollback alert', () => on('hk/v1/hall-a/k4/alert').find((a) => a.code === 'CONFIG_ROLLED_BACK'));
  });

  it('keeps alerts and stats in a bounded queue while the broker is away and sends them on reconnect', async () => {
    const link = await startCuttableLink(broker.port);
    const kiosk = new SimulatedKiosk({ hallId: 'hall-a', kioskId: 'k5' });
    const agent = startAgent(kiosk, { url: link.url });
    await agent.connected;
    await until('first stats', () => on('hk/v1/hall-a/k5/stats')[0]);
    link.cut();
    await until('agent sees the cut', () => !agent.isConnected);
    // The cut is abrupt: the broker publishes the Last Will.
    await until('offline by will', () => on('hk/v1/hall-a/k5/status').find((s) => s.online === false));
    kiosk.setDevice('receiptPrinter', 'error', 'paper end');
    kiosk.setDevice('receiptPrinter', 'ok', 'ready');
    expect(agent.queuedCount).toBe(2);
    expect(on('hk/v1/hall-a/k5/alert')).toEqual([]);
    link.heal();
    const delivered = await until('queued alerts delivered', () => {
      const a = on('hk/v1/hall-a/k5/alert');
      return a.length === 2 ? a : undefined;
    });
    expect(delivered.map((a) => [a.code, a.resolved])).toEqual([['PAPER_OUT', false], ['PAPER_OUT', true]]);
    await until('online again', () => on('hk/v1/hall-a/k5/status').at(-1)?.online === true);
    expect(FleetStatsSchema.parse(on('hk/v1/hall-a/k5/stats')[0])).toMatchObject({ prints: 0 });
    await link.close();
  });

  // The simulated kiosk here holds no person, so this only guards the agent's own payloads (no ID-number shape, no
  // sample name); the scan after real card reads, tickets and a bundle is in kiosk-adapter.test.ts.
  it('publishes no ID-number-shaped string or sample person name in any of its own payloads', () => {
    expect(published.length).toBeGreaterThan(20);
    const all = published.map((m) => m.topic + '\n' + m.payload).join('\n');
    const needles = personalNeedles();
    expect(needles.length).toBeGreaterThan(8);
    for (const v of needles) expect(all).not.toContain(v);
    expect(all).not.toMatch(/\d{17}[\dX]/);
  });
});
