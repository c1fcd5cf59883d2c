import { hostname } from 'node:os';
import { RATING_LEVELS } from '../../kiosk-config/queue.js';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import { FLEET_DEVICE_IDS, type FleetDeviceId, type FleetStats } from '../contract/fleet.js';
import type { DeviceStatus } from '../contract/index.js';
import { toPublicConfig } from '../core/public-config.js';
import { APP_VERSION } from '../core/version.js';
import { HallTime } from '../queue/hall-time.js';
import { computeQueueStats } from '../queue/stats.js';
import type { KioskContext } from '../handlers/context.js';
import { collectDiagnosticBundle } from '../handlers/staff.js';
import { staffOf, type StaffHost } from '../staff/staff-service.js';
import type { DeviceFact, HealthFact, KioskControl, KioskFactEvent, KioskFacts, KioskIdentity } from './kiosk-port.js';

/**
 * KioskFacts / KioskControl over the running host. It reads what the kiosk already knows — device states from the
 * DeviceManager's `device-status` events, queue availability, storage health, the day's counts from the queue's
 * statistics — and applies fleet configs through the staff config history (a new version whose author/origin is
 * "fleet", audited), the same path as a manager's save. Only counts and states cross: never a person's data.
 */
export interface FleetHostServices extends StaffHost {
  readonly startedAt: number;
  readonly citizenQueue: { snapshot(): unknown };
  health(): ReturnType<KioskContext['health']>;
}

const META_LAST = 'fleet.lastVersion';
const META_RUNNING = 'fleet.running';

export class HostKioskPort implements KioskFacts, KioskControl {
  private readonly listeners = new Set<(e: KioskFactEvent) => void>();
  private readonly untap: () => void;
  private queueReachable = true;
  private idle = { day: '', count: 0 };
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly services: FleetHostServices,
    private readonly options: { region?: string; restart: () => void },
  ) {
    this.untap = services.hub.tap((name, payload) => this.onEvent(name, payload));
  }

  close(): void {
    this.untap();
    clearTimeout(this.restartTimer);
  }

  private onEvent(name: string, payload: unknown): void {
    switch (name) {
      case 'device-status': {
        const d = payload as DeviceStatus;
        if ((FLEET_DEVICE_IDS as readonly string[]).includes(d.id)) this.emit({ type: 'device', device: fact(d) });
        return;
      }
      case 'queue-availability':
        this.queueReachable = (payload as { available: boolean }).available;
        this.emit({ type: 'health', health: this.health() });
        return;
      case 'card-error':
        this.emit({ type: 'read', device: 'idCard', ok: false });
        return;
      case 'card-read':
        this.emit({ type: 'read', device: 'idCard', ok: true });
        return;
      case 'session-ended': {
        if ((payload as { reason?: string }).reason !== 'timeout') return;
        const day = this.hallTime().day(this.services.now());
        this.idle = { day, count: (this.idle.day === day ? this.idle.count : 0) + 1 };
        return;
      }
      case 'config-changed':
        this.emit({ type: 'config' });
        return;
      default:
        return;
    }
  }

  private emit(e: KioskFactEvent): void {
    for (const l of this.listeners) l(e);
  }

  private hallTime(): HallTime {
    return new HallTime(this.services.currentConfig.hall.utcOffset);
  }

  // ----- KioskFacts ----------------------------------------------------------------------------------------------

  identity(): KioskIdentity {
    const c = this.services.currentConfig;
    return { hallId: c.hall.id, kioskId: c.kiosk.id, hallName: c.hall.name['zh-CN'], region: this.options.region ?? '', version: APP_VERSION, host: hostname() };
  }

  devices(): DeviceFact[] {
    return this.services.devices.statuses().filter((d) => (FLEET_DEVICE_IDS as readonly string[]).includes(d.id)).map(fact);
  }

  health(): HealthFact {
    let storage: HealthFact['storage'];
    try {
      storage = this.services.health().storage.status;
    } catch (e) {
      this.services.logger.error({ err: e }, 'fleet: health check failed');
      storage = 'error';
    }
    return { storage, queueReachable: this.queueReachable };
  }

  stats(): Omit<FleetStats, 'at'> {
    const now = this.services.now();
    const ht = this.hallTime();
    const day = ht.day(now);
    const from = new Date(ht.startOfDay(day));
    const q = computeQueueStats(this.services.db, ht, { from, to: new Date(now.getTime() + 1) });
    const tickets: Record<string, number> = {};
    for (const c of q.perCategory) tickets[c.categoryId] = c.issued;
    const ratings: Record<string, number> = {};
    for (const l of RATING_LEVELS) ratings[String(l.level)] = q.ratings.distribution.find((d) => d.level === l.level)?.count ?? 0;
    const help = this.services.db.prepare('SELECT COUNT(*) AS n FROM help_requests WHERE at >= ? AND at <= ?').get(from.getTime(), now.getTime()) as { n: number };
    const statuses = this.services.devices.statuses();
    const counter = (id: string, key: string) => statuses.find((d) => d.id === id)?.counters[key] ?? 0;
    return {
      day,
      tickets,
      // Printer counters run since the host started (a restart resets them); tickets and ratings are the day's.
      prints: counter('receiptPrinter', 'jobsPrinted'),
      a4Pages: counter('a4Printer', 'pages'),
      ratings,
      helpRequests: help.n,
      idleResets: this.idle.day === day ? this.idle.count : 0,
    };
  }

  config(): { versionId: number | null; fleetVersion: number | null; name: string } {
    const versionId = staffOf(this.services).versions.currentId();
    const running = this.meta(META_RUNNING)?.split(':');
    const fleetVersion = running && Number(running[0]) === versionId ? Number(running[1]) : null;
    return { versionId, fleetVersion, name: this.services.currentConfig.name };
  }

  uptimeS(): number {
    return Math.round((Date.now() - this.services.startedAt) / 1000);
  }

  subscribe(listener: (e: KioskFactEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ----- KioskControl --------------------------------------------------------------------------------------------

  currentConfig(): KioskConfig {
    return this.services.currentConfig;
  }

  lastFleetVersion(): number | null {
    const v = this.meta(META_LAST);
    return v === undefined ? null : Number(v);
  }

  applyFleetConfig(config: KioskConfig, meta: { fleetVersion: number; comment: string }) {
    const staff = staffOf(this.services);
    const previousVersionId = staff.versions.currentId();
    const saved = staff.versions.save(config, 'fleet', meta.comment);
    if (!saved.saved) throw new Error(saved.problems.map((p) => p.sentence).join(' '));
    const r = this.services.applyConfig(config, { author: 'fleet', comment: meta.comment });
    staff.versions.setCurrent(saved.version.id);
    this.setMeta(META_LAST, String(meta.fleetVersion));
    this.setMeta(META_RUNNING, `${saved.version.id}:${meta.fleetVersion}`);
    staff.audit.record({ actor: 'fleet', action: 'config.fleet-apply', target: `version ${saved.version.id}`, outcome: 'ok', detail: { fleetVersion: meta.fleetVersion } });
    return { versionId: saved.version.id, previousVersionId, restartNeededFor: r.restartNeededFor };
  }

  rollback(versionId: number, reason: string): { versionId: number } {
    const staff = staffOf(this.services);
    const v = staff.versions.rollback(versionId, 'fleet', reason);
    this.services.applyConfig(staff.versions.config(v.id), { author: 'fleet', comment: reason });
    staff.versions.setCurrent(v.id);
    staff.audit.record({ actor: 'fleet', action: 'config.fleet-rollback', target: `version ${versionId}`, outcome: 'ok', detail: { newVersion: v.id } });
    return { versionId: v.id };
  }

  /** After a fleet apply: storage usable, the running config publishes, and (queue host) the queue answers. */
  async selfCheck(): Promise<{ ok: boolean; problems: string[] }> {
    const problems: string[] = [];
    if (this.health().storage !== 'ok') problems.push('storage: database not usable');
    try {
      toPublicConfig(this.services.currentConfig);
    } catch (e) {
      problems.push(`config: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.services.currentConfig.network.queue.role === 'host') {
      try {
        await this.services.citizenQueue.snapshot();
      } catch (e) {
        problems.push(`queue: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { ok: problems.length === 0, problems };
  }

  bundle(): Promise<{ filename: string; data: Buffer }> {
    const b = collectDiagnosticBundle(this.services, 'fleet');
    return Promise.resolve({ filename: b.filename, data: b.data });
  }

  scheduleRestart(at: Date): void {
    clearTimeout(this.restartTimer);
    const staff = staffOf(this.services);
    staff.audit.record({ actor: 'fleet', action: 'host.restart-scheduled', target: at.toISOString(), outcome: 'ok' });
    this.restartTimer = setTimeout(() => this.options.restart(), Math.max(0, at.getTime() - Date.now()));
    this.restartTimer.unref();
  }

  private meta(key: string): string | undefined {
    return (this.services.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  private setMeta(key: string, value: string): void {
    this.services.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

function fact(d: DeviceStatus): DeviceFact {
  return { id: d.id as FleetDeviceId, state: d.state, detail: d.detail };
}
