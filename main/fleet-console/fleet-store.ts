import {
  FleetAlertSchema,
  FleetStatsSchema,
  FleetStatusSchema,
  type FleetAlertView,
  type FleetHallTodayView,
  type FleetKioskView,
  type FleetStats,
} from '../contract/fleet.js';
import type { Db } from '../storage/database.js';
import { parseKioskTopic } from '../fleet/topics.js';

/**
 * What the console knows about the fleet, from the kiosks' messages: every kiosk's last status, open alerts (and
 * recently closed ones), the day's totals per kiosk. Kept in memory for the live page and written to SQLite:
 * alerts at once (they are the record the supervising department asks for), kiosk rows and day totals in one
 * transaction per flush (status and stats arrive by the thousand; see the load rig).
 */
export type StoreChange =
  | { kind: 'kiosk'; key: string }
  | { kind: 'alert'; alert: FleetAlertView }
  | { kind: 'today'; hallId: string };

interface KioskStats {
  hallId: string;
  kioskId: string;
  stats: FleetStats;
}

const RECENT_CLOSED = 200;
/** A kiosk's clock may be off: its alert time is trusted within this much of the console's clock. */
const CLOCK_TRUST_MS = 10 * 60_000;

export class FleetStore {
  readonly kiosks = new Map<string, FleetKioskView>();
  readonly openAlerts = new Map<string, FleetAlertView>();
  recentlyClosed: FleetAlertView[] = [];
  private readonly stats = new Map<string, KioskStats>();
  private readonly dirtyKiosks = new Set<string>();
  private readonly dirtyStats = new Set<string>();
  counters = { messages: 0, rejected: 0 };

  constructor(
    private readonly db: Db,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.load();
  }

  private load(): void {
    const rows = this.db.prepare('SELECT * FROM kiosks').all() as {
      hall_id: string;
      kiosk_id: string;
      region: string;
      hall_name: string;
      online: number;
      last_seen: number;
      version: string | null;
      config_version: number | null;
      fleet_config_version: number | null;
      devices: string;
    }[];
    for (const r of rows) {
      const devices = JSON.parse(r.devices) as FleetKioskView['devices'];
      this.kiosks.set(`${r.hall_id}/${r.kiosk_id}`, {
        key: `${r.hall_id}/${r.kiosk_id}`,
        hallId: r.hall_id,
        kioskId: r.kiosk_id,
        region: r.region,
        hallName: r.hall_name,
        // Until the broker hands the retained status again, the console does not claim to know it is online.
        online: false,
        lastSeen: r.last_seen,
        version: r.version,
        configVersion: r.config_version,
        fleetConfigVersion: r.fleet_config_version,
        devices,
        faults: faultsOf(devices),
      });
    }
    const open = this.db.prepare('SELECT * FROM alerts WHERE closed_at IS NULL').all() as AlertRow[];
    for (const a of open) this.openAlerts.set(a.id, alertView(a));
    const latestDay = (this.db.prepare('SELECT MAX(day) AS d FROM daily_stats').get() as { d: string | null }).d;
    if (latestDay) {
      const stats = this.db.prepare('SELECT * FROM daily_stats WHERE day >= ?').all(previousDay(latestDay)) as StatsRow[];
      for (const s of stats) this.stats.set(`${s.hall_id}/${s.kiosk_id}`, { hallId: s.hall_id, kioskId: s.kiosk_id, stats: statsOf(s) });
    }
  }

  /** One MQTT message; returns what changed (for the live page). */
  ingest(topic: string, payload: Buffer): StoreChange[] {
    const t = parseKioskTopic(this.prefix, topic);
    if (!t || t.kind === 'cmd' || t.kind === 'reply') return [];
    this.counters.messages++;
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      // Not JSON: counted as rejected (shown on /healthz); a kiosk never sends this.
      this.counters.rejected++;
      return [];
    }
    const key = `${t.hallId}/${t.kioskId}`;
    const at = this.now();
    switch (t.kind) {
      case 'status': {
        const s = FleetStatusSchema.safeParse(json);
        if (!s.success) return this.reject();
        const k = this.kiosk(t.hallId, t.kioskId, at);
        if (s.data.online) {
          k.online = true;
          k.version = s.data.version;
          k.configVersion = s.data.configVersion;
          k.fleetConfigVersion = s.data.fleetConfigVersion ?? null;
          k.devices = s.data.devices;
          k.faults = faultsOf(s.data.devices);
          if (s.data.region !== undefined) k.region = s.data.region;
          if (s.data.hallName !== undefined) k.hallName = s.data.hallName;
        } else {
          k.online = false;
        }
        k.lastSeen = at;
        this.dirtyKiosks.add(key);
        return [{ kind: 'kiosk', key }];
      }
      case 'alert': {
        const a = FleetAlertSchema.safeParse(json);
        if (!a.success) return this.reject();
        const k = this.kiosk(t.hallId, t.kioskId, at);
        k.lastSeen = at;
        this.dirtyKiosks.add(key);
        const kioskAt = Date.parse(a.data.at);
        const when = Number.isFinite(kioskAt) && Math.abs(kioskAt - at) < CLOCK_TRUST_MS ? kioskAt : at;
        if (!a.data.resolved) {
          if (this.openAlerts.has(a.data.id)) return [];
          const view: FleetAlertView = { ...a.data, key, hallId: t.hallId, kioskId: t.kioskId, openedAt: when, closedAt: null };
          this.openAlerts.set(view.id, view);
          this.db
            .prepare('INSERT OR IGNORE INTO alerts (id, hall_id, kiosk_id, code, device, severity, message, opened_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)')
            .run(view.id, t.hallId, t.kioskId, view.code, view.device, view.severity, view.message, when);
          return [{ kind: 'alert', alert: view }];
        }
        const open = this.openAlerts.get(a.data.id);
        const closed: FleetAlertView = open
          ? { ...open, resolved: true, closedAt: when }
          : { ...a.data, key, hallId: t.hallId, kioskId: t.kioskId, openedAt: when, closedAt: when };
        this.openAlerts.delete(a.data.id);
        this.recentlyClosed.unshift(closed);
        if (this.recentlyClosed.length > RECENT_CLOSED) this.recentlyClosed.length = RECENT_CLOSED;
        this.db
          .prepare(
            `INSERT INTO alerts (id, hall_id, kiosk_id, code, device, severity, message, opened_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET closed_at = excluded.closed_at`,
          )
          .run(closed.id, t.hallId, t.kioskId, closed.code, closed.device, closed.severity, closed.message, closed.openedAt, when);
        return [{ kind: 'alert', alert: closed }];
      }
      case 'stats': {
        const s = FleetStatsSchema.safeParse(json);
        if (!s.success) return this.reject();
        const k = this.kiosk(t.hallId, t.kioskId, at);
        k.lastSeen = at;
        this.dirtyKiosks.add(key);
        this.stats.set(key, { hallId: t.hallId, kioskId: t.kioskId, stats: s.data });
        this.dirtyStats.add(key);
        return [{ kind: 'today', hallId: t.hallId }];
      }
      default: {
        const never: never = t.kind;
        throw new Error(`unhandled topic kind ${String(never)}`);
      }
    }
  }

  private reject(): StoreChange[] {
    this.counters.rejected++;
    return [];
  }

  private kiosk(hallId: string, kioskId: string, at: number): FleetKioskView {
    const key = `${hallId}/${kioskId}`;
    let k = this.kiosks.get(key);
    if (!k) {
      k = { key, hallId, kioskId, region: '', hallName: hallId, online: false, lastSeen: at, version: null, configVersion: null, fleetConfigVersion: null, devices: {}, faults: 0 };
      this.kiosks.set(key, k);
    }
    return k;
  }

  /** Writes changed kiosk rows and day totals in one transaction. */
  flush(): void {
    if (this.dirtyKiosks.size === 0 && this.dirtyStats.size === 0) return;
    const upKiosk = this.db.prepare(
      `INSERT INTO kiosks (hall_id, kiosk_id, region, hall_name, online, last_seen, version, config_version, fleet_config_version, devices)
       VALUES (@hallId, @kioskId, @region, @hallName, @online, @lastSeen, @version, @configVersion, @fleetConfigVersion, @devices)
       ON CONFLICT (hall_id, kiosk_id) DO UPDATE SET region = excluded.region, hall_name = excluded.hall_name, online = excluded.online,
         last_seen = excluded.last_seen, version = excluded.version, config_version = excluded.config_version,
         fleet_config_version = excluded.fleet_config_version, devices = excluded.devices`,
    );
    const upStats = this.db.prepare(
      `INSERT INTO daily_stats (day, hall_id, kiosk_id, tickets, tickets_by_category, prints, a4_pages, help_requests, idle_resets, rating_1, rating_2, rating_3, rating_4, rating_5, updated_at)
       VALUES (@day, @hallId, @kioskId, @tickets, @byCategory, @prints, @a4Pages, @helpRequests, @idleResets, @r1, @r2, @r3, @r4, @r5, @updatedAt)
       ON CONFLICT (day, hall_id, kiosk_id) DO UPDATE SET tickets = excluded.tickets, tickets_by_category = excluded.tickets_by_category,
         prints = excluded.prints, a4_pages = excluded.a4_pages, help_requests = excluded.help_requests, idle_resets = excluded.idle_resets,
         rating_1 = excluded.rating_1, rating_2 = excluded.rating_2, rating_3 = excluded.rating_3, rating_4 = excluded.rating_4,
         rating_5 = excluded.rating_5, updated_at = excluded.updated_at`,
    );
    const kioskKeys = [...this.dirtyKiosks];
    const statKeys = [...this.dirtyStats];
    this.dirtyKiosks.clear();
    this.dirtyStats.clear();
    const now = this.now();
    this.db.transaction(() => {
      for (const key of kioskKeys) {
        const k = this.kiosks.get(key)!;
        upKiosk.run({ ...k, online: k.online ? 1 : 0, devices: JSON.stringify(k.devices) });
      }
      for (const key of statKeys) {
        const { hallId, kioskId, stats: s } = this.stats.get(key)!;
        const r = (l: number) => s.ratings[String(l)] ?? 0;
        upStats.run({
          day: s.day,
          hallId,
          kioskId,
          tickets: Object.values(s.tickets).reduce((a, b) => a + b, 0),
          byCategory: JSON.stringify(s.tickets),
          prints: s.prints,
          a4Pages: s.a4Pages,
          helpRequests: s.helpRequests,
          idleResets: s.idleResets,
          r1: r(1),
          r2: r(2),
          r3: r(3),
          r4: r(4),
          r5: r(5),
          updatedAt: now,
        });
      }
    })();
  }

  /** The hall's counts for its newest day (each kiosk reports its hall's service day). */
  hallToday(hallId: string): FleetHallTodayView {
    const mine = [...this.stats.values()].filter((s) => s.hallId === hallId);
    const day = mine.reduce((d, s) => (s.stats.day > d ? s.stats.day : d), '');
    const today = mine.filter((s) => s.stats.day === day);
    const ratings: Record<string, number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    for (const s of today) for (const [l, n] of Object.entries(s.stats.ratings)) ratings[l] = (ratings[l] ?? 0) + n;
    return {
      hallId,
      day,
      tickets: today.reduce((a, s) => a + Object.values(s.stats.tickets).reduce((x, y) => x + y, 0), 0),
      prints: today.reduce((a, s) => a + s.stats.prints, 0),
      a4Pages: today.reduce((a, s) => a + s.stats.a4Pages, 0),
      ratings,
      kiosks: today.length,
    };
  }

  halls(): string[] {
    return [...new Set([...this.kiosks.values()].map((k) => k.hallId))].sort();
  }

  alertsForPage(): FleetAlertView[] {
    return [...this.openAlerts.values(), ...this.recentlyClosed.slice(0, 50)];
  }
}

interface AlertRow {
  id: string;
  hall_id: string;
  kiosk_id: string;
  code: string;
  device: string;
  severity: string;
  message: string;
  opened_at: number;
  closed_at: number | null;
}

interface StatsRow {
  day: string;
  hall_id: string;
  kiosk_id: string;
  tickets_by_category: string;
  prints: number;
  a4_pages: number;
  help_requests: number;
  idle_resets: number;
  rating_1: number;
  rating_2: number;
  rating_3: number;
  rating_4: number;
  rating_5: number;
  updated_at: number;
}

function alertView(a: AlertRow): FleetAlertView {
  return {
    id: a.id,
    code: a.code as FleetAlertView['code'],
    device: a.device,
    severity: a.severity as FleetAlertView['severity'],
    message: a.message,
    at: new Date(a.opened_at).toISOString(),
    resolved: a.closed_at !== null,
    key: `${a.hall_id}/${a.kiosk_id}`,
    hallId: a.hall_id,
    kioskId: a.kiosk_id,
    openedAt: a.opened_at,
    closedAt: a.closed_at,
  };
}

function statsOf(s: StatsRow): FleetStats {
  return {
    day: s.day,
    tickets: JSON.parse(s.tickets_by_category) as Record<string, number>,
    prints: s.prints,
    a4Pages: s.a4_pages,
    ratings: { '1': s.rating_1, '2': s.rating_2, '3': s.rating_3, '4': s.rating_4, '5': s.rating_5 },
    helpRequests: s.help_requests,
    idleResets: s.idle_resets,
    at: new Date(s.updated_at).toISOString(),
  };
}

function faultsOf(devices: FleetKioskView['devices']): number {
  return Object.values(devices).filter((d) => d && d.state !== 'ok' && d.state !== 'starting').length;
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
