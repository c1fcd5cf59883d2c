import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { FleetAnswer } from '../contract/fleet.js';

/**
 * A private Mosquitto for tests and the load rig: its own config in a temporary folder, a free port on 127.0.0.1,
 * started and stopped by the caller. `extraConfig` adds lines (password_file, acl_file, TLS listener...).
 */
export interface TestBroker {
  port: number;
  url: string;
  dir: string;
  process: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
  /** Stops and starts again on the same port (reconnect tests). */
  restart(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function openUp(p: string): void {
  const st = statSync(p);
  chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const n of readdirSync(p)) openUp(path.join(p, n));
}

/** Resolves null once something listens on `port`, or an Error after `timeoutMs` or when `gaveUp()` says so. */
function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean): Promise<Error | null> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      const sock = createConnection({ port, host: '127.0.0.1' });
      sock.once('connect', () => {
        sock.destroy();
        resolve(null);
      });
      sock.once('error', () => {
        sock.destroy();
        if (gaveUp()) resolve(new Error('mosquitto exited'));
        else if (Date.now() > deadline) resolve(new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export interface TestBrokerOptions {
  /** The whole config file, given the broker's folder and port; default: anonymous MQTT on 127.0.0.1:port. */
  config?: (dir: string, port: number) => string;
  /** Files to write into the broker's folder before it starts (password file, ACL, certificates...). */
  prepare?: (dir: string) => void;
  bin?: string;
}

export async function startTestBroker(options: TestBrokerOptions = {}): Promise<TestBroker> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hk-mosquitto-'));
  const port = await freePort();
  options.prepare?.(dir);
  // Started as root, Mosquitto drops to its own user: it must be able to read the test folder (test secrets only).
  openUp(dir);
  const conf = path.join(dir, 'mosquitto.conf');
  const body = options.config?.(dir, port) ?? `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n`;
  writeFileSync(conf, `${body}\nlog_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\n`);
  let logText = '';
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(options.bin ?? 'mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => {
      logText = (logText + d.toString()).slice(-50_000);
    });
    let exitCode: number | null | undefined;
    child.once('exit', (code) => (exitCode = code));
    const failed = await waitForPort(port, 5000, () => exitCode !== undefined);
    if (failed) {
      child.kill('SIGKILL');
      throw new Error(`${failed.message} (exit ${String(exitCode)}): ${logText}`);
    }
    return child;
  };
  const stopChild = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const broker: TestBroker = {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    process: await launch(),
    log: () => logText,
    stop: async () => {
      await stopChild(broker.process);
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stopChild(broker.process);
      broker.process = await launch();
    },
  };
  return broker;
}

/**
 * A TCP relay in front of a broker whose link can be cut and healed, as a village kiosk's uplink would be: the
 * broker and every other client stay up while this one kiosk is away.
 */
export interface CuttableLink {
  url: string;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startCuttableLink(targetPort: number): Promise<CuttableLink> {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((inbound) => {
    if (down) return void inbound.destroy();
    const outbound = createConnection({ port: targetPort, host: '127.0.0.1' });
    sockets.add(inbound).add(outbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on('error', close).on('close', close).pipe(outbound);
    outbound.on('error', close).on('close', close).pipe(inbound);
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    cut: () => {
      down = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    heal: () => {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * One line of a Mosquitto 2.x password file (`$7$`: PBKDF2-SHA512, 101 iterations, 12-byte salt), so that the load
 * rig can write 2,000 accounts without running mosquitto_passwd 2,000 times.
 */
export function mosquittoPasswordLine(user: string, password: string): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, 101, 64, 'sha512');
  return `${user}:$7$101$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * Polls `f` every 20 ms until it gives something truthy and returns that; fails naming `what` after `timeoutMs`
 * (default 8 s: the fleet tests run on two loaded CI cores, and a wait that succeeds returns at once anyway).
 */
export async function until<T>(what: string, f: () => T | undefined | null | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Sends `body` to a kiosk's `…/cmd` topic as an MQTT 5 request (Response Topic `…/reply`, random Correlation Data)
 * and resolves with the answer that carries the same Correlation Data. `client` must already be subscribed to the
 * reply topic. Rejects after `timeoutMs` so that a missing answer names itself instead of timing the test out.
 */
export async function requestReply(client: MqttClient, cmdTopic: string, body: unknown, timeoutMs = 8000): Promise<FleetAnswer> {
  const replyTopic = cmdTopic.replace(/\/cmd$/, '/reply');
  const correlation = randomBytes(8);
  let handler: ((t: string, payload: Buffer, packet: { properties?: { correlationData?: Buffer } }) => void) | undefined;
  const got = new Promise<FleetAnswer>((resolve) => {
    handler = (t, payload, packet) => {
      if (t === replyTopic && packet.properties?.correlationData?.equals(correlation)) resolve(JSON.parse(payload.toString()) as FleetAnswer);
    };
    client.on('message', handler);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await client.publishAsync(cmdTopic, JSON.stringify(body), { qos: 1, properties: { responseTopic: replyTopic, correlationData: correlation } });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer on ${replyTopic} within ${timeoutMs} ms to ${JSON.stringify(body).slice(0, 80)}`)), timeoutMs);
    });
    return await Promise.race([got, timeout]);
  } finally {
    clearTimeout(timer);
    client.off('message', handler!);
  }
}
