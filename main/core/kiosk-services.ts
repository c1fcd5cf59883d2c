import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { Bootstrap, DeviceStatus, HostKind, Result } from '../contract/index.js';
import { DeviceManager } from '../devices/device-manager.js';
import { openDatabase, schemaVersion, type Db } from '../storage/database.js';
import { CitizenSession } from '../session/citizen-session.js';
import { RequestDispatcher, type CallContext, type Handlers } from './dispatcher.js';
import { EventHub } from './event-hub.js';
import { createLogger, logSink, type Logger } from './logger.js';
import { toPublicConfig } from './public-config.js';
import { APP_VERSION } from './version.js';

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
  readonly startedAt = Date.now();
  /** Per-installation secret (HMAC key for person keys); a 0600 file in the data dir, never in the database. */
  readonly installationSecret: Buffer;
  private config: KioskConfig;
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
    this.session = new CitizenSession({ now: this.now });
    this.devices = new DeviceManager({
      config: this.config.devices,
      simulate: options.simulate,
      hub: this.hub,
      session: this.session,
      logger: this.logger.child('devices'),
      db: this.db,
      now: this.now,
    });
    this.dispatcher = new RequestDispatcher({
      handlers: this.buildHandlers(),
      simulation: () => this.devices.simulation,
      logger: this.logger.child('bridge'),
    });
  }

  static async start(options: KioskServicesOptions): Promise<KioskServices> {
    const services = new KioskServices(options);
    await services.devices.start();
    services.logger.info(
      { host: options.hostKind, simulation: services.devices.simulation, config: options.config.name },
      'kiosk services started',
    );
    return services;
  }

  get currentConfig(): KioskConfig {
    return this.config;
  }

  call(name: unknown, input: unknown, ctx: CallContext): Promise<Result<unknown>> {
    return this.dispatcher.dispatch(name, input, ctx);
  }

  /** A UI connection went away: its staff session (if any) ends with it. */
  connectionClosed(_connectionId: string): void {
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
    this.session.wipe('shutdown');
    await this.devices.stop();
    this.db.close();
    this.logger.info({}, 'kiosk services stopped');
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
    };
  }
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
