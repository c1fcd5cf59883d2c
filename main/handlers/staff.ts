import { catalogFromCsv, catalogToCsv } from '../../kiosk-config/catalog/csv.js';
import { validateCatalog } from '../../kiosk-config/catalog/validate.js';
import { DevicesSchema } from '../../kiosk-config/devices.js';
import { issuesToProblems, validateKioskConfig } from '../../kiosk-config/validate.js';
import { listHidDevices, listSerialPorts } from '../../drivers/transport/discovery.js';
import { renderDocumentPdf } from '../../drivers/a4/pdf.js';
import {
  PASSIVE_STAFF_REQUESTS,
  type DiscoveryView,
  type HallStatsView,
  type LiveHallView,
  type RequestName,
  type StaffRoleName,
} from '../contract/index.js';
import type { CallContext, Handlers } from '../core/dispatcher.js';
import type { KioskContext as KioskServices } from './context.js';
import { recentLogs } from '../core/logger.js';
import { APP_VERSION } from '../core/version.js';
import { HostError } from '../errors.js';
import { buildDiagnosticBundle } from '../staff/bundle.js';
import { restoreSecrets, withoutSecrets } from '../staff/config-secrets.js';
import { checkDevices } from '../staff/device-probe.js';
import { printUsage, reportToCsv, reportToPdfSpec, type HallReport } from '../staff/reports.js';
import { staffOf, type StaffHost } from '../staff/staff-service.js';

type StaffHandlerNames = Extract<
  RequestName,
  `auth.${string}` | `staff.${string}` | `config.${string}` | `catalog.${string}` | `hall.${string}` | `stats.${string}` | `tech.${string}`
>;

/** The role the dispatcher already checked; a handler reached without one is a wiring defect. */
function roleOf(ctx: CallContext): StaffRoleName {
  if (!ctx.staffRole) throw new HostError('AUTH_REQUIRED', 'staff sign-in required');
  return ctx.staffRole;
}

/**
 * Called by KioskServices.call before dispatching: puts the connection's staff role (if its session is alive) into
 * the context. Polling requests do not count as activity for the idle time-out.
 */
export function withStaffRole(services: KioskServices, name: unknown, input: unknown, ctx: CallContext): CallContext {
  const staff = staffOf(services);
  const touch = name === 'auth.session' && typeof input === 'object' && input !== null && (input as { touch?: unknown }).touch === true;
  const passive = typeof name === 'string' && PASSIVE_STAFF_REQUESTS.includes(name) && !touch;
  const staffRole = staff.sessions.roleFor(ctx.connectionId, passive ? 'passive' : 'active');
  return { ...ctx, staffRole };
}

/** A UI connection closed: its staff session ends with it. */
export function staffConnectionClosed(services: KioskServices, connectionId: string): void {
  staffOf(services).sessions.end(connectionId, 'disconnected');
}

/** `YYYY-MM-DD` .. `YYYY-MM-DD` (inclusive, hall-local days) → [from, to) instants. */
function dayRange(services: KioskServices, from: string, to: string): { from: Date; to: Date } {
  const offset = services.currentConfig.hall.utcOffset;
  const start = new Date(`${from}T00:00:00${offset}`);
  const end = new Date(new Date(`${to}T00:00:00${offset}`).getTime() + 24 * 3600_000);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new HostError('BAD_REQUEST', 'invalid day range');
  if (end.getTime() - start.getTime() > 367 * 24 * 3600_000) throw new HostError('BAD_REQUEST', 'a statistics range is at most one year');
  return { from: start, to: end };
}

function report(services: KioskServices, fromDay: string, toDay: string): HallReport {
  const range = dayRange(services, fromDay, toDay);
  const stats: HallStatsView = services.queue.stats(range);
  const config = services.currentConfig;
  const categoryNames = Object.fromEntries(config.queue.categories.map((c) => [c.id, c.name['zh-CN']]));
  return { hallName: config.hall.name['zh-CN'], fromDay, toDay, stats, prints: printUsage(services.db, range), categoryNames, utcOffset: config.hall.utcOffset };
}

/**
 * The kiosk's diagnostic bundle (config versions, devices, health, recent logs, audit; redacted by
 * `buildDiagnosticBundle`), recorded in the audit log under `actor`. The technician console and the fleet agent's
 * `bundle.request` both take it from here.
 */
export function collectDiagnosticBundle(services: StaffHost & Pick<KioskServices, 'health'>, actor: string): ReturnType<typeof buildDiagnosticBundle> {
  const staff = staffOf(services);
  const versions = staff.versions.list(20).map((meta) => {
    try {
      return { meta, config: staff.versions.config(meta.id) };
    } catch (e) {
      return { meta, config: { error: e instanceof Error ? e.message : String(e) } };
    }
  });
  const b = buildDiagnosticBundle({
    now: services.now(),
    appVersion: APP_VERSION,
    kioskId: services.currentConfig.kiosk.id,
    config: services.currentConfig,
    currentVersion: staff.versions.currentId(),
    versions,
    devices: services.devices.statuses(),
    health: services.health(),
    logs: recentLogs({ limit: 2000 }),
    audit: staff.audit.list({ limit: 500 }),
  });
  staff.audit.record({ actor, action: 'tech.bundle', target: b.filename, outcome: 'ok', detail: { bytes: b.data.length } });
  return b;
}

export function createStaffHandlers(services: KioskServices): Pick<Handlers, StaffHandlerNames> {
  const staff = staffOf(services);

  return {
    'auth.signIn': ({ role, pin }, ctx) => staff.signIn(role, pin, ctx),
    'auth.signOut': (_input, ctx) => ({ signedOut: staff.sessions.end(ctx.connectionId, 'sign-out') }),
    'auth.session': (_input, ctx) => {
      const s = ctx.staffRole ? staff.sessions.get(ctx.connectionId) : undefined;
      if (!s) return null;
      return { role: s.role, idleMinutes: staff.idleMinutes(), remainingMs: staff.sessions.remainingMs(ctx.connectionId) ?? 0 };
    },

    'staff.credentials': async () => {
      await staff.ready;
      return staff.auth.status();
    },
    'staff.changePin': ({ role, pin }, ctx) => staff.changePin(role, pin, ctx, roleOf(ctx)),
    'staff.setIdleMinutes': ({ minutes }, ctx) => ({ idleMinutes: staff.setIdleMinutes(minutes, roleOf(ctx)) }),
    'staff.audit': ({ limit }) => staff.audit.list({ limit }),

    'config.current': () => ({ version: staff.versions.currentId(), config: withoutSecrets(services.currentConfig) }),
    'config.validate': ({ config }) => {
      const r = validateKioskConfig(restoreSecrets(config, services.currentConfig));
      return { problems: r.ok ? [] : r.problems };
    },
    'config.save': ({ config, comment }, ctx) =>
      staff.saveConfig(restoreSecrets(config, services.currentConfig), roleOf(ctx), comment, ['devices', 'network']),
    'config.versions': () => ({ current: staff.versions.currentId(), versions: staff.versions.list() }),
    'config.version': ({ id }) => ({ version: staff.versions.version(id), config: withoutSecrets(staff.versions.config(id)) }),
    'config.diff': ({ from, to }) => {
      // Diff the redacted bodies: a changed token shows as "unchanged [redacted]" rather than leaking either value.
      staff.versions.version(from);
      staff.versions.version(to);
      return staff.versions
        .diff(from, to)
        .map((d) => (d.path.startsWith('network.apiTokens') || d.path.startsWith('network.queue') ? { path: d.path, kind: d.kind } : d));
    },
    'config.rollback': ({ id, comment }, ctx) => staff.rollback(id, roleOf(ctx), comment),

    'catalog.export': ({ format }, ctx) => {
      const catalog = staff.currentCatalog();
      staff.audit.record({ actor: roleOf(ctx), action: 'catalog.export', target: format, outcome: 'ok', detail: { items: catalog.items.length } });
      return format === 'json'
        ? { filename: `catalog-${catalog.updatedAt.slice(0, 10)}.json`, mime: 'application/json', text: JSON.stringify(catalog, null, 2) }
        : { filename: `catalog-${catalog.updatedAt.slice(0, 10)}.csv`, mime: 'text/csv', text: catalogToCsv(catalog) };
    },
    'catalog.import': ({ format, text }, ctx) => {
      const by = roleOf(ctx);
      let r;
      if (format === 'json') {
        let json: unknown;
        try {
          json = JSON.parse(text.replace(/^\uFEFF/, ''));
        } catch (e) {
          const message = `the file is not valid JSON (${(e as Error).message})`;
          return { ok: false as const, errors: [{ index: null, path: '', message: `Catalog: ${message}.`, issues: [{ path: '', code: 'invalid_json', message }] }] };
        }
        r = validateCatalog(json);
      } else {
        const { items: _items, ...envelope } = staff.currentCatalog();
        r = catalogFromCsv(text, envelope);
      }
      if (!r.ok) {
        staff.audit.record({ actor: by, action: 'catalog.import', target: format, outcome: 'failed', detail: { badRows: r.errors.length } });
        return { ok: false as const, errors: r.errors };
      }
      staff.replaceCatalog(r.catalog, by);
      staff.audit.record({ actor: by, action: 'catalog.import', target: format, outcome: 'ok', detail: { items: r.catalog.items.length, updatedAt: r.catalog.updatedAt } });
      return { ok: true as const, items: r.catalog.items.length, updatedAt: r.catalog.updatedAt };
    },

    'hall.live': (): LiveHallView => {
      const snap = services.queue.snapshot();
      const hourAgo = services.now().getTime() - 3600_000;
      const lastHour = snap.recentCalls.filter((c) => Date.parse(c.at) >= hourAgo);
      return {
        at: snap.at,
        day: snap.day,
        categories: snap.categories.map((c) => ({
          id: c.id,
          prefix: c.prefix,
          name: c.name,
          open: c.open,
          waiting: c.waiting,
          priorityWaiting: c.priorityWaiting,
          longestWaitMinutes: c.longestWaitMinutes,
          estimatedWaitMinutes: c.estimatedWaitMinutes,
          openCounters: c.openCounters,
          issuedToday: c.issuedToday,
          quotaLeft: c.quotaLeft,
        })),
        counters: snap.counters,
        callsLastHour: lastHour.length,
        recentCalls: snap.recentCalls.slice(0, 20).map((c) => ({ number: c.number, window: c.window, categoryId: c.categoryId, at: c.at, recall: c.recall })),
      };
    },
    'stats.report': ({ from, to }) => report(services, from, to),
    'stats.export': async ({ from, to, format }, ctx) => {
      const r = report(services, from, to);
      staff.audit.record({ actor: roleOf(ctx), action: 'stats.export', target: format, outcome: 'ok', detail: { from, to } });
      const base = `hall-report-${services.currentConfig.hall.id}-${from}_${to}`;
      if (format === 'csv') return { filename: `${base}.csv`, mime: 'text/csv', text: reportToCsv(r) };
      const pdf = await renderDocumentPdf(reportToPdfSpec(r, services.now()));
      return { filename: `${base}.pdf`, mime: 'application/pdf', base64: pdf.toString('base64') };
    },

    'tech.devices': () => {
      const h = services.health();
      return {
        devices: services.devices.statuses(),
        health: { status: h.status, storage: { status: h.storage.status, schemaVersion: h.storage.schemaVersion }, uptimeSeconds: h.uptimeSeconds, config: { name: h.config.name, version: staff.versions.currentId() } },
      };
    },
    'tech.test': ({ device, action }, ctx) => staff.testAction(device, action, roleOf(ctx)),
    'tech.trace': ({ since }) => staff.trace(since),
    'tech.discover': async (): Promise<DiscoveryView> => {
      const problems: string[] = [];
      const serial = await listSerialPorts().catch((e: unknown) => {
        problems.push(`serial ports: ${(e as Error).message}`);
        return [];
      });
      const hid = await listHidDevices().catch((e: unknown) => {
        problems.push(`HID devices: ${(e as Error).message}`);
        return [];
      });
      return { serial, hid, problems };
    },
    'tech.deviceConfig': async ({ devices, save, comment }, ctx) => {
      const by = roleOf(ctx);
      const parsed = DevicesSchema.safeParse(devices);
      if (!parsed.success) {
        const problems = issuesToProblems(parsed.error.issues).map((p) => ({ path: `devices.${p.path}`, sentence: `devices.${p.sentence}` }));
        return { saved: false, problems, checks: [] };
      }
      const checks = await checkDevices(staff.probe, services.currentConfig.devices, parsed.data);
      const allOk = checks.every((c) => c.ok);
      staff.audit.record({
        actor: by,
        action: 'device.check',
        outcome: allOk ? 'ok' : 'failed',
        detail: { failed: checks.filter((c) => !c.ok).map((c) => `${c.device}:${c.code ?? ''}`) },
      });
      if (!save || !allOk) return { saved: false, problems: [], checks };
      const r = staff.saveConfig({ ...services.currentConfig, devices: parsed.data }, by, comment || 'device configuration', []);
      if (!r.saved) return { saved: false, problems: r.problems, checks };
      return { saved: true, problems: [], checks, version: r.version, restartNeededFor: r.restartNeededFor };
    },
    'tech.logs': ({ sub, minLevel, limit }) => recentLogs({ minLevel, limit, ...(sub ? { sub } : {}) }),
    'tech.bundle': (_input, ctx) => {
      const b = collectDiagnosticBundle(services, roleOf(ctx));
      return { filename: b.filename, mime: 'application/gzip', base64: b.data.toString('base64'), files: b.files };
    },
  };
}
