import { createHash, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  FleetClientMessageSchema,
  type FleetAnswer,
  type FleetClientMessage,
  type FleetRolloutView,
  type FleetServerMessage,
  type FleetSnapshot,
  type FleetTarget,
} from '../contract/fleet.js';
import { contentSecurityPolicy, serveStatic } from '../browser-host/static.js';
import type { Logger } from '../core/logger.js';
import { signConfig } from '../fleet/signing.js';
import { openDatabase, type Db } from '../storage/database.js';
import { ConsoleAudit } from './audit.js';
import { ConsoleAuth, ConsoleAuthError, roleAtLeast, type ConsoleSession } from './console-auth.js';
import { FleetCommander } from './commander.js';
import { alertsCsv, hallDaysCsv } from './csv-export.js';
import { FleetStore } from './fleet-store.js';
import { consoleMigrations } from './migrations/index.js';
import { runRollout } from './rollout.js';

/**
 * The fleet console host (`npm run fleet`): one MQTT 5 connection (reads `{prefix}/#`, writes only commands), the
 * fleet's history in SQLite in the data dir, and a web page served over HTTP with a live WebSocket. Every action
 * needs a signed-in user of a sufficient role and is audited. Config pushes are signed here with the fleet's
 * Ed25519 key (the kiosks hold the public key).
 */
export interface FleetConsoleOptions {
  brokerUrl: string;
  username?: string | undefined;
  password?: string | undefined;
  ca?: Buffer | undefined;
  topicPrefix: string;
  dataDir: string;
  /** HTTP port; 0 = any free port. */
  port: number;
  /** Listen address. Default 127.0.0.1 (put a TLS reverse proxy in front for remote operators). */
  host?: string;
  /** Built renderer (dist/renderer) holding fleet.html. */
  rendererDir: string;
  signingKey: KeyObject | null;
  logger: Logger;
  /** MQTT client id, stable across restarts (the broker keeps this session's messages for an hour). */
  clientId?: string;
  /** Answer time-out per kiosk command. Default 15 s. */
  commandTimeoutMs?: number;
  now?: () => number;
}

interface Client {
  ws: WebSocket;
  session: ConsoleSession | undefined;
}

const ORIGIN_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export class FleetConsole {
  readonly db: Db;
  readonly store: FleetStore;
  readonly auth: ConsoleAuth;
  readonly audit: ConsoleAudit;
  readonly mqtt: MqttClient;
  readonly commander: FleetCommander;
  readonly rollouts: FleetRolloutView[] = [];
  private readonly clients = new Set<Client>();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly pendingKiosks = new Set<string>();
  private readonly pendingHalls = new Set<string>();
  private readonly pendingRollouts = new Set<FleetRolloutView>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;
  readonly connected: Promise<void>;
  port = 0;

  constructor(private readonly o: FleetConsoleOptions) {
    this.now = o.now ?? Date.now;
    mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    this.db = openDatabase({ file: path.join(o.dataDir, 'fleet.db'), migrations: consoleMigrations });
    // The history can lose the last half second on power loss; alerts are written at once anyway.
    this.db.pragma('synchronous = NORMAL');
    this.store = new FleetStore(this.db, o.topicPrefix, this.now);
    this.auth = new ConsoleAuth(this.db, this.now);
    this.audit = new ConsoleAudit(this.db, this.now);
    // A persistent session (stable client id, clean start off, 1 h expiry): while the console reconnects or
    // restarts, the broker keeps the QoS 1 alerts for it instead of dropping them with a clean session.
    const opts: IClientOptions = {
      protocolVersion: 5,
      clean: false,
      clientId: o.clientId ?? 'hk-fleet-console',
      properties: { sessionExpiryInterval: 3600 },
      reconnectPeriod: 2000,
      keepalive: 30,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.ca ? { ca: o.ca } : {}),
    };
    this.mqtt = connect(o.brokerUrl, opts);
    this.commander = new FleetCommander(this.mqtt, o.topicPrefix);
    this.connected = new Promise((resolve) => this.mqtt.once('connect', () => resolve()));
    this.mqtt.on('connect', (connack) => {
      if (!connack.sessionPresent) {
        // No Local: the console's own commands are not echoed back to it.
        this.mqtt.subscribe(`${o.topicPrefix}/#`, { qos: 1, nl: true }, (err) => {
          if (err) o.logger.error({ err: err.message }, 'fleet console: subscribe failed');
        });
      }
      o.logger.info({ broker: o.brokerUrl, sessionPresent: connack.sessionPresent }, 'fleet console connected to the broker');
    });
    this.mqtt.on('error', (e) => o.logger.warn({ err: e.message }, 'fleet console: broker error'));
    this.mqtt.on('message', (topic, payload, packet) => {
      if (this.commander.onReply(topic, payload, packet.properties?.correlationData)) return;
      for (const c of this.store.ingest(topic, payload)) {
        switch (c.kind) {
          case 'alert':
            // Alerts go out at once (the operator's reaction time starts here); kiosk rows are coalesced.
            this.broadcast({ type: 'alert', alert: c.alert });
            this.pendingKiosks.add(c.alert.key);
            break;
          case 'kiosk':
            this.pendingKiosks.add(c.key);
            break;
          case 'today':
            this.pendingHalls.add(c.hallId);
            break;
          default: {
            const never: never = c;
            throw new Error(`unhandled change ${JSON.stringify(never)}`);
          }
        }
      }
    });
    this.timers.push(setInterval(() => this.store.flush(), 500));
    this.timers.push(setInterval(() => this.pushPending(), 250));

    this.server = createServer((req, res) => {
      this.route(req, res).catch((e: unknown) => {
        o.logger.error({ err: e instanceof Error ? e.message : String(e), url: req.url?.split('?')[0] }, 'fleet console: request failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('internal error');
      });
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
    this.server.on('upgrade', (req, socket, head) => {
      const host = req.headers.host;
      if (req.url !== '/ws' || !host || (req.headers.origin !== undefined && req.headers.origin !== `http://${host}` && req.headers.origin !== `https://${host}`)) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(this.o.port, this.o.host ?? '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.commander.close();
    for (const c of this.clients) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await this.mqtt.endAsync(true);
    this.store.flush();
    this.db.close();
  }

  snapshot(): FleetSnapshot {
    return {
      kiosks: [...this.store.kiosks.values()],
      alerts: this.store.alertsForPage(),
      today: this.store.halls().map((h) => this.store.hallToday(h)),
      rollouts: this.rollouts.slice(0, 10),
      now: this.now(),
    };
  }

  // ----- HTTP ----------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    const headers = { ...ORIGIN_HEADERS, 'Content-Security-Policy': contentSecurityPolicy(`ws://${req.headers.host ?? ''} wss://${req.headers.host ?? ''}`) };
    if (url.pathname === '/api/sign-in' && req.method === 'POST') {
      const body = await readJson(req, 4096);
      const user = typeof body?.user === 'string' ? body.user : '';
      const pin = typeof body?.pin === 'string' ? body.pin : '';
      try {
        const s = await this.auth.signIn(user, pin);
        this.audit.record({ actor: user, action: 'auth.sign-in', target: '', outcome: 'ok' });
        return json(res, 200, { ok: true, value: { token: s.token, user: s.user, role: s.role } });
      } catch (e) {
        if (!(e instanceof ConsoleAuthError)) throw e;
        this.audit.record({ actor: user.slice(0, 41) || '(none)', action: 'auth.sign-in', target: '', outcome: 'denied', detail: { code: e.code } });
        return json(res, 401, { ok: false, error: { code: e.code, message: e.message } });
      }
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET') return json(res, 405, { ok: false, error: { code: 'BAD_REQUEST', message: 'GET only' } });
      let session: ConsoleSession;
      try {
        session = this.auth.session(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]);
      } catch (e) {
        if (!(e instanceof ConsoleAuthError)) throw e;
        return json(res, 401, { ok: false, error: { code: e.code, message: e.message } });
      }
      return this.api(url, session, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, headers).end();
    if (url.pathname === '/healthz') {
      return json(res, 200, { broker: this.mqtt.connected ? 'connected' : 'disconnected', kiosks: this.store.kiosks.size, openAlerts: this.store.openAlerts.size, ...this.store.counters });
    }
    const file = url.pathname === '/' ? '/fleet.html' : url.pathname;
    if (!/^\/(fleet\.html|assets\/[A-Za-z0-9._-]+)$/.test(file) || !serveStatic(this.o.rendererDir, file, res, headers)) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  }

  private api(url: URL, session: ConsoleSession, res: ServerResponse): void {
    const day = (v: string | null, fallback: string) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : fallback);
    const today = new Date(this.now() + 8 * 3600_000).toISOString().slice(0, 10);
    if (url.pathname === '/api/export/halls.csv') {
      const from = day(url.searchParams.get('from'), today);
      const to = day(url.searchParams.get('to'), today);
      const names = new Map([...this.store.kiosks.values()].map((k) => [k.hallId, k.hallName]));
      this.audit.record({ actor: session.user, action: 'export.halls', target: `${from}..${to}`, outcome: 'ok' });
      return csv(res, `fleet-halls-${from}-${to}.csv`, hallDaysCsv(this.db, { from, to }, names));
    }
    if (url.pathname === '/api/export/alerts.csv') {
      const from = day(url.searchParams.get('from'), today);
      const to = day(url.searchParams.get('to'), today);
      this.audit.record({ actor: session.user, action: 'export.alerts', target: `${from}..${to}`, outcome: 'ok' });
      const fromMs = Date.parse(`${from}T00:00:00+08:00`);
      const toMs = Date.parse(`${to}T00:00:00+08:00`) + 86_400_000;
      return csv(res, `fleet-alerts-${from}-${to}.csv`, alertsCsv(this.db, { fromMs, toMs }));
    }
    const bundle = /^\/api\/bundles\/([A-Za-z0-9._-]+\.tar\.gz)$/.exec(url.pathname);
    if (bundle) {
      if (!roleAtLeast(session.role, 'operator')) return json(res, 403, { ok: false, error: { code: 'AUTH_FORBIDDEN', message: 'operators only' } });
      this.audit.record({ actor: session.user, action: 'bundle.download', target: bundle[1]!, outcome: 'ok' });
      if (!serveStatic(path.join(this.o.dataDir, 'bundles'), `/${bundle[1]!}`, res, { ...ORIGIN_HEADERS, 'Content-Disposition': `attachment; filename="${bundle[1]!}"` })) {
        json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'no such bundle' } });
      }
      return;
    }
    if (url.pathname === '/api/audit') {
      if (!roleAtLeast(session.role, 'admin')) return json(res, 403, { ok: false, error: { code: 'AUTH_FORBIDDEN', message: 'admins only' } });
      return json(res, 200, { ok: true, value: this.audit.list(200) });
    }
    json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'no such API' } });
  }

  // ----- WebSocket -----------------------------------------------------------------------------------------------

  private onSocket(ws: WebSocket): void {
    const client: Client = { ws, session: undefined };
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', (e) => this.o.logger.warn({ err: e.message }, 'fleet console: page socket error'));
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch (e) {
        return this.send(client, { type: 'error', code: 'BAD_REQUEST', message: `not JSON: ${(e as Error).message}` });
      }
      const m = msg as { type?: unknown; token?: unknown };
      if (m.type === 'hello') {
        try {
          client.session = this.auth.session(typeof m.token === 'string' ? m.token : undefined);
        } catch (e) {
          if (!(e instanceof ConsoleAuthError)) throw e;
          return this.send(client, { type: 'error', code: e.code, message: e.message });
        }
        this.send(client, { type: 'welcome', user: client.session.user, role: client.session.role });
        return this.send(client, { type: 'snapshot', snapshot: this.snapshot() });
      }
      const parsed = FleetClientMessageSchema.safeParse(msg);
      if (!parsed.success) return this.send(client, { type: 'error', code: 'BAD_REQUEST', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      void this.action(client, parsed.data);
    });
  }

  private async action(client: Client, m: FleetClientMessage): Promise<void> {
    let session: ConsoleSession;
    try {
      session = this.auth.session(client.session?.token);
    } catch (e) {
      if (!(e instanceof ConsoleAuthError)) throw e;
      return this.send(client, { type: 'error', requestId: m.requestId, code: e.code, message: e.message });
    }
    const needed = m.type === 'config.rollout' ? 'admin' : 'operator';
    if (!roleAtLeast(session.role, needed)) {
      this.audit.record({ actor: session.user, action: m.type, target: targetText(m), outcome: 'denied' });
      return this.send(client, { type: 'error', requestId: m.requestId, code: 'AUTH_FORBIDDEN', message: `${m.type} needs the ${needed} role` });
    }
    switch (m.type) {
      case 'ping':
      case 'restart': {
        const answer = await this.commander.request(m.hallId, m.kioskId, m.type === 'ping' ? { name: 'ping' } : { name: 'restart', ...(m.at ? { at: m.at } : {}) }, this.o.commandTimeoutMs);
        this.audit.record({ actor: session.user, action: m.type, target: `${m.hallId}/${m.kioskId}`, outcome: answer.ok ? 'ok' : 'failed', detail: answer.ok ? { at: m.type === 'restart' ? m.at : undefined } : { code: answer.error.code } });
        return this.send(client, { type: 'answer', requestId: m.requestId, answer });
      }
      case 'bundle.request': {
        const answer = await this.commander.request(m.hallId, m.kioskId, { name: 'bundle.request' }, this.o.commandTimeoutMs);
        let shown: FleetAnswer = answer;
        if (answer.ok) {
          const v = answer.value as { filename: string; data: string; sha256: string };
          const data = Buffer.from(v.data, 'base64');
          const ok = createHash('sha256').update(data).digest('hex') === v.sha256;
          const name = `${m.hallId}-${path.basename(v.filename).replace(/[^A-Za-z0-9._-]/g, '_')}`;
          if (ok) {
            mkdirSync(path.join(this.o.dataDir, 'bundles'), { recursive: true, mode: 0o700 });
            writeFileSync(path.join(this.o.dataDir, 'bundles', name), data, { mode: 0o600 });
            shown = { ok: true, value: { filename: name, bytes: data.length, sha256: v.sha256, url: `/api/bundles/${name}` } };
          } else shown = { ok: false, error: { code: 'FLEET_BUNDLE_FAILED', message: 'the bundle does not match its checksum' } };
        }
        this.audit.record({ actor: session.user, action: 'bundle.request', target: `${m.hallId}/${m.kioskId}`, outcome: shown.ok ? 'ok' : 'failed' });
        return this.send(client, { type: 'answer', requestId: m.requestId, answer: shown });
      }
      case 'config.rollout':
        return this.rollout(client, session, m);
      default: {
        const never: never = m;
        throw new Error(`unhandled action ${JSON.stringify(never)}`);
      }
    }
  }

  /** Resolves the target to kiosks known online now (sorted), signs once, and runs the staged roll-out. */
  async startRollout(target: FleetTarget, config: unknown, firstWave: number, actor: string, concurrency?: number): Promise<FleetRolloutView> {
    if (!this.o.signingKey) throw new Error('no fleet signing key: start the console with --signing-key');
    const all = [...this.store.kiosks.values()]
      .filter((k) =>
        target.kind === 'kiosk'
          ? k.hallId === target.hallId && k.kioskId === target.kioskId
          : target.kind === 'hall'
            ? k.hallId === target.hallId
            : target.kiosks.some((t) => t.hallId === k.hallId && t.kioskId === k.kioskId),
      )
      .sort((a, b) => a.key.localeCompare(b.key));
    const online = all.filter((k) => k.online);
    const last = Number((this.db.prepare(`SELECT value FROM meta WHERE key = 'fleet.version'`).get() as { value: string } | undefined)?.value ?? 0);
    // Kiosks refuse a version not newer than the last they took; seconds since 1970 keep it rising even if this
    // database is lost.
    const version = Math.max(last + 1, Math.floor(this.now() / 1000));
    this.db.prepare(`INSERT INTO meta (key, value) VALUES ('fleet.version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(version));
    const signature = signConfig(this.o.signingKey, config, version);
    const view = await runRollout({
      targets: online.map((k) => ({ hallId: k.hallId, kioskId: k.kioskId })),
      firstWave,
      version,
      ...(concurrency !== undefined ? { concurrency } : {}),
      send: (t) => this.commander.request(t.hallId, t.kioskId, { name: 'config.apply', config, version, signature }, this.o.commandTimeoutMs),
      onChange: (v) => {
        v.offline = all.filter((k) => !k.online).map((k) => k.key);
        if (!this.rollouts.includes(v)) this.rollouts.unshift(v);
        if (this.rollouts.length > 20) this.rollouts.length = 20;
        // Progress is coalesced (a 2,000-kiosk roll-out would otherwise send its whole table 2,000 times);
        // the start and the end go out at once.
        if (v.state !== 'running' || v.steps.every((s) => s.state === 'pending')) {
          this.pendingRollouts.delete(v);
          this.broadcast({ type: 'rollout', rollout: v });
        } else this.pendingRollouts.add(v);
      },
      now: this.now,
    });
    const failed = view.steps.filter((s) => s.state === 'failed');
    this.audit.record({
      actor,
      action: 'config.rollout',
      target: targetText({ type: 'config.rollout', target } as FleetClientMessage),
      outcome: view.state === 'done' ? 'ok' : 'failed',
      detail: { version, kiosks: view.steps.length, ok: view.steps.filter((s) => s.state === 'ok').length, failed: failed.map((s) => `${s.hallId}/${s.kioskId}`), offline: view.offline ?? [] },
    });
    return view;
  }

  private async rollout(client: Client, session: ConsoleSession, m: Extract<FleetClientMessage, { type: 'config.rollout' }>): Promise<void> {
    if (!this.o.signingKey) return this.send(client, { type: 'error', requestId: m.requestId, code: 'FLEET_CONFIG_NO_KEY', message: 'the console has no signing key (--signing-key)' });
    const view = await this.startRollout(m.target, m.config, m.firstWave, session.user);
    this.send(client, { type: 'answer', requestId: m.requestId, answer: { ok: view.state === 'done', ...(view.state === 'done' ? { value: view } : { error: { code: 'FLEET_ROLLOUT_STOPPED', message: 'stopped at the first failure' } }) } as FleetAnswer });
  }

  private pushPending(): void {
    for (const r of this.pendingRollouts) this.broadcast({ type: 'rollout', rollout: r });
    this.pendingRollouts.clear();
    if (this.pendingKiosks.size === 0 && this.pendingHalls.size === 0) return;
    const kiosks = [...this.pendingKiosks].map((k) => this.store.kiosks.get(k)).filter((k) => k !== undefined);
    const today = [...this.pendingHalls].map((h) => this.store.hallToday(h));
    this.pendingKiosks.clear();
    this.pendingHalls.clear();
    this.broadcast({ type: 'kiosks', kiosks, today });
  }

  private broadcast(m: FleetServerMessage): void {
    const text = JSON.stringify(m);
    for (const c of this.clients) if (c.session) c.ws.send(text);
  }

  private send(c: Client, m: FleetServerMessage): void {
    c.ws.send(JSON.stringify(m));
  }
}

function targetText(m: FleetClientMessage): string {
  if (m.type !== 'config.rollout') return `${m.hallId}/${m.kioskId}`;
  const t = m.target;
  return t.kind === 'kiosk' ? `${t.hallId}/${t.kioskId}` : t.kind === 'hall' ? `hall ${t.hallId}` : t.kiosks.map((k) => `${k.hallId}/${k.kioskId}`).join(' ');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...ORIGIN_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

function csv(res: ServerResponse, filename: string, text: string): void {
  res.writeHead(200, { ...ORIGIN_HEADERS, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' }).end(text);
}

function readJson(req: IncomingMessage, max: number): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
      } catch {
        resolve(undefined); // not JSON: the caller answers with a refusal (no user, no PIN)
      }
    });
    req.on('error', () => resolve(undefined));
  });
}
