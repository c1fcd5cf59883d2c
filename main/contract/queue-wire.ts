import type { PriorityReason, QueueCategory, ServiceOutcome } from '../../kiosk-config/queue.js';
import type { PublicConfig } from './types.js';

/**
 * The hall queue as it travels on the LAN (/api/v1 and its stream): defined once here, pure, so the queue engine
 * (main/queue) produces exactly what the hall display and counter pages (renderer/src/lan) read.
 */

export type TicketStatus = 'waiting' | 'called' | 'serving' | 'done' | 'no_show';
export type TicketSource = 'kiosk' | 'counter' | 'api';
export type CounterState = 'open' | 'paused' | 'closed';

export interface TicketView {
  id: number;
  /** Printed number, e.g. `A001`. */
  number: string;
  day: string;
  categoryId: string;
  /** The category that issued the number (differs from categoryId after a transfer). */
  issuedCategoryId: string;
  status: TicketStatus;
  priority: PriorityReason | null;
  /** ISO 8601 UTC. */
  issuedAt: string;
  window: string | null;
  targetWindow: string | null;
  callCount: number;
  requeueCount: number;
  outcome: ServiceOutcome | null;
}

export interface CategorySnapshot {
  id: string;
  prefix: string;
  name: QueueCategory['name'];
  open: boolean;
  waiting: number;
  priorityWaiting: number;
  /** Re-queued no-shows not callable yet. */
  deferred: number;
  longestWaitMinutes: number;
  /** For a new normal ticket now. */
  estimatedWaitMinutes: number;
  openCounters: number;
  issuedToday: number;
  quotaLeft: number;
}

export interface CounterSnapshot {
  window: string;
  state: CounterState;
  categoryIds: string[];
  current: { ticketId: number; number: string; status: 'called' | 'serving'; since: string } | null;
}

export interface CallRecord {
  ticketId: number;
  number: string;
  window: string;
  categoryId: string;
  /** ISO 8601 */
  at: string;
  recall: boolean;
}

export interface QueueSnapshot {
  at: string;
  day: string;
  categories: CategorySnapshot[];
  counters: CounterSnapshot[];
  /** Newest first, at most 10, today only. */
  recentCalls: CallRecord[];
}

/** GET /api/v1/display: what a hall display needs, nothing more. */
export interface DisplayFeed {
  at: string;
  calls: CallRecord[];
  counters: { window: string; number: string | null; status: 'called' | 'serving' | null }[];
  waiting: { categoryId: string; prefix: string; waiting: number }[];
}

/** GET /api/v1/hall: the public face of the hall for LAN pages. */
export interface HallInfo {
  name: string;
  hall: PublicConfig['hall'];
  languages: PublicConfig['kiosk']['languages'];
  defaultLanguage: PublicConfig['kiosk']['defaultLanguage'];
  categories: PublicConfig['categories'];
  /** Announcements valid today (hall's local day), in config order. */
  announcements: PublicConfig['announcements'];
}

/** GET /api/v1/voice: the spoken call as text and its clips. */
export interface VoiceCall {
  text: string;
  /** Same-origin URLs, e.g. `/voice/zh/qing.wav`, in playing order. */
  clips: string[];
}

/** Queue changes pushed after commit (engine listeners, the LAN stream). */
export type QueueEvent =
  | { type: 'queue-changed'; categoryIds: string[]; at: string }
  | ({ type: 'ticket-called' } & CallRecord);

/** Messages of WS /api/v1/stream. */
export type StreamMessage = { type: 'hello'; device: string; role: string; snapshot: QueueSnapshot } | QueueEvent;

/**
 * The ticket follow page (`/t/<token>` on the LAN port, a phone's view of one ticket): what
 * `GET /api/v1/follow/<token>` answers. The token is the only credential; the view holds no identity (no name, no
 * ID number, no person key) and nothing about other tickets beyond a count.
 */
export interface FollowView {
  number: string;
  categoryName: { 'zh-CN': string; 'zh-TW'?: string; en?: string };
  /** `expired`: a ticket of an earlier service day (tickets are valid on their day only). */
  status: TicketStatus | 'expired';
  peopleAhead: number;
  estimatedWaitMinutes: number;
  /** The window that called or serves the ticket; null while waiting. */
  window: string | null;
  /** The windows serving the ticket's category. */
  windows: string[];
  /** ISO 8601 UTC. */
  issuedAt: string;
  /** Service day `YYYY-MM-DD` (hall time). */
  day: string;
  /** The hall's name. */
  hallName: { 'zh-CN': string; 'zh-TW'?: string; en?: string };
  /** True once served (or being served) and not yet rated: the page offers 好差评. */
  canRate: boolean;
  /** The level given, once rated. */
  ratedLevel: number | null;
}
