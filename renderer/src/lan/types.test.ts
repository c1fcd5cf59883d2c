import { describe, expect, it } from 'vitest';
import type { HallInfo as HostHallInfo, VoiceCall as HostVoiceCall } from '../../../main/lan/lan-routes.js';
import type { DisplayFeed as HostDisplayFeed } from '../../../main/queue/api.js';
import type { CallRecord as HostCallRecord, QueueEvent, QueueSnapshot as HostSnapshot, TicketView as HostTicketView } from '../../../main/queue/engine.js';
import type { CallRecord, DisplayFeed, HallInfo, QueueSnapshot, StreamMessage, TicketView, VoiceCall } from './types.js';

// Compile-time drift check: each host type must be assignable to the renderer's mirror (tsc -p tsconfig.tests.json).
type Assignable<From extends To, To> = [From, To];
export type Checks = [
  Assignable<HostCallRecord, CallRecord>,
  Assignable<HostSnapshot, QueueSnapshot>,
  Assignable<HostDisplayFeed, DisplayFeed>,
  Assignable<HostTicketView, TicketView>,
  Assignable<HostHallInfo, HallInfo>,
  Assignable<HostVoiceCall, VoiceCall>,
  Assignable<QueueEvent, StreamMessage>,
];

describe('LAN wire types', () => {
  it('mirror the host types (checked by the compiler; this test only keeps the file in the suite)', () => {
    const sample: CallRecord = { ticketId: 1, number: 'A001', window: '3', categoryId: 'social', at: '2025-03-03T02:00:00.000Z', recall: false };
    expect(sample.number).toBe('A001');
  });
});
