import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { Bootstrap, DeviceStatus, HostKind, Result } from '../contract/index.js';
import { DeviceManager } from '../devices/device-manager.js';
import { QueueEngine } from '../queue/engine.js';
import { RemoteQueueClient } from '../queue/remote-client.js';
import { JsonFileAppointmentProvider, SqliteAppointmentProvider, type AppointmentProvider } from '../queue/appointments.js';
import { CompositeAppointmentProvider } from '../queue/composite-appointments.js';
import type { CitizenQueue } from '../handlers/citizen.js';
import { CatalogStore } from '../catalog/catalog-store.js';
import { isRequestName, requests } from '../contract/index.js';
import { openDatabase, schemaVersion, type Db } from '../storage/database.js';
import { HostError } from '../errors.js';
import { CitizenSession } from '../session/citizen-session.js';
import { RequestDispatcher, type CallContext, type Handlers } from './dispatcher.js';
import { EventHub } from './event-hub.js';
import { createLogger, logSink, type Logger } from './logger.js';
import { toPublicConfig } from './public-config.js';
import { createCitizenHandlers } from '../handlers/citizen.js';
import { createStaffHandlers, staffConnectionClosed, withStaffRole } from '../handlers/staff.js';
import { staffOf } from '../staff/staff-service.js';
import { seedSampleAppointments } from '../simulation/sim-appointments.js';
import { APP_VERSION } from './version.js';
import { projectRoot } from '../config/load.js';

export interface KioskServicesOptions {
  config: KioskConfig;
  configPath: string;
  dataDir: string;
  /** Force every device to its simulator (`--simulate`). */
  simulate: boolean;
  hostKind: HostKind;
  /** Injectable clock for tests. */
  now?: () => Date;
}

export interface Health {
  status: 'ok' | 'degraded';
  host: HostKind;
  version: string;
  config: { name: string; version: number; file: string; hall: string };
  simulation: boolean;
  devices: Pick<DeviceStatus, 'id' | 'state' | 'simulated' | 'detail' | 'transport' | 'lastError'>[];
  storage: { status: 'ok' | 'error'; schemaVersion: number; file: string };
  uptimeSeconds: number;
}

/**
 * Everything the kiosk does, independent of the host that shows it: config, storage, devices, the citizen's
 * session and the request handlers. The Electron host and the browser host both build exactly this and bridge it.
 * Boot order (Fiddle's setupX): data dir → logs → database → devices → handlers.
 */
export class KioskServices {
  readonly hub = new EventHub();
  readonly logger: Logger;
  readonly db: Db;
  readonly devices: DeviceManager;
  readonly session: CitizenSession;
  /** The hall's service catalog (办事指南) and its search index. */
  readonly catalog: CatalogStore;
  readonly startedAt = Date.now();
  /** Per-installation secret (HMAC key for person keys); a 0600 file in the data dir, never in the database. */
  readonly installationSecret: Buffer;
  private config: KioskConfig;
  private queue_: QueueEngine;
  private readonly queueReplaced = new Set<() => void>();
  private readonly configListeners = new Set<(c: KioskConfig) => void>();
  private readonly dispatcher: RequestDispatcher;
  readonly now: () => Date;

  private constructor(readonly options: KioskServicesOptions) {
    this.now = options.now ?? (() => new Date());
    this.config = options.config;
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    logSink.toFile(path.join(options.dataDir, 'logs'));
    this.logger = createLogger('main');
    this.installationSecret = loadOrCreateSecret(path.join(options.dataDir, 'installation.key'));
    this.db = openDatabase({ file: path.join(options.dataDir, 'kiosk.db') });
    this.session = new CitizenSession({
      now: this.now,
      elderlyAge: this.config.queue.priority.elderlyAge,
      utcOffsetMinutes: utcOffsetMinutes(this.config.hall.utcOffset),
    });
    this.localAppointments = new SqliteAppointmentProvider(this.db, this.installationSecret, this.config.hall.utcOffset);
    this.queue_ = this.createQueue(this.config);
    this.catalog = new CatalogStore(options.dataDir);
    this.devices = new DeviceManager({
      config: this.config.devices,
      simulate: options.simulate,
      hub: this.hub,
      session: this.session,
      logger: this.logger.child('devices'),
      db: this.db,
      now: this.now,
      voiceDir: path.join(projectRoot(), 'dist', 'voice'),
    });
    this.dispatcher = new RequestDispatcher({
      handlers: this.buildHandlers(),
      simulation: () => this.devices.simulation,
      logger: this.logger.child('bridge'),
    });
  }

  static async start(options: KioskServicesOptions): Promise<KioskServices> {
    const services = new KioskServices(options);
    await staffOf(services).ready;
    await services.devices.start();
    const rig = services.devices.rig;
    if (rig) rig.setAppointments(seedSampleAppointments(services.localAppointments, services.db, services.currentConfig, services.now()));
    services.purgeExpired();
    services.purgeTimer = setInterval(() => services.purgeExpired(), PURGE_INTERVAL_MS);
    services.purgeTimer.unref();
    if (options.config.network.queue.role === 'client') {
      // A client kiosk probes the queue host so the screen can show 取号暂不可用 and recover by itself.
      services.probeTimer = setInterval(() => {
        void Promise.resolve(services.citizenQueue.snapshot()).catch(() => undefined /* state is tracked by citizenQueue */);
      }, 5000);
      services.probeTimer.unref();
    }
    services.logger.info(
      { host: options.hostKind, simulation: services.devices.simulation, config: options.config.name },
      'kiosk services started',
    );
    return services;
  }

  private purgeTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;

  /**
   * Retention (PIPL: shortest retention): removes person keys of tickets and appointments older than
   * `queue.retentionDays`; statistics stay. Runs at start and every six hours.
   */
  purgeExpired(): { tickets: number; appointments: number } {
    try {
      const r = this.queue.purge(this.now());
      if (r.tickets || r.appointments) this.logger.info(r, 'expired person keys purged');
      return r;
    } catch (e) {
      this.logger.error({ err: e }, 'retention purge failed');
      return { tickets: 0, appointments: 0 };
    }
  }

  get currentConfig(): KioskConfig {
    return this.config;
  }

  /** The hall's queue (this kiosk is the queue host: its SQLite is the source of truth). */
  get queue(): QueueEngine {
    return this.queue_;
  }

  /**
   * The queue as the citizen flows use it: this kiosk's own engine when it is the hall's queue host, or the queue
   * host over the LAN (`network.queue.role = client`). A client never reports a ticket the host did not confirm:
   * an unreachable host is QUEUE_HOST_UNREACHABLE, shown as 取号暂不可用, and `queue-availability` events tell the
   * UI when it comes back.
   */
  get citizenQueue(): CitizenQueue {
    const net = this.config.network.queue;
    if (net.role === 'host') return this.queue_;
    this.remote ??= new RemoteQueueClient({ baseUrl: net.url, token: net.token });
    const remote = this.remote;
    const watch = <T>(p: Promise<T>): Promise<T> =>
      p.then(
        (v) => {
          this.setQueueAvailable(true);
          return v;
        },
        (e: unknown) => {
          if (e instanceof HostError && e.code === 'QUEUE_HOST_UNREACHABLE') this.setQueueAvailable(false);
          throw e;
        },
      );
    return {
      issueTicket: (i) =>
        watch(
          remote.issueTicket({
            categoryId: i.categoryId,
            ...(i.idNumber ? { idNumber: i.idNumber } : {}),
            ...(i.birthDate ? { birthDate: i.birthDate } : {}),
            ...(i.priority ? { priority: i.priority } : {}),
            requestId: i.requestId ?? randomBytes(12).toString('hex'),
          }),
        ),
      getTicket: (r) => watch(remote.getTicket(r)),
      checkIn: (i) => watch(remote.checkIn(i)),
      rate: (i) => watch(remote.rate(i)),
      snapshot: () => watch(remote.snapshot()),
    };
  }

  private remote: RemoteQueueClient | undefined;
  private queueAvailable = true;

  private setQueueAvailable(available: boolean): void {
    if (available === this.queueAvailable) return;
    this.queueAvailable = available;
    this.logger.warn({ available }, available ? 'queue host reachable again' : 'queue host unreachable');
    this.hub.emit('queue-availability', { available });
  }

  onQueueReplaced(listener: () => void): () => void {
    this.queueReplaced.add(listener);
    return () => this.queueReplaced.delete(listener);
  }

  onConfigApplied(listener: (c: KioskConfig) => void): () => void {
    this.configListeners.add(listener);
    return () => this.configListeners.delete(listener);
  }

  /**
   * Applies a validated config to the running kiosk without a restart: the queue follows the new categories and
   * hours, the citizen screen gets `config-changed`. Device sections take effect at the next start (their ports are
   * open); the caller (manager console) is told so. Versioning and audit are the caller's job.
   */
  applyConfig(config: KioskConfig, meta: { author: string; comment?: string }): { restartNeededFor: string[] } {
    const devicesChanged = JSON.stringify(config.devices) !== JSON.stringify(this.config.devices);
    this.config = config;
    this.queue_ = this.createQueue(config);
    for (const l of this.queueReplaced) l();
    for (const l of this.configListeners) l(config);
    this.hub.emit('config-changed', toPublicConfig(config));
    this.logger.info({ author: meta.author, config: config.name, devicesChanged }, 'configuration applied');
    return { restartNeededFor: devicesChanged ? ['devices'] : [] };
  }

  /** The kiosk's own bookings (made at a counter, or seeded by the simulator). */
  readonly localAppointments: SqliteAppointmentProvider;

  private appointmentSources(config: KioskConfig): CompositeAppointmentProvider {
    const sources: AppointmentProvider[] = [this.localAppointments];
    const file = path.join(this.options.dataDir, 'appointments.json');
    if (existsSync(file)) {
      try {
        sources.push(JsonFileAppointmentProvider.fromFile(file, { secret: this.installationSecret, utcOffset: config.hall.utcOffset }));
      } catch (e) {
        this.logger.error({ err: e, file: 'appointments.json' }, 'appointment import file refused; check-in uses local bookings only');
      }
    }
    return new CompositeAppointmentProvider(sources);
  }

  private createQueue(config: KioskConfig): QueueEngine {
    const engine = new QueueEngine({
      appointments: this.appointmentSources(config),
      db: this.db,
      config: config.queue,
      secret: this.installationSecret,
      clock: { now: this.now },
      utcOffset: config.hall.utcOffset,
      logger: this.logger.child('queue'),
    });
    engine.on((e) => {
      if (e.type === 'queue-changed') this.hub.emit('queue-changed', { at: e.at, categoryIds: e.categoryIds });
      else {
        this.hub.emit('ticket-called', { number: e.number, window: e.window, categoryId: e.categoryId, at: e.at, recall: e.recall });
        this.devices?.announceCall({ ticket: e.number, window: e.window, category: e.categoryId, at: Date.parse(e.at) });
      }
    });
    return engine;
  }

  /**
   * Requests from the LAN staff bridge: only staff-access requests and `auth.*` sign-in requests are accepted
   * there; everything a citizen or the simulator may do stays on the kiosk's own 127.0.0.1 bridge.
   */
  callStaff(name: unknown, input: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (!isRequestName(name)) return this.dispatcher.dispatch(name, input, ctx);
    const access = requests[name].access;
    const allowed = access === 'staff' || access === 'manager' || access === 'technician' || name.startsWith('auth.');
    if (!allowed) return Promise.resolve({ ok: false, error: { code: 'AUTH_FORBIDDEN', message: `${name} is not available on the LAN` } });
    return this.dispatcher.dispatch(name, input, withStaffRole(this, name, input, ctx));
  }

  call(name: unknown, input: unknown, ctx: CallContext): Promise<Result<unknown>> {
    return this.dispatcher.dispatch(name, input, withStaffRole(this, name, input, ctx));
  }

  /** A UI connection went away: its staff session (if any) ends with it. */
  connectionClosed(connectionId: string): void {
    staffConnectionClosed(this, connectionId);
    this.hub.markNotReady();
  }

  bootstrap(): Bootstrap {
    return {
      hostKind: this.options.hostKind,
      simulation: this.devices.simulation,
      version: APP_VERSION,
      config: toPublicConfig(this.config),
      devices: this.devices.statuses(),
      now: this.now().getTime(),
    };
  }

  health(): Health {
    const devices = this.devices.statuses().map((d) => ({
      id: d.id,
      state: d.state,
      simulated: d.simulated,
      detail: d.detail,
      transport: d.transport,
      ...(d.lastError ? { lastError: d.lastError } : {}),
    }));
    let storage: Health['storage'];
    try {
      storage = { status: 'ok', schemaVersion: schemaVersion(this.db), file: 'kiosk.db' };
    } catch (e) {
      this.logger.error({ err: e }, 'storage health check failed');
      storage = { status: 'error', schemaVersion: -1, file: 'kiosk.db' };
    }
    const degraded = storage.status !== 'ok' || devices.some((d) => d.state === 'error' || d.state === 'offline');
    return {
      status: degraded ? 'degraded' : 'ok',
      host: this.options.hostKind,
      version: APP_VERSION,
      config: { name: this.config.name, version: this.config.configVersion, file: path.basename(this.options.configPath), hall: this.config.hall.id },
      simulation: this.devices.simulation,
      devices,
      storage,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    clearInterval(this.probeTimer);
    this.session.wipe('shutdown');
    await this.devices.stop();
    this.db.close();
    this.logger.info({}, 'kiosk services stopped');
    logSink.close();
  }

  private buildHandlers(): Handlers {
    return {
      'app.bootstrap': () => this.bootstrap(),
      'app.ready': () => ({ queued: this.hub.markReady() }),
      'devices.list': () => this.devices.statuses(),
      'session.identity': () => this.session.view(),
      'session.end': ({ reason }) => {
        const wiped = this.session.wipe(reason);
        this.hub.emit('session-ended', { reason });
        return { wiped };
      },
      ...this.devices.simHandlers(),
      ...createCitizenHandlers(this),
      ...createStaffHandlers(this),
    };
  }
}

const PURGE_INTERVAL_MS = 6 * 3600_000;

function utcOffsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) return 480;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function loadOrCreateSecret(file: string): Buffer {
  if (existsSync(file)) {
    const key = readFileSync(file);
    if (key.length >= 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}
