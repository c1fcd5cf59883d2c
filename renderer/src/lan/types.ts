/**
 * Wire types of the hall LAN API (/api/v1) as the LAN pages read them: the same definitions the queue host uses
 * (main/contract/queue-wire.ts), so the pages and the host cannot drift apart.
 */
export type {
  CallRecord,
  CategorySnapshot,
  CounterSnapshot,
  CounterState,
  DisplayFeed,
  HallInfo,
  QueueSnapshot,
  StreamMessage,
  TicketView,
  VoiceCall,
} from '../../../main/contract/queue-wire.js';

/** POST /api/v1/counter-sessions answer (main/lan/counter-sessions.ts). */
export interface CounterSignIn {
  token: string;
  window: string;
  /** ISO 8601 */
  expiresAt: string;
}
