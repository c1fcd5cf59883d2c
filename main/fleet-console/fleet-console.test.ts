import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../../drivers/log.js';
import { projectRoot } from '../config/load.js';
import type { FleetAlertView, FleetKioskView, FleetRolloutView, FleetServerMessage } from '../contract/fleet.js';
import { createLogger } from '../core/logger.js';
import { FleetAgent } from '../fleet/agent.js';
import { generateFleetKeyPair, loadPrivateKey, loadPublicKey } from '../fleet/signing.js';
import { SimulatedKiosk } from '../fleet/simulated-kiosk.js';
import { startTestBroker, until, type TestBroker } from '../fleet/test-broker.js';
import { FleetConsole } from './fleet-console.js';

/**
 * The console end to end on a real Mosquitto with the shipped ACL: kiosk agents appear on the page's WebSocket,
 * a paper-out raises and clears an alert, a killed kiosk goes offline by its Last Will, a signed config reaches a
 * hall by staged roll-out, a bad one is refused at the first kiosk and nothing changes, roles are enforced, the
 * CSV export holds 好差评 counts per hall and day, a bundle can be fetched, every action is audited.
 */
const KIOSKS = [
  ['hall-a', 'k1'],
  ['hall-a', 'k2'],
  ['hall-a', 'k3'],
  ['hall-b', 'k1'],
] as const;
const keys = generateFleetKeyPair();
let broker: TestBroker;
let fc: FleetConsole;
let dataDir: string;
const sims = new Map<string, SimulatedKiosk>();
const agents = new Map<string, FleetAgent>();

beforeAll(async () => {
  broker = await startTestBroker({
    prepare: (dir) => {
      copyFileSync(path.join(projectRoot(), 'build', 'deploy', 'mosquitto', 'acl'), path.join(dir, 'acl'));
      const pw = path.join(dir, 'passwd');
      execFileSync('mosquitto_passwd', ['-c', '-b', pw, 'fleet-console', 'console-pw']);
      for (const [h, k] of KIOSKS) execFileSync('mosquitto_passwd', ['-b', pw, `${h}/${k}`, `pw-${h}-${k}`]);
    },
    config: (dir, port) => `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${dir}/passwd\nacl_file ${dir}/acl\npersistence false\n`,
  });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'fleet-console-'));
  fc = new FleetConsole({
    brokerUrl: broker.url,
    username: 'fleet-console',
    password: 'console-pw',
    topicPrefix: 'hk/v1',
    dataDir,
    port: 0,
    rendererDir: path.join(dataDir, 'no-renderer'),
    signingKey: loadPrivateKey(keys.privateKeyPem),
    logger: createLogger('fleet-console-test'),
    commandTimeoutMs: 3000,
  });
  await fc.auth.setUser('admin', 'admin', '246810');
  await fc.auth.setUser('viewer', 'viewer', '135790');
  await fc.listen();
  await fc.connected;
}, 30_000);

afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop()));
  await fc?.close();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function startKiosk(hallId: string, kioskId: string): void {
  const sim = new SimulatedKiosk({
    hallId,
    kioskId,
    hallName: hallId === 'hall-a' ? '从化区政务服务中心' : '太平镇便民服务中心',
    region: '广州市从化区',
    selfCheck: (c) => (c.announcements.some((a) => a.id === 'breaks') ? ['queue: cannot open'] : []),
  });
  const agent = new FleetAgent({
    url: broker.url,
    username: `${hallId}/${kioskId}`,
    password: `pw-${hallId}-${kioskId}`,
    topicPrefix: 'hk/v1',
    statsIntervalS: 0.3,
    offlineQueueMax: 50,
    publicKey: loadPublicKey(keys.publicKeyPem),
    facts: sim,
    control: sim,
    logger: silentLogger,
    statusDebounceMs: 10,
  });
  sims.set(`${hallId}/${kioskId}`, sim);
  agents.set(`${hallId}/${kioskId}`, agent);
  agent.start();
}

async function signIn(user: string, pin: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${fc.port}/api/sign-in`, { method: 'POST', body: JSON.stringify({ user, pin }) });
  const body = (await r.json()) as { ok: boolean; value: { token: string } };
  expect(body.ok).toBe(true);
  return body.value.token;
}

/** A page's live view: the WebSocket messages applied as the page does. */
class Page {
  readonly ws: WebSocket;
  readonly kiosks = new Map<string, FleetKioskView>();
  readonly alerts = new Map<string, FleetAlertView>();
  readonly messages: FleetServerMessage[] = [];
  rollouts = new Map<string, FleetRolloutView>();

  constructor(token: string) {
    this.ws = new WebSocket(`ws://127.0.0.1:${fc.port}/ws`);
    this.ws.on('open', () => this.ws.send(JSON.stringify({ type: 'hello', token })));
    this.ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as FleetServerMessage;
      this.messages.push(m);
      if (m.type === 'snapshot') for (const k of m.snapshot.kiosks) this.kiosks.set(k.key, k);
      if (m.type === 'kiosks') for (const k of m.kiosks) this.kiosks.set(k.key, k);
      if (m.type === 'alert') this.alerts.set(m.alert.id, m.alert);
      if (m.type === 'rollout') this.rollouts.set(m.rollout.id, m.rollout);
    });
  }

  send(m: unknown): void {
    this.ws.send(JSON.stringify(m));
  }

  answer(requestId: string): Promise<FleetServerMessage> {
    return until(`answer ${requestId}`, () => this.messages.find((m) => (m.type === 'answer' || m.type === 'error') && m.requestId === requestId), 10_000);
  }
}

describe('fleet console end to end', () => {
  let page: Page;
  let token: string;

  it('shows kiosks started with a fleet config within seconds, with their devices', async () => {
    token = await signIn('admin', '246810');
    page = new Page(token);
    await until('welcome', () => page.messages.find((m) => m.type === 'welcome'));
    const started = Date.now();
    for (const [h, k] of KIOSKS) startKiosk(h, k);
    await until('all kiosks online', () => KIOSKS.every(([h, k]) => page.kiosks.get(`${h}/${k}`)?.online));
    expect(Date.now() - started).toBeLessThan(5000);
    const k1 = page.kiosks.get('hall-a/k1')!;
    expect(k1).toMatchObject({ hallName: '从化区政务服务中心', region: '广州市从化区', configVersion: 1 });
    expect(Object.keys(k1.devices).sort()).toEqual(['a4Printer', 'callDisplay', 'idCard', 'receiptPrinter', 'scanner']);
  });

  it('raises an alert on paper-out and clears it on refill', async () => {
    sims.get('hall-a/k1')!.setDevice('receiptPrinter', 'error', 'paper end');
    const open = await until('paper-out alert', () => [...page.alerts.values()].find((a) => a.code === 'PAPER_OUT' && a.kioskId === 'k1' && !a.resolved));
    expect(fc.store.openAlerts.has(open.id)).toBe(true);
    await until('faulty kiosk', () => page.kiosks.get('hall-a/k1')!.faults === 1);
    sims.get('hall-a/k1')!.setDevice('receiptPrinter', 'ok', 'ready');
    const closed = await until('resolved', () => { const a = page.alerts.get(open.id); return a?.resolved ? a : undefined; });
    expect(closed.closedAt).toBeGreaterThanOrEqual(closed.openedAt);
    expect(fc.store.openAlerts.has(open.id)).toBe(false);
  });

  it('shows a killed kiosk offline by its Last Will', async () => {
    await agents.get('hall-a/k3')!.kill();
    agents.delete('hall-a/k3');
    await until('k3 offline', () => page.kiosks.get('hall-a/k3')?.online === false);
  });

  it('refuses actions above the user role', async () => {
    const viewer = new Page(await signIn('viewer', '135790'));
    await until('viewer welcome', () => viewer.messages.find((m) => m.type === 'welcome'));
    viewer.send({ type: 'config.rollout', requestId: 'v1', target: { kind: 'hall', hallId: 'hall-a' }, config: { name: 'x' } });
    expect(await viewer.answer('v1')).toMatchObject({ type: 'error', code: 'AUTH_FORBIDDEN' });
    viewer.send({ type: 'restart', requestId: 'v2', hallId: 'hall-a', kioskId: 'k1' });
    expect(await viewer.answer('v2')).toMatchObject({ type: 'error', code: 'AUTH_FORBIDDEN' });
    viewer.ws.close();
    // A page from another origin cannot open the live socket (cross-site WebSocket hijacking).
    const foreign = new WebSocket(`ws://127.0.0.1:${fc.port}/ws`, { headers: { Origin: 'http://evil.example' } });
    expect(await new Promise((resolve) => foreign.once('open', () => resolve('open')).once('error', () => resolve('refused')))).toBe('refused');
    const bad = await fetch(`http://127.0.0.1:${fc.port}/api/sign-in`, { method: 'POST', body: JSON.stringify({ user: 'admin', pin: '000000' }) });
    expect(bad.status).toBe(401);
  });

  it('rolls a signed config out to a hall in stages and shows every answer; a bad one stops at the first kiosk', async () => {
    const config = { announcements: [{ id: 'fleet-a', text: { 'zh-CN': '周六照常办公', 'zh-HK': '週六照常辦公', en: 'Open on Saturday' } }] };
    page.send({ type: 'config.rollout', requestId: 'r1', target: { kind: 'hall', hallId: 'hall-a' }, config, firstWave: 1 });
    const done = await page.answer('r1');
    expect(done).toMatchObject({ type: 'answer', answer: { ok: true } });
    const view = [...page.rollouts.values()].at(-1)!;
    expect(view.steps.map((s) => [s.kioskId, s.wave, s.state])).toEqual([
      ['k1', 1, 'ok'],
      ['k2', 2, 'ok'],
    ]);
    expect(view.offline).toEqual(['hall-a/k3']);
    for (const k of ['hall-a/k1', 'hall-a/k2']) {
      expect(sims.get(k)!.currentConfig().announcements.map((a) => a.id)).toEqual(['fleet-a']);
      expect(sims.get(k)!.versions.at(-1)).toMatchObject({ origin: 'fleet', fleetVersion: view.version });
    }
    expect(sims.get('hall-b/k1')!.versions).toHaveLength(1);
    await until('fleet version on the page', () => page.kiosks.get('hall-a/k2')?.fleetConfigVersion === view.version);

    const bad = { kiosk: { idle: { timeoutSeconds: 1 } } };
    page.send({ type: 'config.rollout', requestId: 'r2', target: { kind: 'hall', hallId: 'hall-a' }, config: bad, firstWave: 1 });
    expect(await page.answer('r2')).toMatchObject({ type: 'answer', answer: { ok: false, error: { code: 'FLEET_ROLLOUT_STOPPED' } } });
    const stopped = [...page.rollouts.values()].find((r) => r.state === 'stopped')!;
    expect(stopped.steps.map((s) => [s.kioskId, s.state, s.answer?.ok === false ? s.answer.error.code : undefined])).toEqual([
      ['k1', 'failed', 'FLEET_CONFIG_INVALID'],
      ['k2', 'skipped', undefined],
    ]);
    expect(sims.get('hall-a/k2')!.versions).toHaveLength(2);

    // A config that fails the kiosk's self-check is rolled back there and stops the roll-out too.
    const breaks = { announcements: [{ id: 'breaks', text: { 'zh-CN': '测试', 'zh-HK': '測試', en: 'test' } }] };
    page.send({ type: 'config.rollout', requestId: 'r3', target: { kind: 'list', kiosks: [{ hallId: 'hall-b', kioskId: 'k1' }] }, config: breaks });
    expect(await page.answer('r3')).toMatchObject({ answer: { ok: false } });
    expect(sims.get('hall-b/k1')!.versions.map((v) => v.origin)).toEqual(['file', 'fleet', 'fleet-rollback']);
    await until('rollback alert', () => [...page.alerts.values()].find((a) => a.code === 'CONFIG_ROLLED_BACK' && a.hallId === 'hall-b'));
  });

  it('fetches a diagnostic bundle and schedules a restart', async () => {
    page.send({ type: 'bundle.request', requestId: 'b1', hallId: 'hall-a', kioskId: 'k2' });
    const b = await page.answer('b1');
    expect(b).toMatchObject({ type: 'answer', answer: { ok: true } });
    const url = (b as { answer: { value: { url: string } } }).answer.value.url;
    const file = await fetch(`http://127.0.0.1:${fc.port}${url}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await file.text()).toContain('simulated bundle of k2');
    expect((await fetch(`http://127.0.0.1:${fc.port}${url}`)).status).toBe(401);
    const at = new Date(Date.now() + 7200_000).toISOString();
    page.send({ type: 'restart', requestId: 'x1', hallId: 'hall-a', kioskId: 'k2', at });
    expect(await page.answer('x1')).toMatchObject({ answer: { ok: true, value: { scheduledAt: at } } });
    expect(sims.get('hall-a/k2')!.restarts.map((d) => d.toISOString())).toEqual([at]);
  });

  it("exports today's counts per hall with 好差评 by level, and the audit trail has every action", async () => {
    const a1 = sims.get('hall-a/k1')!;
    const a2 = sims.get('hall-a/k2')!;
    a1.issueTicket('social-security');
    a1.issueTicket('tax');
    a2.issueTicket('tax');
    a1.rate(5);
    a2.rate(5);
    a2.rate(1);
    await until('hall-a today', () => page.messages.some((m) => m.type === 'kiosks' && m.today.some((t) => t.hallId === 'hall-a' && t.tickets === 3 && t.ratings['5'] === 2)));
    fc.store.flush();
    const day = fc.store.hallToday('hall-a').day;
    const r = await fetch(`http://127.0.0.1:${fc.port}/api/export/halls.csv?from=${day}&to=${day}`, { headers: { Authorization: `Bearer ${token}` } });
    const text = await r.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('好差评-非常满意(5)');
    const hallA = lines.find((l) => l.includes(',hall-a,'))!.split(',');
    const header = lines[0]!.split(',');
    const col = (name: string) => hallA[header.indexOf(name)];
    expect(col('取号数')).toBe('3');
    expect(col('好差评-非常满意(5)')).toBe('2');
    expect(col('好差评-非常不满意(1)')).toBe('1');
    expect(col('大厅名称')).toBe('从化区政务服务中心');
    const alerts = await (await fetch(`http://127.0.0.1:${fc.port}/api/export/alerts.csv?from=${day}&to=${day}`, { headers: { Authorization: `Bearer ${token}` } })).text();
    expect(alerts).toContain('PAPER_OUT');
    const audit = fc.audit.list().map((e) => `${e.actor} ${e.action} ${e.outcome}`);
    expect(audit).toEqual(expect.arrayContaining(['admin config.rollout ok', 'admin config.rollout failed', 'viewer config.rollout denied', 'admin bundle.request ok', 'admin restart ok', 'admin export.halls ok']));
  });
});
