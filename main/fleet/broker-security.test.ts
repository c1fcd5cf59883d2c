import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../drivers/log.js';
import { projectRoot } from '../config/load.js';
import { FleetAgent } from './agent.js';
import { SimulatedKiosk } from './simulated-kiosk.js';
import { freePort, startTestBroker, type TestBroker } from './test-broker.js';

/**
 * The shipped broker kit (build/deploy/mosquitto: mosquitto.conf, mosquitto-tls.conf, acl, make-test-ca.sh) on a
 * real Mosquitto, paths and ports rewritten for a private instance: a kiosk's account cannot publish as another
 * kiosk nor read another kiosk's commands; the console reads everything and writes only commands; TLS works with
 * the test CA and is refused without it.
 */
const kit = path.join(projectRoot(), 'build', 'deploy', 'mosquitto');
const ACCOUNTS: [string, string][] = [
  ['hall-a/k1', 'pw-a-k1'],
  ['hall-a/k2', 'pw-a-k2'],
  ['hall-b/k1', 'pw-b-k1'],
  ['fleet-console', 'pw-console'],
];

function prepare(dir: string): void {
  copyFileSync(path.join(kit, 'acl'), path.join(dir, 'acl'));
  for (const [i, [user, pw]] of ACCOUNTS.entries()) {
    execFileSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', path.join(dir, 'passwd'), user, pw]);
  }
}

function shipped(file: string, dir: string, ports: Record<string, string>): string {
  let text = readFileSync(path.join(kit, file), 'utf8').replaceAll('/etc/mosquitto/hall-kiosk/', `${dir}/`);
  for (const [from, to] of Object.entries(ports)) text = text.replace(new RegExp(`^${from}$`, 'm'), to);
  return text.replace(/^persistence true$/m, 'persistence false').replace(/^persistence_location .*$/m, '');
}

let broker: TestBroker;
const clients: MqttClient[] = [];

async function client(user: string, url = broker.url, extra: Record<string, unknown> = {}): Promise<MqttClient> {
  const pw = ACCOUNTS.find(([u]) => u === user)![1];
  const c = await connectAsync(url, { protocolVersion: 5, username: user, password: pw, clientId: `t-${user.replace('/', '-')}-${clients.length}`, reconnectPeriod: 0, ...extra });
  clients.push(c);
  return c;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e as { code?: number }).code,
  );

const received = (c: MqttClient) => {
  const got: string[] = [];
  c.on('message', (t) => got.push(t));
  return got;
};

beforeAll(async () => {
  broker = await startTestBroker({ prepare, config: (dir, port) => shipped('mosquitto.conf', dir, { 'listener 1883': `listener ${port} 127.0.0.1` }) });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await broker.stop();
});

describe('shipped Mosquitto ACL', () => {
  it('refuses anonymous clients and wrong passwords', async () => {
    expect(await refusal(connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 }))).toBe(135);
    // 134 bad user name or password; Mosquitto 2.0 answers 135 not authorized.
    expect([134, 135]).toContain(await refusal(connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0, username: 'hall-a/k1', password: 'wrong' })));
    expect(await refusal(client('hall-a/k1'))).not.toEqual(expect.any(Number));
  });

  it("lets a kiosk publish only under its own hallId/kioskId, and not on its own cmd", async () => {
    const k1 = await client('hall-a/k1');
    const console_ = await client('fleet-console');
    const seen = received(console_);
    await console_.subscribeAsync('hk/v1/#', { qos: 1 });
    expect(await refusal(k1.publishAsync('hk/v1/hall-a/k1/status', '{"online":true}', { qos: 1 }))).toBe('accepted');
    expect(await refusal(k1.publishAsync('hk/v1/hall-a/k1/alert', '{}', { qos: 1 }))).toBe('accepted');
    expect(await refusal(k1.publishAsync('hk/v1/hall-a/k2/status', '{"online":false}', { qos: 1 }))).toBe(135);
    expect(await refusal(k1.publishAsync('hk/v1/hall-b/k1/alert', '{}', { qos: 1 }))).toBe(135);
    expect(await refusal(k1.publishAsync('hk/v1/hall-a/k2/cmd', '{"name":"restart"}', { qos: 1 }))).toBe(135);
    expect(await refusal(k1.publishAsync('hk/v1/hall-a/k1/cmd', '{"name":"restart"}', { qos: 1 }))).toBe(135);
    await console_.publishAsync('hk/v1/hall-a/k1/cmd', '{"name":"ping"}', { qos: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.sort()).toEqual(['hk/v1/hall-a/k1/alert', 'hk/v1/hall-a/k1/cmd', 'hk/v1/hall-a/k1/status']);
  });

  it("never delivers another kiosk's commands to a kiosk, even on a wildcard subscription", async () => {
    const k1 = await client('hall-a/k1');
    const k2 = await client('hall-a/k2');
    const got1 = received(k1);
    const got2 = received(k2);
    await k1.subscribeAsync(['hk/v1/#', 'hk/v1/hall-a/k2/cmd'], { qos: 1 });
    await k2.subscribeAsync('hk/v1/hall-a/k2/cmd', { qos: 1 });
    const console_ = await client('fleet-console');
    await console_.publishAsync('hk/v1/hall-a/k2/cmd', '{"name":"ping"}', { qos: 1 });
    await console_.publishAsync('hk/v1/hall-a/k1/cmd', '{"name":"ping"}', { qos: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(got2).toEqual(['hk/v1/hall-a/k2/cmd']);
    expect(got1).toEqual(['hk/v1/hall-a/k1/cmd']);
  });

  it('lets the console write commands but nothing a kiosk publishes', async () => {
    const console_ = await client('fleet-console');
    expect(await refusal(console_.publishAsync('hk/v1/hall-a/k1/cmd', '{}', { qos: 1 }))).toBe('accepted');
    expect(await refusal(console_.publishAsync('hk/v1/hall-a/k1/status', '{"online":false}', { qos: 1 }))).toBe(135);
    expect(await refusal(console_.publishAsync('hk/v1/hall-a/k1/alert', '{}', { qos: 1 }))).toBe(135);
    expect(await refusal(console_.publishAsync('hk/v1/hall-a/k1/reply', '{}', { qos: 1 }))).toBe(135);
  });
});

describe('shipped TLS variant', () => {
  it('carries the agent over mqtts with the test CA and refuses a client that does not trust it', async () => {
    const tlsPort = await freePort();
    let tlsDir = '';
    const tls = await startTestBroker({
      prepare: (dir) => {
        prepare(dir);
        execFileSync('bash', [path.join(kit, 'make-test-ca.sh'), path.join(dir, 'tls'), 'localhost', '127.0.0.1'], { stdio: 'ignore' });
        tlsDir = path.join(dir, 'tls');
      },
      config: (dir, port) => shipped('mosquitto-tls.conf', dir, { 'listener 8883': `listener ${tlsPort} 127.0.0.1`, 'listener 1883 127.0.0.1': `listener ${port} 127.0.0.1` }),
    });
    try {
      const url = `mqtts://localhost:${tlsPort}`;
      const ca = readFileSync(path.join(tlsDir, 'ca.crt'));
      const untrusting = await refusal(connectAsync(url, { protocolVersion: 5, username: 'hall-a/k1', password: 'pw-a-k1', reconnectPeriod: 0 }));
      expect(untrusting).not.toBe('accepted');

      const console_ = await client('fleet-console', url, { ca });
      const seen = received(console_);
      await console_.subscribeAsync('hk/v1/#', { qos: 1 });
      const kiosk = new SimulatedKiosk({ hallId: 'hall-a', kioskId: 'k1' });
      const agent = new FleetAgent({
        url,
        username: 'hall-a/k1',
        password: 'pw-a-k1',
        ca,
        topicPrefix: 'hk/v1',
        statsIntervalS: 3600,
        offlineQueueMax: 10,
        publicKey: null,
        facts: kiosk,
        control: kiosk,
        logger: silentLogger,
      });
      agent.start();
      await agent.connected;
      for (let i = 0; i < 100 && !seen.includes('hk/v1/hall-a/k1/status'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toContain('hk/v1/hall-a/k1/status');
      await agent.stop();
    } finally {
      await tls.stop();
    }
  });
});
