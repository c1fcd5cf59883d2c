import { z } from 'zod';

/**
 * The fleet wire (issue 12): MQTT 5 payloads between kiosk agents and the fleet console, and the console page's
 * WebSocket messages. Pure: shared by the agent (main/fleet), the console host (main/fleet-console) and its page
 * (renderer/src/fleet). Counts and states only: no payload here may carry a name, an ID number, a ticket's person
 * key or a free-text rating reason (main/fleet/privacy.test.ts scans every published payload).
 *
 * Topics, `{prefix}` default `hk/v1`:
 *   {prefix}/{hallId}/{kioskId}/status   retained, QoS 1; Last Will on the same topic `{online:false, at}`
 *   {prefix}/{hallId}/{kioskId}/alert    QoS 1, `resolved:true` with the same id when it clears
 *   {prefix}/{hallId}/{kioskId}/stats    QoS 1, every statsIntervalS
 *   {prefix}/{hallId}/{kioskId}/cmd      QoS 1, MQTT 5 request (Response Topic + Correlation Data)
 *   {prefix}/{hallId}/{kioskId}/reply    QoS 1, the answers (the console sets this as the Response Topic)
 */

export const FLEET_DEVICE_IDS = ['idCard', 'scanner', 'receiptPrinter', 'callDisplay', 'a4Printer'] as const;
export type FleetDeviceId = (typeof FLEET_DEVICE_IDS)[number];

export const FleetDeviceSchema = z.object({ state: z.enum(['ok', 'warning', 'error', 'offline', 'starting']), detail: z.string().max(200) });

export const FleetStatusOnlineSchema = z.object({
  online: z.literal(true),
  version: z.string(),
  /** The id of the running config version in the kiosk's own history, and the fleet version it came from (if any). */
  configVersion: z.number().int().nullable(),
  fleetConfigVersion: z.number().int().nullable().optional(),
  configName: z.string().optional(),
  host: z.string(),
  uptimeS: z.number().int(),
  devices: z.record(z.enum(FLEET_DEVICE_IDS), FleetDeviceSchema),
  /** Region (province/city/county) for grouping on the console; optional. */
  region: z.string().optional(),
  hallName: z.string().optional(),
  at: z.string(),
});
export const FleetStatusOfflineSchema = z.object({ online: z.literal(false), at: z.string() });
export const FleetStatusSchema = z.discriminatedUnion('online', [FleetStatusOnlineSchema, FleetStatusOfflineSchema]);
export type FleetStatus = z.infer<typeof FleetStatusSchema>;
export type FleetStatusOnline = z.infer<typeof FleetStatusOnlineSchema>;

export const FLEET_ALERT_CODES = [
  'PAPER_NEAR_END',
  'PAPER_OUT',
  'COVER_OPEN',
  'DEVICE_OFFLINE',
  'DEVICE_ERROR',
  'QUEUE_HOST_UNREACHABLE',
  'STORAGE_ERROR',
  'READ_FAILURES',
  'CONFIG_ROLLED_BACK',
] as const;
export type FleetAlertCode = (typeof FLEET_ALERT_CODES)[number];

export const FleetAlertSchema = z.object({
  id: z.string().min(1).max(120),
  code: z.enum(FLEET_ALERT_CODES),
  device: z.string().max(40),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string().max(300),
  at: z.string(),
  resolved: z.boolean(),
});
export type FleetAlert = z.infer<typeof FleetAlertSchema>;

export const FleetStatsSchema = z.object({
  /** The hall's service day, YYYY-MM-DD (hall time). */
  day: z.string(),
  tickets: z.record(z.string(), z.number().int()),
  prints: z.number().int(),
  a4Pages: z.number().int(),
  /** Ratings (好差评) by level 1..5, as strings "1".."5". */
  ratings: z.record(z.string(), z.number().int()),
  helpRequests: z.number().int(),
  idleResets: z.number().int(),
  at: z.string(),
});
export type FleetStats = z.infer<typeof FleetStatsSchema>;

export const FleetCommandSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('ping') }),
  z.object({ name: z.literal('config.apply'), config: z.unknown(), version: z.number().int().min(1), signature: z.string().optional() }),
  z.object({ name: z.literal('bundle.request') }),
  z.object({ name: z.literal('restart'), at: z.string().optional() }),
]);
export type FleetCommand = z.infer<typeof FleetCommandSchema>;
export type FleetCommandName = FleetCommand['name'];

/** Errors a kiosk answers on the MQTT wire (never shown to citizens; the console page has a sentence for each). */
export const FLEET_ERROR_CODES = [
  'FLEET_BAD_REQUEST',
  'FLEET_CONFIG_UNSIGNED',
  'FLEET_CONFIG_BAD_SIGNATURE',
  'FLEET_CONFIG_NO_KEY',
  'FLEET_CONFIG_STALE',
  'FLEET_CONFIG_INVALID',
  'FLEET_CONFIG_WRONG_TARGET',
  'FLEET_CONFIG_SELF_CHECK_FAILED',
  'FLEET_CONFIG_APPLY_FAILED',
  'FLEET_BUNDLE_FAILED',
  'FLEET_RESTART_REFUSED',
  'FLEET_TIMEOUT',
  'FLEET_NOT_CONNECTED',
  'FLEET_ROLLOUT_STOPPED',
] as const;
export type FleetErrorCode = (typeof FLEET_ERROR_CODES)[number];

export type FleetAnswer<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: FleetErrorCode | string; message: string } };

export const FleetAnswerSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

// ----- console page <-> console host (WebSocket, JSON) ------------------------------------------------------------

export const FLEET_ROLES = ['viewer', 'operator', 'admin'] as const;
export type FleetRole = (typeof FLEET_ROLES)[number];

export interface FleetKioskView {
  key: string;
  hallId: string;
  kioskId: string;
  region: string;
  hallName: string;
  online: boolean;
  lastSeen: number;
  version: string | null;
  configVersion: number | null;
  fleetConfigVersion: number | null;
  devices: Partial<Record<FleetDeviceId, { state: string; detail: string }>>;
  faults: number;
}

export interface FleetAlertView extends FleetAlert {
  key: string;
  hallId: string;
  kioskId: string;
  openedAt: number;
  closedAt: number | null;
}

export interface FleetHallTodayView {
  hallId: string;
  day: string;
  tickets: number;
  prints: number;
  a4Pages: number;
  ratings: Record<string, number>;
  kiosks: number;
}

export interface FleetRolloutStep {
  hallId: string;
  kioskId: string;
  wave: number;
  state: 'pending' | 'sent' | 'ok' | 'failed' | 'skipped';
  answer?: FleetAnswer;
}

export interface FleetRolloutView {
  id: string;
  startedAt: number;
  finishedAt: number | null;
  version: number;
  state: 'running' | 'done' | 'stopped';
  steps: FleetRolloutStep[];
  /** Kiosks of the target that were offline when it started: not sent. */
  offline?: string[];
}

export interface FleetSnapshot {
  kiosks: FleetKioskView[];
  alerts: FleetAlertView[];
  today: FleetHallTodayView[];
  rollouts: FleetRolloutView[];
  now: number;
}

export type FleetServerMessage =
  | { type: 'welcome'; user: string; role: FleetRole }
  | { type: 'error'; requestId?: string; code: string; message: string }
  | { type: 'snapshot'; snapshot: FleetSnapshot }
  | { type: 'kiosk'; kiosk: FleetKioskView }
  | { type: 'alert'; alert: FleetAlertView }
  | { type: 'today'; today: FleetHallTodayView }
  | { type: 'kiosks'; kiosks: FleetKioskView[]; today: FleetHallTodayView[] }
  | { type: 'rollout'; rollout: FleetRolloutView }
  | { type: 'answer'; requestId: string; answer: FleetAnswer };

export const FleetTargetSchema = z.union([
  z.object({ kind: z.literal('kiosk'), hallId: z.string(), kioskId: z.string() }),
  z.object({ kind: z.literal('hall'), hallId: z.string() }),
  z.object({ kind: z.literal('list'), kiosks: z.array(z.object({ hallId: z.string(), kioskId: z.string() })).min(1) }),
]);
export type FleetTarget = z.infer<typeof FleetTargetSchema>;

export const FleetClientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('config.rollout'),
    requestId: z.string(),
    target: FleetTargetSchema,
    config: z.unknown(),
    /** How many kiosks go first (wave 1); the rest follow when all of them answered ok. Default 2. */
    firstWave: z.number().int().min(1).max(1000).default(2),
  }),
  z.object({ type: z.literal('bundle.request'), requestId: z.string(), hallId: z.string(), kioskId: z.string() }),
  z.object({ type: z.literal('restart'), requestId: z.string(), hallId: z.string(), kioskId: z.string(), at: z.string().optional() }),
  z.object({ type: z.literal('ping'), requestId: z.string(), hallId: z.string(), kioskId: z.string() }),
]);
export type FleetClientMessage = z.infer<typeof FleetClientMessageSchema>;
