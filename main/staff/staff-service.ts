import path from 'node:path';
import type { Catalog } from '../../kiosk-config/catalog/schema.js';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { CatalogStore } from '../catalog/catalog-store.js';
import type { DeviceStatus, DeviceTestAction, DeviceTestResult, TraceEntryView } from '../contract/index.js';
import type { CallContext } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { Logger } from '../core/logger.js';
import type { DeviceManager } from '../devices/device-manager.js';
import type { CitizenSession } from '../session/citizen-session.js';
import type { Db } from '../storage/database.js';
import { redactValue } from '../core/redact.js';
import { AuditLog } from './audit.js';
import { StaffAuth, STAFF_ROLES, type StaffRole } from './auth.js';
import { ConfigVersionStore } from './config-store.js';
import { REDACTED } from './config-secrets.js';
import { createDeviceProbe, type DeviceProbe } from './device-probe.js';
import { DEFAULT_STAFF_IDLE_MINUTES, StaffSessions } from './sessions.js';

const META_IDLE = 'staff.idleMinutes';

/** What the staff side needs of the kiosk's services (implemented by the composition root, main/app/). */
export interface StaffHost {
  readonly now: () => Date;
  readonly logger: Logger;
  readonly db: Db;
  readonly hub: EventHub;
  readonly session: CitizenSession;
  readonly catalog: CatalogStore;
  readonly devices: DeviceManager;
  /** Demo mode: the only mode in which the sample staff PINs are seeded. */
  readonly demo: boolean;
  readonly currentConfig: KioskConfig;
  readonly options: { readonly configPath: string };
  applyConfig(config: KioskConfig, meta: { author: string; comment?: string }): { restartNeededFor: string[] };
}

/**
 * The staff side of one KioskServices: auth, sessions bound to connections, audit, config versions, and the
 * glue to devices, queue and catalog. One per services object (see `staffOf`).
 */
export class StaffService {
  readonly audit: AuditLog;
  readonly auth: StaffAuth;
  readonly sessions: StaffSessions;
  readonly versions: ConfigVersionStore;
  readonly ready: Promise<void>;
  probe: DeviceProbe;
  private readonly log: Logger;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(readonly services: StaffHost) {
    const now = services.now;
    this.log = services.logger.child('staff');
    this.audit = new AuditLog(services.db, now);
    this.auth = new StaffAuth({ db: services.db, audit: this.audit, now, logger: this.log.child('auth') });
    this.sessions = new StaffSessions({
      audit: this.audit,
      now,
      idleMinutes: () => this.idleMinutes(),
      onEnd: (s, reason) => this.log.info({ role: s.role, connectionId: s.connectionId, reason }, 'staff session ended'),
    });
    this.versions = new ConfigVersionStore(services.db, now);
    this.probe = createDeviceProbe(this.log.child('probe'));

    // Which config runs: a changed file wins; otherwise the manager's newest saved version survives the restart.
    const r = this.versions.reconcile(services.currentConfig, path.basename(services.options.configPath));
    if (!r.fromFile) {
      services.applyConfig(r.config, { author: 'system', comment: `restored version ${r.version.id}` });
      this.log.info({ version: r.version.id }, 'configuration restored from the stored versions');
    }

    this.ready = this.auth.seed(process.env, services.demo).then(
      (s) => {
        if (s.seeded.length) this.log.info({ roles: s.seeded, sample: services.demo && !process.env.KIOSK_INITIAL_MANAGER_PIN }, 'staff PINs seeded');
      },
      (e: unknown) => {
        this.log.error({ err: e }, 'seeding staff PINs failed');
        throw e;
      },
    );
    // Close idle sessions on time (and audit them) even when nobody calls.
    this.sweepTimer = setInterval(() => this.sessions.sweep(), 15_000);
    this.sweepTimer.unref();
  }

  stop(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  idleMinutes(): number {
    const stored = this.services.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(META_IDLE) as { value: string } | undefined;
    const fromEnv = Number(process.env.KIOSK_STAFF_IDLE_MINUTES);
    const v = stored ? Number(stored.value) : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_STAFF_IDLE_MINUTES;
    return Math.min(60, Math.max(1, v));
  }

  setIdleMinutes(minutes: number, by: StaffRole): number {
    this.services.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(META_IDLE, String(minutes));
    this.audit.record({ actor: by, action: 'staff.set-idle-minutes', outcome: 'ok', detail: { minutes } });
    return minutes;
  }

  /** Signs in and binds the session to the caller's connection. */
  async signIn(role: StaffRole, pin: string, ctx: CallContext) {
    await this.ready;
    await this.auth.signIn(role, pin, `${ctx.via}:${ctx.connectionId}`);
    this.sessions.start(ctx.connectionId, role);
    // A staff member must never see a citizen's session: whatever was on screen is wiped. Only on the kiosk page the
    // citizen is on: a manager signing in on the LAN must not end the lobby citizen's session (issue 10 binding).
    if (this.services.session.isPageOf(ctx.connectionId) && this.services.session.wipe('staff-entry')) {
      this.services.hub.emit('session-ended', { reason: 'staff-entry' });
    }
    return { role, idleMinutes: this.idleMinutes(), remainingMs: this.sessions.remainingMs(ctx.connectionId) ?? 0 };
  }

  async changePin(role: StaffRole, pin: string, ctx: CallContext, by: StaffRole): Promise<{ changed: true }> {
    await this.ready;
    await this.auth.changePin(role, pin, by);
    this.sessions.endRole(role, 'pin-changed', ctx.connectionId);
    return { changed: true };
  }

  /** Validates, stores as a new version and applies. Devices and network sections stay as they run. */
  saveConfig(raw: unknown, author: StaffRole, comment: string, keep: readonly ('devices' | 'network')[]) {
    const current = this.services.currentConfig;
    const kept: string[] = [];
    let merged: unknown = raw;
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const copy = { ...(raw as Record<string, unknown>) };
      for (const k of keep) {
        if (JSON.stringify(copy[k]) !== JSON.stringify(current[k])) kept.push(k);
        copy[k] = current[k];
      }
      merged = copy;
    }
    if (JSON.stringify(merged).includes(REDACTED)) {
      // A placeholder that could not be matched to a running secret must never become a token.
      return { saved: false as const, problems: [{ path: 'network', sentence: 'network: a token is still the redaction placeholder; type the real token.' }] };
    }
    const r = this.versions.save(merged, author, comment);
    if (!r.saved) {
      this.audit.record({ actor: author, action: 'config.save', outcome: 'failed', detail: { problems: r.problems.map((p) => p.path) } });
      return r;
    }
    const applied = this.apply(r.version.id, author, comment);
    this.audit.record({ actor: author, action: 'config.save', target: `version ${r.version.id}`, outcome: 'ok', detail: { comment, kept } });
    return { saved: true as const, version: r.version, kept, restartNeededFor: applied };
  }

  rollback(id: number, author: StaffRole, comment: string) {
    const version = this.versions.rollback(id, author, comment);
    const applied = this.apply(version.id, author, version.comment);
    this.audit.record({ actor: author, action: 'config.rollback', target: `version ${id}`, outcome: 'ok', detail: { newVersion: version.id } });
    return { saved: true as const, version, kept: [], restartNeededFor: applied };
  }

  private apply(versionId: number, author: string, comment: string): string[] {
    const config = this.versions.config(versionId);
    const r = this.services.applyConfig(config, { author, comment });
    this.versions.setCurrent(versionId);
    return r.restartNeededFor;
  }

  // ----- catalog ---------------------------------------------------------------------------------------------

  currentCatalog(): Catalog {
    return this.services.catalog.catalog;
  }

  /** Validated by the caller; the store validates again, writes atomically and swaps the citizen screens' index. */
  replaceCatalog(catalog: Catalog, author: StaffRole): void {
    this.services.catalog.replace(catalog);
    this.log.info({ author, items: catalog.items.length }, 'service catalog replaced');
  }

  // ----- devices ---------------------------------------------------------------------------------------------

  trace(since: number): { entries: TraceEntryView[]; next: number } {
    const entries = this.services.devices.traceSince(since).slice(-500);
    const next = entries.length ? entries[entries.length - 1]!.seq : since;
    return { entries: entries.map((e) => ({ seq: e.seq, device: e.device, dir: e.dir, at: e.at, length: e.length, hex: e.hex, meaning: e.meaning })), next };
  }

  async testAction(device: DeviceStatus['id'], action: DeviceTestAction, by: StaffRole): Promise<DeviceTestResult> {
    const started = Date.now();
    let result: DeviceTestResult;
    try {
      const value = await this.services.devices.testAction(device, action);
      result = { device, action, ok: true, message: describeTestValue(value), ms: Date.now() - started };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      result = {
        device,
        action,
        ok: false,
        code: typeof code === 'string' ? code : 'INTERNAL',
        message: e instanceof Error ? e.message : String(e),
        ms: Date.now() - started,
      };
      if (typeof code !== 'string') this.log.error({ err: e, device, action }, 'device test crashed');
    }
    this.audit.record({ actor: by, action: 'device.test', target: `${device}/${action}`, outcome: result.ok ? 'ok' : 'failed', detail: result.code ? { code: result.code } : {} });
    return result;
  }
}

/** A test's value as one sentence; a card read arrives masked from the DeviceManager and stays so. */
function describeTestValue(value: unknown): string {
  if (value === undefined || value === null) return 'done';
  if (typeof value === 'string') return String(redactValue(value));
  if (typeof value === 'object' && 'message' in value && typeof (value as { message: unknown }).message === 'string') return String(redactValue((value as { message: string }).message));
  return JSON.stringify(redactValue(value));
}

const registry = new WeakMap<StaffHost, StaffService>();

/** The StaffService of a services object, created on first use (from buildHandlers, during construction). */
export function staffOf(services: StaffHost): StaffService {
  let s = registry.get(services);
  if (!s) {
    s = new StaffService(services);
    registry.set(services, s);
  }
  return s;
}

export { STAFF_ROLES };
