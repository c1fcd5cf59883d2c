import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withDemoHours } from '../../kiosk-config/demo.js';
import { utcOffsetMinutes } from '../../kiosk-config/hall-clock.js';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { Bootstrap, HostKind, KioskMode, Result } from '../contract/index.js';
import { DeviceManager } from '../devices/device-manager.js';
import { planDevices, type DevicePlan } from '../devices/device-plan.js';
import { QueueEngine } from '../queue/engine.js';
import { RemoteQueueClient } from '../queue/remote-client.js';
import { JsonFileAppointmentProvider, SqliteAppointmentProvider, type AppointmentProvider } from '../queue/appointments.js';
import { CompositeAppointmentProvider } from '../queue/composite-appointments.js';
import type { CitizenQueue } from '../handlers/citizen/index.js';
import { CatalogStore } from '../catalog/catalog-store.js';
import { isRequestName, requests } from '../contract/index.js';
import { openDatabase, schemaVersion, type Db } from '../storage/database.js';
import { HostError } from '../errors.js';
import { CitizenSession } from '../session/citizen-session.js';
import { RequestDispatcher, type CallContext, type Handlers } from '../core/dispatcher.js';
import { EventHub } from '../core/event-hub.js';
import type { Health, LanState } from '../core/health.js';
import { createLogger, logSink, type Logger } from '../core/logger.js';
import { toPublicConfig } from '../core/public-config.js';
import { createCitizenHandlers } from '../handlers/citizen/index.js';
import type { KioskContext } from '../handlers/context.js';
import { createStaffHandlers, staffConnectionClosed, withStaffRole } from '../handlers/staff.js';
import { recordPrint } from '../staff/reports.js';
import { staffOf } from '../staff/staff-service.js';
import { seedSampleAppointments } from '../simulation/sim-appointments.js';
import { createSimHandlers } from '../simulation/sim-handlers.js';
import { SimulationRig } from '../simulation/sim-rig.js';
import { APP_VERSION } from '../core/version.js';
import { projectRoot } from '../config/load.js';
import { PROVISIONING_SCREEN } from '../config/config-source.js';
import { PRINTER_PROFILES } from '../../drivers/escpos/profiles.js';

export type { Health, LanState } from '../core/health.js';

export interface KioskServicesOptions {
  config: KioskConfig;
  configPath: string;
  dataDir: string;
  /** `--simulate`: every device simulated, and demo mode whatever the config says. */
  simulate: boolean;
  /** No hall configuration yet (packaged install): `config` is a placeholder, no device, no LAN API, no demo data. */
  provisioning?: boolean;
  hostKind: HostKind;
  /** Injectable clock for tests. */
  now?: () => Date;
}

/**
 * The composition root: everything the kiosk does, independent of the host that shows it — config, storage,
 * devices (each real, simulated or absent by its own config entry), the citizen's session and the request handlers.
 * The Electron host and the browser host both build exactly this and bridge it. Services and handlers below import
 * nothing from here; they see the KioskContext interface (main/handlers/context.ts), which this class implements.
 * Boot order (Fiddle's setupX): data dir → logs → database → devices → handlers.
 */
export class KioskServices implements KioskContext {
  readonly hub = new EventHub();
  readonly logger: Logger;
  readonly db: Db;
  readonly devices: DeviceManager;
  /** The simulators of the simulated devices (none when every device is real). */
  readonly rig: SimulationRig | undefined;
  readonly plan: DevicePlan;
  /** demo | installation | provisioning (see KioskMode). */
  readonly mode: KioskMode;
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
    this.mode = options.provisioning ? 'provisioning' : options.simulate || options.config.demo ? 'demo' : 'installation';
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    logSink.toFile(path.join(options.dataDir, 'logs'));
    this.logger = createLogger('main');
    this.installationSecret = loadOrCreateSecret(path.join(options.dataDir, 'installation.key'), this.logger);
    this.db = openDatabase({ file: path.join(options.dataDir, 'kiosk.db') });
    this.session = new CitizenSession({
      now: this.now,
      elderlyAge: this.config.queue.priority.elderlyAge,
      utcOffsetMinutes: utcOffsetMinutes(this.config.hall.utcOffset),
    });
    this.localAppointments = new SqliteAppointmentProvider(this.db, this.installationSecret, this.config.hall.utcOffset);
    this.queue_ = this.createQueue(this.config);
    this.catalog = new CatalogStore(options.dataDir);
    this.plan = planDevices(this.config.devices, { simulateAll: options.simulate, provisioning: options.provisioning ?? false });
    this.rig = this.plan.simulators.length
      ? new SimulationRig({
          parts: this.plan.simulators,
          profile: PRINTER_PROFILES[this.plan.config.receiptPrinter.profile],
          ledAddresses: Object.values(this.plan.config.callDisplay.ledStrip?.addresses ?? {}),
        })
      : undefined;
    this.devices = new DeviceManager({
      plan: this.plan,
      simulators: this.rig?.factories() ?? {},
      onPrint: (entry) => recordPrint(this.db, entry),
      hub: this.hub,
      session: this.session,
      logger: this.logger.child('devices'),
      db: this.db,
      now: this.now,
      voiceDir: path.join(projectRoot(), 'dist', 'voice'),
    });
    this.dispatcher = new RequestDispatcher({
      handlers: this.buildHandlers(),
      demo: () => this.demo,
      logger: this.logger.child('bridge'),
    });
  }

  /** Demo mode: `--simulate` or `"demo": true`. Only a demo has the simulator panel, sample PINs and bookings. */
  get demo(): boolean {
    return this.mode === 'demo';
  }

  private lan_: LanState = { state: 'off', reason: 'not started' };

  /** The hall LAN API's state, set by whoever starts (or refuses to start) it; shown on /healthz. */
  setLanState(state: LanState): void {
    this.lan_ = state;
  }

  get lanState(): LanState {
    return this.lan_;
  }

  static async start(options: KioskServicesOptions): Promise<KioskServices> {
    const services = new KioskServices(options);
    await staffOf(services).ready;
    await services.devices.start();
    const rig = services.rig;
    if (services.demo && rig) {
      // Demo data exists only in demo mode, never because some device happens to be simulated.
      rig.setAppointments(seedSampleAppointments(services.localAppointments, services.db, services.currentConfig, services.now()));
      services.cleanups.push(rig.onReceipt((r) => services.hub.emit('sim-receipt', r)));
    }
    for (const w of services.modeWarnings()) services.logger.warn({ devices: w.devices }, w.sentence);
    if (services.mode === 'provisioning') services.setLanState({ state: 'provisioning', reason: 'no hall configuration: provision the kiosk first' });
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
      { host: options.hostKind, mode: services.mode, devices: services.plan.modes, config: options.config.name },
      'kiosk services started',
    );
    return services;
  }

  private readonly cleanups: (() => void)[] = [];

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
    // Demo or installation is decided at start (demo data, sample PINs, the LAN API's secret check).
    const demoChanged = config.demo !== this.config.demo;
    this.config = config;
    this.queue_ = this.createQueue(config);
    for (const l of this.queueReplaced) l();
    for (const l of this.configListeners) l(config);
    this.hub.emit('config-changed', toPublicConfig(withDemoHours(config, this.demo)));
    this.logger.info({ author: meta.author, config: config.name, devicesChanged }, 'configuration applied');
    return { restartNeededFor: [...(devicesChanged ? ['devices'] : []), ...(demoChanged ? ['demo'] : [])] };
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
      config: withDemoHours(config, this.demo).queue,
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
    // Only that connection's readiness: another page (the lobby kiosk's own) keeps receiving events.
    this.hub.markNotReady(connectionId);
    // The citizen's identity belongs to the page session of this connection: it ends with it. A page that
    // reconnects learns it from `session-ended` (queued for it) and starts over.
    if (this.session.detach(connectionId)) this.hub.emit('session-ended', { reason: 'connection-closed' });
  }

  /**
   * A page said hello (`app.bootstrap`, fresh; or `app.ready` on a new connection): it starts with no identity.
   * Card reads and scans queued for it from before its hello belong to the wiped session and are dropped (and a
   * fresh page has no earlier session to end).
   */
  private pageHello(connectionId: string, fresh: boolean): void {
    const wiped = this.session.attach(connectionId, fresh);
    if (fresh) this.hub.discardQueued(connectionId, ['card-read', 'code-scanned', 'session-ended']);
    else if (wiped) this.hub.discardQueued(connectionId, ['card-read', 'code-scanned']);
  }

  bootstrap(): Bootstrap {
    return {
      hostKind: this.options.hostKind,
      simulation: this.demo,
      mode: this.mode,
      ...(this.mode === 'provisioning' ? { provisioning: PROVISIONING_SCREEN } : {}),
      version: APP_VERSION,
      config: toPublicConfig(withDemoHours(this.config, this.demo)),
      devices: this.devices.statuses(),
      now: this.now().getTime(),
      cardOnReader: this.session.cardOnReader,
    };
  }

  /**
   * Mixes a hall must not go live with, each as one sentence (logged at start, printed by the host): a demo config
   * driving real devices (a copied sample hall), and an installation with simulated devices (a device left out of
   * `devices` is its simulator: it must be configured, or set to `"transport": "simulated"` on purpose).
   */
  modeWarnings(): { devices: string[]; sentence: string }[] {
    const of = (mode: string) => Object.entries(this.plan.modes).filter(([id, m]) => m === mode && id !== 'a4Printer').map(([id]) => id);
    const out: { devices: string[]; sentence: string }[] = [];
    const real = of('real');
    if (this.demo && real.length) {
      out.push({ devices: real, sentence: `DEMO mode with real devices (${real.join(', ')}): simulator panel, sample PINs and sample tokens are on; remove "demo": true from the config for an installation` });
    }
    const simulated = of('simulated');
    if (this.mode === 'installation' && simulated.length) {
      out.push({ devices: simulated, sentence: `installation with simulated devices (${simulated.join(', ')}): these are simulators, not hardware; configure them under "devices" (npm run diag -- ports lists what is attached)` });
    }
    return out;
  }

  health(): Health {
    const devices = this.devices.statuses().map((d) => ({
      id: d.id,
      state: d.state,
      simulated: d.simulated,
      detail: d.detail,
      transport: d.transport,
      ...(d.lastError ? { lastError: d.lastError } : {}),
      ...(d.link ? { link: d.link } : {}),
    }));
    let storage: Health['storage'];
    try {
      storage = { status: 'ok', schemaVersion: schemaVersion(this.db), file: 'kiosk.db' };
    } catch (e) {
      this.logger.error({ err: e }, 'storage health check failed');
      storage = { status: 'error', schemaVersion: -1, file: 'kiosk.db' };
    }
    const degraded =
      this.mode === 'provisioning' || this.lan_.state === 'refused' || storage.status !== 'ok' || devices.some((d) => d.state === 'error' || d.state === 'offline');
    return {
      status: degraded ? 'degraded' : 'ok',
      host: this.options.hostKind,
      version: APP_VERSION,
      mode: this.mode,
      config: { name: this.config.name, version: this.config.configVersion, file: path.basename(this.options.configPath), hall: this.config.hall.id },
      simulation: this.devices.anySimulated,
      devices,
      lan: this.lan_,
      storage,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    clearInterval(this.probeTimer);
    for (const c of this.cleanups.splice(0)) c();
    this.session.wipe('shutdown');
    await this.devices.stop();
    this.db.close();
    this.logger.info({}, 'kiosk services stopped');
    logSink.close();
  }

  private buildHandlers(): Handlers {
    return {
      'app.bootstrap': (_input, ctx) => {
        this.pageHello(ctx.connectionId, true);
        return this.bootstrap();
      },
      'app.ready': (_input, ctx) => {
        this.pageHello(ctx.connectionId, false);
        return { queued: this.hub.markReady(ctx.connectionId) };
      },
      'devices.list': () => this.devices.statuses(),
      'session.identity': (_input, ctx) => this.session.view(ctx.connectionId),
      'session.end': ({ reason }, ctx) => {
        // Only the page the citizen is on may end the citizen's session; another page's time-out is its own affair.
        if (!this.session.isPageOf(ctx.connectionId)) return { wiped: false };
        const wiped = this.session.wipe(reason);
        this.hub.emit('session-ended', { reason });
        return { wiped };
      },
      ...createSimHandlers(this.demo ? this.rig : undefined, { hub: this.hub, devices: this.devices, logger: this.logger.child('sim'), modes: this.plan.modes }),
      ...createCitizenHandlers(this),
      ...createStaffHandlers(this),
    };
  }
}

const PURGE_INTERVAL_MS = 6 * 3600_000;

function loadOrCreateSecret(file: string, logger: Logger): Buffer {
  if (existsSync(file)) {
    const key = readFileSync(file);
    if (key.length >= 32) return key;
    // Replacing it is the only way on; say so: person keys of earlier tickets and bookings stop matching.
    logger.error({ file: path.basename(file), bytes: key.length }, 'installation key shorter than 32 bytes; replaced by a new one');
  }
  const key = randomBytes(32);
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600); // `mode` applies only to a file writeFileSync creates
  return key;
}
