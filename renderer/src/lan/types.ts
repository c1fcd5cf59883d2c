import type { Language, LocalizedText } from '../../../kiosk-config/i18n.js';
import type { ServiceOutcome } from '../../../kiosk-config/queue.js';

/**
 * Wire types of the hall LAN API (/api/v1) as the LAN pages see them. The renderer may not import main/queue, so these
 * mirror main/queue/engine.ts, main/queue/api.ts and main/lan/lan-routes.ts; renderer/src/lan/types.test.ts assigns
 * the host's types to these, so a drift fails `tsc -p tsconfig.tests.json`.
 */

export interface CallRecord {
  ticketId: number;
  number: string;
  window: string;
  categoryId: string;
  /** ISO 8601 */
  at: string;
  recall: boolean;
}

export interface CategorySnapshot {
  id: string;
  prefix: string;
  name: { 'zh-CN': string; 'zh-TW': string; en: string };
  open: boolean;
  waiting: number;
  priorityWaiting: number;
  deferred: number;
  longestWaitMinutes: number;
  estimatedWaitMinutes: number;
  openCounters: number;
}

export type CounterState = 'open' | 'paused' | 'closed';

export interface CounterSnapshot {
  window: string;
  state: CounterState;
  categoryIds: string[];
  current: { ticketId: number; number: string; status: 'called' | 'serving'; since: string } | null;
}

export interface QueueSnapshot {
  at: string;
  day: string;
  categories: CategorySnapshot[];
  counters: CounterSnapshot[];
  /** Newest first, at most 10, today only. */
  recentCalls: CallRecord[];
}

export interface DisplayFeed {
  at: string;
  calls: CallRecord[];
  counters: { window: string; number: string | null; status: 'called' | 'serving' | null }[];
  waiting: { categoryId: string; prefix: string; waiting: number }[];
}

export interface TicketView {
  id: number;
  number: string;
  categoryId: string;
  status: 'waiting' | 'called' | 'serving' | 'done' | 'no_show';
  window: string | null;
  targetWindow: string | null;
  callCount: number;
  outcome: ServiceOutcome | null;
}

export interface HallInfo {
  name: string;
  hall: { id: string; name: LocalizedText; level: string; phone: string };
  languages: Language[];
  defaultLanguage: Language;
  categories: { id: string; prefix: string; name: LocalizedText }[];
  announcements: { id: string; text: LocalizedText }[];
}

export interface VoiceCall {
  text: string;
  /** Same-origin URLs, e.g. `/voice/zh/qing.wav`, in playing order. */
  clips: string[];
}

export interface CounterSignIn {
  token: string;
  window: string;
  /** ISO 8601 */
  expiresAt: string;
}

export type StreamMessage =
  | { type: 'hello'; device: string; role: string; snapshot: QueueSnapshot }
  | ({ type: 'ticket-called' } & CallRecord)
  | { type: 'queue-changed'; categoryIds: string[]; at: string };
