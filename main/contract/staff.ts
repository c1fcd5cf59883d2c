import { z } from 'zod';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { ConfigProblem } from '../../kiosk-config/validate.js';
import type { CatalogRowError } from '../../kiosk-config/catalog/validate.js';
import type { LocalizedName } from '../../kiosk-config/catalog/schema.js';
import { request } from './define.js';
import type { DeviceId, DeviceStatus } from './types.js';

/**
 * Requests of the staff console (issue 6): sign-in of the manager and technician roles, the manager's configuration
 * editor with versions, the service catalog exchange, the live hall view and statistics, and the technician's
 * device board, tests, protocol trace, discovery, device-config editor, logs and diagnostic bundle.
 *
 * `auth.*` may be called by anyone (that is how one signs in); everything else needs a staff session on the same
 * connection (the dispatcher checks `access`). On the hall LAN only `auth.*` and staff requests are accepted.
 * Secrets never cross: configs arrive with `[redacted]` in place of tokens and PIN hashes are never sent.
 */

export const STAFF_ROLE_NAMES = ['manager', 'technician'] as const;
export type StaffRoleName = (typeof STAFF_ROLE_NAMES)[number];

const none = z.object({}).strict();
const role = z.enum(STAFF_ROLE_NAMES);
const day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD');
const deviceId = z.enum(['idCard', 'scanner', 'receiptPrinter', 'callDisplay', 'a4Printer']);
const versionId = z.number().int().positive();
/** Range of days for statistics, inclusive, at most 366 days. */
const dayRange = z
  .object({ from: day, to: day })
  .strict()
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] });

export interface StaffSessionView {
  role: StaffRoleName;
  /** Idle time-out of staff sessions, minutes. */
  idleMinutes: number;
  /** Ms before this session times out unless used. */
  remainingMs: number;
}

export interface CredentialStatusView {
  role: StaffRoleName;
  configured: boolean;
  failedCount: number;
  lockedUntil: number | null;
  updatedAt: number | null;
  updatedBy: string | null;
}

export interface AuditEntryView {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  outcome: 'ok' | 'denied' | 'failed';
  detail: Record<string, unknown>;
}

export interface ConfigVersionView {
  id: number;
  createdAt: number;
  author: string;
  comment: string;
}

export interface ConfigDiffEntry {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export type ConfigSaveResult =
  | {
      saved: true;
      version: ConfigVersionView;
      /** Sections taken from the running config instead of the submitted one (a manager does not edit devices or tokens). */
      kept: string[];
      /** Sections that take effect only after a restart (see applyConfig). */
      restartNeededFor: string[];
    }
  | { saved: false; problems: ConfigProblem[] };

export type CatalogImportResult =
  | { ok: true; items: number; updatedAt: string }
  | { ok: false; errors: CatalogRowError[] };

export interface LiveCategoryView {
  id: string;
  prefix: string;
  name: LocalizedName | { 'zh-CN': string; 'zh-TW'?: string; en?: string };
  open: boolean;
  waiting: number;
  priorityWaiting: number;
  longestWaitMinutes: number;
  estimatedWaitMinutes: number;
  openCounters: number;
  issuedToday: number;
  quotaLeft: number;
}

export interface LiveCounterView {
  window: string;
  state: 'open' | 'paused' | 'closed';
  categoryIds: string[];
  current: { ticketId: number; number: string; status: 'called' | 'serving'; since: string } | null;
}

export interface LiveHallView {
  at: string;
  day: string;
  categories: LiveCategoryView[];
  counters: LiveCounterView[];
  /** Calls (first calls and recalls) in the last 60 minutes. */
  callsLastHour: number;
  recentCalls: { number: string; window: string; categoryId: string; at: string; recall: boolean }[];
}

export interface DurationSummaryView {
  n: number;
  avgMinutes: number | null;
  p90Minutes: number | null;
}

/**
 * Hall statistics derived from the queue's events (main/queue/stats.ts computes them): measures are attributed to
 * the time of the event that ends them (a wait to its first call, a service to its finish), so [from, to) counts
 * what happened in it. `noShowRate` = no-show events ÷ first calls (null when nobody was called); appointments are
 * early / on time / late by more than 5 minutes around the slot start.
 */
export interface HallStatsView {
  from: string;
  to: string;
  ticketsPerHour: { hour: number; issued: number }[];
  perCategory: {
    categoryId: string;
    issued: number;
    called: number;
    served: number;
    noShows: number;
    transfers: number;
    wait: DurationSummaryView;
    service: DurationSummaryView;
  }[];
  perCounter: { window: string; calls: number; served: number; service: DurationSummaryView }[];
  noShowRate: number | null;
  appointments: { checkedIn: number; early: number; onTime: number; late: number; avgOffsetMinutes: number | null };
  ratings: {
    count: number;
    distribution: { level: number; label: string; count: number }[];
    /** Share of levels 3-5; null without ratings. */
    satisfactionRate: number | null;
    /** 差评 with their reasons, for follow-up (整改). */
    bad: { ticketId: number; number: string; level: number; reason: string; at: string; window: string | null }[];
  };
}

export interface PrintUsageView {
  receiptPrints: number;
  receiptPaperMm: number;
  a4Jobs: number;
  a4Sheets: number;
}

export interface StatsReportView {
  fromDay: string;
  toDay: string;
  stats: HallStatsView;
  prints: PrintUsageView;
  /** Category id → zh-CN name: staff tables show names, not ids. */
  categoryNames?: Record<string, string>;
}

export interface DownloadFile {
  filename: string;
  mime: string;
  /** Text files as UTF-8 text, binary files as base64. */
  text?: string;
  base64?: string;
}

export type DeviceTestAction = 'read-card' | 'wait-scan' | 'print-test' | 'printer-status' | 'display-test' | 'cups-test-page';

/** Which test actions each device offers on the technician's board. */
export const DEVICE_TEST_ACTIONS: Record<DeviceId, DeviceTestAction[]> = {
  idCard: ['read-card'],
  scanner: ['wait-scan'],
  receiptPrinter: ['printer-status', 'print-test'],
  callDisplay: ['display-test'],
  a4Printer: ['cups-test-page'],
};

export interface DeviceTestResult {
  device: DeviceId;
  action: DeviceTestAction;
  ok: boolean;
  /** Error code when not ok (e.g. PRINTER_PAPER_END). */
  code?: string;
  /** One technician-facing sentence; a card read shows only the masked identity. */
  message: string;
  ms: number;
}

export interface TraceEntryView {
  seq: number;
  device: string;
  dir: 'tx' | 'rx' | 'discarded';
  at: number;
  length: number;
  hex: string;
  meaning: string;
}

export interface DiscoveryView {
  serial: { path: string; manufacturer?: string; vendorId?: number; productId?: number; serialNumber?: string }[];
  hid: { vendorId: number; productId: number; usagePage?: number; usage?: number; product?: string; manufacturer?: string; path?: string }[];
  /** A listing that failed (e.g. node-hid not loadable), as sentences; the other listing is still shown. */
  problems: string[];
}

export interface DeviceCheck {
  device: DeviceId;
  ok: boolean;
  /** Whether this device's section changed from the running config (unchanged ones are not re-opened). */
  changed: boolean;
  code?: string;
  message: string;
}

export type DeviceConfigResult =
  | { saved: boolean; problems: ConfigProblem[]; checks: DeviceCheck[]; version?: ConfigVersionView; restartNeededFor?: string[] };

export interface LogLineView {
  level: 'debug' | 'info' | 'warn' | 'error';
  time: number;
  sub: string;
  msg: string;
  [field: string]: unknown;
}

export interface DeviceBoardView {
  devices: DeviceStatus[];
  /** The start-up self-check, as /healthz reports it. */
  health: { status: 'ok' | 'degraded'; storage: { status: 'ok' | 'error'; schemaVersion: number }; uptimeSeconds: number; config: { name: string; version: number | null } };
}

export const staffRequests = {
  /** Signs the connection in as a staff role. Wrong PIN → AUTH_WRONG_PIN; five in a row lock the role (AUTH_LOCKED). */
  'auth.signIn': request<StaffSessionView>()(z.object({ role, pin: z.string().min(1).max(20) }).strict()),
  /** Leaves the staff area; the kiosk returns to its attract screen. */
  'auth.signOut': request<{ signedOut: boolean }>()(none),
  /** The connection's staff session, or null. `touch` counts as activity (the console sends it on touches). */
  'auth.session': request<StaffSessionView | null>()(z.object({ touch: z.boolean().default(false) }).strict()),

  'staff.credentials': request<CredentialStatusView[]>()(none, 'manager'),
  /** A manager sets the PIN of a role (6-12 digits, not one repeated digit, not a run). */
  'staff.changePin': request<{ changed: true }>()(z.object({ role, pin: z.string().regex(/^\d{6,12}$/, 'must be 6 to 12 digits') }).strict(), 'manager'),
  'staff.setIdleMinutes': request<{ idleMinutes: number }>()(z.object({ minutes: z.number().int().min(1).max(60) }).strict(), 'manager'),
  'staff.audit': request<AuditEntryView[]>()(z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(), 'manager'),

  /** The running config (tokens redacted) and its version. */
  'config.current': request<{ version: number | null; config: KioskConfig }>()(none, 'staff'),
  /** Validates without saving: one sentence per wrong field. */
  'config.validate': request<{ problems: ConfigProblem[] }>()(z.object({ config: z.unknown() }).strict(), 'manager'),
  /** Validates, stores a new version and applies it to the running kiosk. Devices and network are kept. */
  'config.save': request<ConfigSaveResult>()(z.object({ config: z.unknown(), comment: z.string().max(200).default('') }).strict(), 'manager'),
  'config.versions': request<{ current: number | null; versions: ConfigVersionView[] }>()(none, 'staff'),
  'config.version': request<{ version: ConfigVersionView; config: KioskConfig }>()(z.object({ id: versionId }).strict(), 'staff'),
  'config.diff': request<ConfigDiffEntry[]>()(z.object({ from: versionId, to: versionId }).strict(), 'staff'),
  /** Saves an earlier version again as the newest and applies it. */
  'config.rollback': request<ConfigSaveResult>()(z.object({ id: versionId, comment: z.string().max(200).default('') }).strict(), 'manager'),

  'catalog.export': request<DownloadFile>()(z.object({ format: z.enum(['json', 'csv']) }).strict(), 'manager'),
  /** Validates every row; nothing is imported unless all rows are valid. */
  'catalog.import': request<CatalogImportResult>()(
    z.object({ format: z.enum(['json', 'csv']), text: z.string().min(1).max(900_000) }).strict(),
    'manager',
  ),

  'hall.live': request<LiveHallView>()(none, 'manager'),
  'stats.report': request<StatsReportView>()(dayRange, 'manager'),
  'stats.export': request<DownloadFile>()(z.object({ from: day, to: day, format: z.enum(['csv', 'pdf']) }).strict(), 'manager'),

  'tech.devices': request<DeviceBoardView>()(none, 'technician'),
  'tech.test': request<DeviceTestResult>()(
    z.object({ device: deviceId, action: z.enum(['read-card', 'wait-scan', 'print-test', 'printer-status', 'display-test', 'cups-test-page']) }).strict(),
    'technician',
  ),
  'tech.trace': request<{ entries: TraceEntryView[]; next: number }>()(z.object({ since: z.number().int().min(0).default(0) }).strict(), 'technician'),
  'tech.discover': request<DiscoveryView>()(none, 'technician'),
  /** Opens each changed device's port and runs its status check; saves a new version only when `save` and all pass. */
  'tech.deviceConfig': request<DeviceConfigResult>()(
    z.object({ devices: z.unknown(), save: z.boolean().default(false), comment: z.string().max(200).default('') }).strict(),
    'technician',
  ),
  'tech.logs': request<LogLineView[]>()(
    z.object({ sub: z.string().max(60).optional(), minLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'), limit: z.number().int().min(1).max(2000).default(300) }).strict(),
    'technician',
  ),
  'tech.bundle': request<DownloadFile & { files: string[] }>()(none, 'technician'),
} as const;

/** Requests that only read and poll: they do not count as staff activity for the idle time-out. */
export const PASSIVE_STAFF_REQUESTS: readonly string[] = ['auth.session', 'hall.live', 'tech.trace', 'tech.logs', 'tech.devices', 'help.list'];
