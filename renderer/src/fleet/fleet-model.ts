import type { FleetAlertView, FleetHallTodayView, FleetKioskView, FleetRolloutView, FleetServerMessage } from '../../../main/contract/fleet.js';

/** The page's state, changed only by the console host's messages (pure, tested without a DOM). */
export interface FleetPageState {
  kiosks: Record<string, FleetKioskView>;
  alerts: Record<string, FleetAlertView>;
  today: Record<string, FleetHallTodayView>;
  rollouts: FleetRolloutView[];
  /** Console clock minus page clock, ms (durations are shown in the console's time). */
  skew: number;
}

export const emptyFleetState: FleetPageState = { kiosks: {}, alerts: {}, today: {}, rollouts: [], skew: 0 };

export function applyFleetMessage(s: FleetPageState, m: FleetServerMessage, pageNow: number): FleetPageState {
  switch (m.type) {
    case 'snapshot':
      return {
        kiosks: Object.fromEntries(m.snapshot.kiosks.map((k) => [k.key, k])),
        alerts: Object.fromEntries(m.snapshot.alerts.map((a) => [a.id, a])),
        today: Object.fromEntries(m.snapshot.today.map((t) => [t.hallId, t])),
        rollouts: m.snapshot.rollouts,
        skew: m.snapshot.now - pageNow,
      };
    case 'kiosk':
      return { ...s, kiosks: { ...s.kiosks, [m.kiosk.key]: m.kiosk } };
    case 'kiosks': {
      const kiosks = { ...s.kiosks };
      for (const k of m.kiosks) kiosks[k.key] = k;
      const today = { ...s.today };
      for (const t of m.today) today[t.hallId] = t;
      return { ...s, kiosks, today };
    }
    case 'alert':
      return { ...s, alerts: { ...s.alerts, [m.alert.id]: m.alert } };
    case 'today':
      return { ...s, today: { ...s.today, [m.today.hallId]: m.today } };
    case 'rollout':
      return { ...s, rollouts: [m.rollout, ...s.rollouts.filter((r) => r.id !== m.rollout.id)].slice(0, 20) };
    case 'welcome':
    case 'error':
    case 'answer':
      return s;
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

export interface FleetFilter {
  region: string;
  hallId: string;
  status: 'all' | 'offline' | 'faults' | 'alerts';
  text: string;
}

export const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Open alerts first (critical before warning, longest open first), then recently closed ones. */
export function sortedAlerts(s: FleetPageState): FleetAlertView[] {
  return Object.values(s.alerts).sort((a, b) => {
    if (a.resolved !== b.resolved) return a.resolved ? 1 : -1;
    if (!a.resolved) return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.openedAt - b.openedAt;
    return (b.closedAt ?? 0) - (a.closedAt ?? 0);
  });
}

export function filteredKiosks(s: FleetPageState, f: FleetFilter): FleetKioskView[] {
  const openByKiosk = new Set(Object.values(s.alerts).filter((a) => !a.resolved).map((a) => a.key));
  const text = f.text.trim().toLowerCase();
  return Object.values(s.kiosks)
    .filter((k) => (f.region ? k.region === f.region : true))
    .filter((k) => (f.hallId ? k.hallId === f.hallId : true))
    .filter((k) => (f.status === 'offline' ? !k.online : f.status === 'faults' ? k.faults > 0 || !k.online : f.status === 'alerts' ? openByKiosk.has(k.key) : true))
    .filter((k) => (text ? `${k.hallId} ${k.kioskId} ${k.hallName} ${k.region}`.toLowerCase().includes(text) : true))
    .sort((a, b) => a.region.localeCompare(b.region) || a.hallId.localeCompare(b.hallId) || a.kioskId.localeCompare(b.kioskId));
}

/** 3 分钟 / 2 小时 5 分 / 1 天 3 小时 (zh) or 3 min / 2 h 5 min / 1 d 3 h (en). */
export function formatDuration(ms: number, lang: 'zh-CN' | 'en'): string {
  const m = Math.max(0, Math.floor(ms / 60_000));
  const zh = lang === 'zh-CN';
  if (m < 1) return zh ? '不到 1 分钟' : '< 1 min';
  if (m < 60) return zh ? `${m} 分钟` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return zh ? `${h} 小时 ${m % 60} 分` : `${h} h ${m % 60} min`;
  return zh ? `${Math.floor(h / 24)} 天 ${h % 24} 小时` : `${Math.floor(h / 24)} d ${h % 24} h`;
}
