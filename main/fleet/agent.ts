import { createHash, type KeyObject } from 'node:crypto';
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { DriverLogger } from '../../drivers/log.js';
import { FleetCommandSchema, type FleetAlert, type FleetAnswer, type FleetCommand, type FleetStats, type FleetStatus } from '../contract/fleet.js';
import { AlertTracker, deviceConditions, healthConditions, READ_FAILURE_THRESHOLD } from './alerts.js';
import { applySignedConfig } from './config-apply.js';
import type { KioskControl, KioskFactEvent, KioskFacts } from './kiosk-port.js';
import { OfflineQueue } from './offline-queue.js';
import { kioskTopics, type KioskTopics } from './topics.js';

/**
 * The kiosk's fleet agent (issue 12): one MQTT 5 connection (mqtt.js, clean start) that publishes the retained
 * status (Last Will: retained `{online:false}`), alerts and stats, and answers commands on its own `cmd` topic to
 * the request's Response Topic with its Correlation Data. The kiosk works the same without a broker: alerts and
 * stats wait in a bounded queue; reconnects back off exponentially (1 s doubling to 60 s, with jitter).
 * It sees the kiosk only through KioskFacts / KioskControl (kiosk-port.ts).
 */
export interface FleetAgentOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** CA certificate(s) for mqtts:// (PEM). */
  ca?: Buffer | undefined;
  topicPrefix: string;
  statsIntervalS: number;
  offlineQueueMax: number;
  publicKey: KeyObject | null;
  facts: KioskFacts;
  control: KioskControl;
  logger: DriverLogger;
  now?: () => Date;
  /** Reconnect back-off bounds in ms. Default 1000 .. 60000. */
  backoff?: { minMs: number; maxMs: number };
  /** Coalesces bursts of fact changes into one status message. Default 100 ms. */
  statusDebounceMs?: number;
  /** Largest diagnostic bundle sent over MQTT. Default 4 MiB. */
  maxBundleBytes?: number;
}

export interface FleetAgentCounters {
  connects: number;
  /** Retained status messages sent. */
  statuses: number;
  /** Alerts and stats handed to the broker (QoS 1). */
  published: number;
  queued: number;
  /** QoS 1 alerts and stats the broker acknowledged. */
  acked: number;
  commands: number;
}

const ANSWER_CACHE = 64;

export class FleetAgent {
  readonly topics: KioskTopics;
  readonly counters: FleetAgentCounters = { connects: 0, statuses: 0, published: 0, queued: 0, acked: 0, commands: 0 };
  private client: MqttClient | undefined;
  private readonly tracker: AlertTracker;
  private readonly queue: OfflineQueue;
  private readonly now: () => Date;
  private readonly log: DriverLogger;
  private unsubscribe: (() => void) | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;
  private readonly readFailures = new Map<string, number>();
  private readonly answers = new Map<string, FleetAnswer>();
  private commandChain: Promise<void> = Promise.resolve();
  private connectedOnce: (() => void) | undefined;
  readonly connected: Promise<void>;

  constructor(private readonly options: FleetAgentOptions) {
    const id = options.facts.identity();
    this.topics = kioskTopics(options.topicPrefix, id.hallId, id.kioskId);
    this.now = options.now ?? (() => new Date());
    this.tracker = new AlertTracker(id.kioskId, this.now);
    this.queue = new OfflineQueue(options.offlineQueueMax);
    this.log = options.logger;
    this.connected = new Promise((resolve) => (this.connectedOnce = resolve));
  }

  get isConnected(): boolean {
    return this.client?.connected ?? false;
  }

  get queuedCount(): number {
    return this.queue.size;
  }

  openAlerts(): FleetAlert[] {
    return this.tracker.openAlerts();
  }

  start(): void {
    const { facts } = this.options;
    // Alerts that are already true at start are raised now (and sent once connected).
    for (const d of facts.devices()) this.onFact({ type: 'device', device: d });
    this.onFact({ type: 'health', health: facts.health() });
    this.unsubscribe = facts.subscribe((e) => this.onFact(e));
    const id = facts.identity();
    const opts: IClientOptions = {
      protocolVersion: 5,
      clean: true,
      clientId: `hk-${id.hallId}-${id.kioskId}`.slice(0, 120),
      keepalive: 30,
      connectTimeout: 10_000,
      reconnectPeriod: 0,
      resubscribe: true,
      queueQoSZero: false,
      properties: { sessionExpiryInterval: 0 },
      will: { topic: this.topics.status, payload: Buffer.from(this.offlineStatus()), qos: 1, retain: true },
      ...(this.options.username !== undefined ? { username: this.options.username } : {}),
      ...(this.options.password !== undefined ? { password: this.options.password } : {}),
      ...(this.options.ca ? { ca: this.options.ca } : {}),
    };
    const client = connect(this.options.url, opts);
    this.client = client;
    client.on('connect', () => this.onConnect());
    client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet));
    client.on('error', (e) => this.log.warn({ err: e.message, code: (e as { code?: unknown }).code }, 'fleet broker error'));
    client.on('close', () => this.scheduleReconnect());
    this.statsTimer = setInterval(() => this.publishStats(), this.options.statsIntervalS * 1000);
    this.statsTimer.unref();
  }

  /** Clean stop: retained offline status, then DISCONNECT (no Last Will). */
  async stop(): Promise<void> {
    this.halt();
    const client = this.client;
    if (!client) return;
    if (!client.connected) return void (await client.endAsync(true));
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      client.publish(this.topics.status, this.offlineStatus(), { qos: 1, retain: true }, () => {
        clearTimeout(t);
        resolve();
      });
    });
    await client.endAsync(!client.connected);
  }

  /** Drops the connection without DISCONNECT, as a crash or a cut cable would: the broker publishes the Last Will. */
  async kill(): Promise<void> {
    this.halt();
    await this.client?.endAsync(true);
  }

  private halt(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.statsTimer);
    clearTimeout(this.statusTimer);
    clearTimeout(this.reconnectTimer);
  }

  private onConnect(): void {
    this.attempts = 0;
    this.counters.connects++;
    const client = this.client!;
    client.subscribe(this.topics.cmd, { qos: 1 }, (err) => {
      if (err) this.log.error({ err: err.message }, 'fleet: cannot subscribe to commands');
    });
    this.publishStatus();
    for (const m of this.queue.drain()) this.send(m.kind, m.topic, m.payload);
    if (this.counters.connects === 1) this.publishStats();
    this.log.info({ url: this.options.url, connects: this.counters.connects }, 'fleet broker connected');
    this.connectedOnce?.();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const { minMs, maxMs } = this.options.backoff ?? { minMs: 1000, maxMs: 60_000 };
    const base = Math.min(maxMs, minMs * 2 ** Math.min(this.attempts, 16));
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopped || !this.client) return;
      // The Last Will carries the time it was registered: refresh it for this connection.
      if (this.client.options.will) this.client.options.will.payload = Buffer.from(this.offlineStatus());
      this.client.reconnect();
    }, delay);
    this.reconnectTimer.unref();
  }

  // ----- facts -> status and alerts -----------------------------------------------------------------------------

  private onFact(e: KioskFactEvent): void {
    switch (e.type) {
      case 'device':
        this.publishAlerts(this.tracker.update(`device:${e.device.id}`, deviceConditions(e.device)));
        break;
      case 'health':
        this.publishAlerts(this.tracker.update('health', healthConditions(e.health)));
        break;
      case 'read': {
        const n = e.ok ? 0 : (this.readFailures.get(e.device) ?? 0) + 1;
        this.readFailures.set(e.device, n);
        const cond =
          n >= READ_FAILURE_THRESHOLD
            ? [{ code: 'READ_FAILURES' as const, device: e.device, severity: 'warning' as const, message: `${e.device}: ${READ_FAILURE_THRESHOLD}+ failed reads in a row` }]
            : [];
        if (n === 0 || n >= READ_FAILURE_THRESHOLD) this.publishAlerts(this.tracker.update(`reads:${e.device}`, cond));
        return;
      }
      case 'config':
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown fact ${JSON.stringify(never)}`);
      }
    }
    this.statusChanged();
  }

  private statusChanged(): void {
    if (this.statusTimer || !this.client) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.publishStatus();
    }, this.options.statusDebounceMs ?? 100);
    this.statusTimer.unref();
  }

  private publishAlerts(alerts: FleetAlert[]): void {
    for (const a of alerts) this.send('alert', this.topics.alert, JSON.stringify(a));
  }

  statusMessage(): FleetStatus {
    const f = this.options.facts;
    const id = f.identity();
    const cfg = f.config();
    const devices: Record<string, { state: string; detail: string }> = {};
    for (const d of f.devices()) devices[d.id] = { state: d.state, detail: d.detail.slice(0, 200) };
    return {
      online: true,
      version: id.version,
      configVersion: cfg.versionId,
      fleetConfigVersion: cfg.fleetVersion,
      configName: cfg.name,
      host: id.host,
      uptimeS: f.uptimeS(),
      devices: devices as Extract<FleetStatus, { online: true }>['devices'],
      region: id.region,
      hallName: id.hallName,
      at: this.now().toISOString(),
    };
  }

  private publishStatus(): void {
    const client = this.client;
    if (!client?.connected) return;
    client.publish(this.topics.status, JSON.stringify(this.statusMessage()), { qos: 1, retain: true }, (err) => {
      if (err) this.log.warn({ err: err.message }, 'fleet: status not delivered; sent again on reconnect');
    });
    this.counters.statuses++;
  }

  statsMessage(): FleetStats {
    return { ...this.options.facts.stats(), at: this.now().toISOString() };
  }

  private publishStats(): void {
    this.send('stats', this.topics.stats, JSON.stringify(this.statsMessage()));
  }

  private send(kind: 'alert' | 'stats', topic: string, payload: string): void {
    const client = this.client;
    if (!client?.connected) {
      this.queue.push({ kind, topic, payload });
      this.counters.queued++;
      return;
    }
    this.counters.published++;
    client.publish(topic, payload, { qos: 1 }, (err) => {
      if (!err) {
        this.counters.acked++;
        return;
      }
      if (typeof (err as { code?: unknown }).code === 'number') {
        // The broker answered with a refusal (e.g. 135 not authorized: an ACL that does not match this kiosk's
        // account). Sending it again would be refused again: say so loudly, do not loop.
        this.log.error({ err: err.message, kind, topic }, 'fleet: broker refused the message');
        return;
      }
      this.log.warn({ err: err.message, kind }, 'fleet: message not acknowledged; queued for the next connection');
      this.queue.push({ kind, topic, payload });
    });
  }

  // ----- commands --------------------------------------------------------------------------------------------

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (topic !== this.topics.cmd) return;
    const responseTopic = packet.properties?.responseTopic;
    const correlation = packet.properties?.correlationData;
    if (!responseTopic) {
      this.log.warn({ topic }, 'fleet: command without a Response Topic ignored');
      return;
    }
    const key = correlation ? correlation.toString('base64') : undefined;
    this.commandChain = this.commandChain.then(async () => {
      // A QoS 1 redelivery of a request already answered gets the same answer, without running it twice.
      const cached = key !== undefined ? this.answers.get(key) : undefined;
      const answer = cached ?? (await this.execute(payload));
      if (key !== undefined && !cached) {
        this.answers.set(key, answer);
        if (this.answers.size > ANSWER_CACHE) this.answers.delete(this.answers.keys().next().value as string);
      }
      this.client?.publish(responseTopic, JSON.stringify(answer), { qos: 1, properties: correlation ? { correlationData: correlation } : {} }, (err) => {
        if (err) this.log.warn({ err: err.message }, 'fleet: answer not delivered');
      });
    });
  }

  private async execute(payload: Buffer): Promise<FleetAnswer> {
    this.counters.commands++;
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch (e) {
      return { ok: false, error: { code: 'FLEET_BAD_REQUEST', message: `command is not JSON: ${(e as Error).message}` } };
    }
    const parsed = FleetCommandSchema.safeParse(json);
    if (!parsed.success) {
      return { ok: false, error: { code: 'FLEET_BAD_REQUEST', message: `unknown or malformed command: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` } };
    }
    const cmd: FleetCommand = parsed.data;
    this.log.info({ command: cmd.name }, 'fleet command');
    switch (cmd.name) {
      case 'ping':
        return { ok: true, value: { pong: true, at: this.now().toISOString(), version: this.options.facts.identity().version, uptimeS: this.options.facts.uptimeS() } };
      case 'config.apply': {
        const answer = await applySignedConfig(this.options.control, this.options.publicKey, cmd, (r) => {
          this.publishAlerts([
            this.tracker.event({
              code: 'CONFIG_ROLLED_BACK',
              device: 'config',
              severity: 'critical',
              message: `fleet config rolled back after a failed self-check (version ${r.fromVersionId} -> ${r.toVersionId})`,
            }),
          ]);
        });
        this.statusChanged();
        if (!answer.ok) this.log.warn({ code: answer.error.code, version: cmd.version }, 'fleet config refused');
        return answer;
      }
      case 'bundle.request': {
        try {
          const b = await this.options.control.bundle();
          const max = this.options.maxBundleBytes ?? 4 * 1024 * 1024;
          if (b.data.length > max) return { ok: false, error: { code: 'FLEET_BUNDLE_FAILED', message: `bundle is ${b.data.length} bytes, more than ${max}` } };
          return { ok: true, value: { filename: b.filename, bytes: b.data.length, sha256: createHash('sha256').update(b.data).digest('hex'), data: b.data.toString('base64') } };
        } catch (e) {
          return { ok: false, error: { code: 'FLEET_BUNDLE_FAILED', message: e instanceof Error ? e.message : String(e) } };
        }
      }
      case 'restart': {
        const now = this.now().getTime();
        const at = cmd.at === undefined ? new Date(now + 5000) : new Date(cmd.at);
        if (Number.isNaN(at.getTime())) return { ok: false, error: { code: 'FLEET_RESTART_REFUSED', message: `at must be an ISO time, got ${cmd.at}` } };
        if (at.getTime() < now - 60_000 || at.getTime() > now + 7 * 86_400_000) {
          return { ok: false, error: { code: 'FLEET_RESTART_REFUSED', message: 'at must be between now and 7 days ahead' } };
        }
        this.options.control.scheduleRestart(at);
        return { ok: true, value: { scheduledAt: at.toISOString() } };
      }
      default: {
        const never: never = cmd;
        throw new Error(`unhandled command ${JSON.stringify(never)}`);
      }
    }
  }

  private offlineStatus(): string {
    return JSON.stringify({ online: false, at: this.now().toISOString() });
  }
}
