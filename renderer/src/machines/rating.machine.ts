import { assign, fromPromise, setup } from 'xstate';
import type { CitizenTicket } from '../../../main/contract/index.js';
import { call, errorCode } from '../bridge/call.js';
import { scanRef, type HardwareEvent } from './events.js';

/**
 * 好差评: pick the ticket (scan its QR code, or one taken in this session) → five national levels → a reason for
 * 不满意 / 非常不满意 (chosen from the hall's reason list: there is no keyboard) → submitted once per ticket.
 */
type Ref = { ticketId: number } | { code: string } | { scanned: true };

export const RATING_REASONS = ['wait', 'attitude', 'process', 'materials', 'device', 'other'] as const;
export type RatingReason = (typeof RATING_REASONS)[number];

export interface RatingContext {
  sessionTickets: CitizenTicket[];
  ref: Ref | null;
  ticket: CitizenTicket | null;
  level: number | null;
  reasons: RatingReason[];
  /** The sentence sent as the reason: the chosen reasons in the citizen's language, joined. */
  reasonText: string;
  errorCode: string | null;
}

export type RatingEvent =
  | HardwareEvent
  | { type: 'PICK_TICKET'; ticketId: number }
  | { type: 'LEVEL'; level: number }
  | { type: 'TOGGLE_REASON'; reason: RatingReason; text: string }
  | { type: 'SUBMIT' }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'DONE' };

export const ratingMachine = setup({
  types: {
    context: {} as RatingContext & { reasonTexts: Partial<Record<RatingReason, string>> },
    events: {} as RatingEvent,
    input: {} as { sessionTickets: CitizenTicket[]; scan?: { code?: string } | undefined },
  },
  actors: {
    lookUp: fromPromise(({ input }: { input: Ref }) => call('rating.ticket', { ticket: input })),
    submit: fromPromise(({ input }: { input: { ticket: Ref; level: number; reason?: string } }) => call('rating.submit', input)),
  },
  guards: {
    ticketCode: ({ event }) => event.type === 'CODE_SCANNED' && (event.scan.kind === 'ticket' || event.scan.kind === 'unknown'),
    reasonRequired: ({ context }) => context.level !== null && context.level <= 2,
    hasReason: ({ context }) => context.reasons.length > 0,
  },
}).createMachine({
  id: 'rating',
  context: ({ input }) => ({
    sessionTickets: input.sessionTickets,
    ref: input.scan ? scanRef(input.scan) : null,
    ticket: null,
    level: null,
    reasons: [],
    reasonTexts: {},
    reasonText: '',
    errorCode: null,
  }),
  initial: 'start',
  states: {
    /** Entered from a ticket scanned on the home screen: look it up straight away. */
    start: { always: [{ guard: ({ context }) => context.ref !== null, target: 'lookingUp' }, { target: 'choosingTicket' }] },
    choosingTicket: {
      on: {
        CODE_SCANNED: { guard: 'ticketCode', target: 'lookingUp', actions: assign({ ref: ({ event }) => scanRef(event) }) },
        PICK_TICKET: { target: 'lookingUp', actions: assign({ ref: ({ event }) => ({ ticketId: event.ticketId }) }) },
        BACK: 'closed',
      },
    },
    lookingUp: {
      invoke: {
        src: 'lookUp',
        input: ({ context }) => context.ref!,
        onDone: { target: 'choosingLevel', actions: assign({ ticket: ({ event }) => event.output, errorCode: null }) },
        onError: { target: 'refused', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    choosingLevel: {
      on: {
        LEVEL: { target: 'checkLevel', actions: assign({ level: ({ event }) => event.level, reasons: [], reasonTexts: {} }) },
        BACK: 'choosingTicket',
      },
    },
    checkLevel: { always: [{ guard: 'reasonRequired', target: 'reason' }, { target: 'submitting' }] },
    reason: {
      on: {
        TOGGLE_REASON: {
          actions: assign(({ context, event }) => {
            const on = context.reasons.includes(event.reason);
            const reasons = on ? context.reasons.filter((r) => r !== event.reason) : [...context.reasons, event.reason];
            return { reasons, reasonTexts: { ...context.reasonTexts, [event.reason]: event.text } };
          }),
        },
        SUBMIT: { guard: 'hasReason', target: 'submitting' },
        BACK: 'choosingLevel',
      },
    },
    submitting: {
      entry: assign({ reasonText: ({ context }) => context.reasons.map((r) => context.reasonTexts[r] ?? r).join('；') }),
      invoke: {
        src: 'submit',
        input: ({ context }) => ({
          ticket: context.ref!,
          level: context.level!,
          ...(context.reasonText ? { reason: context.reasonText } : {}),
        }),
        onDone: { target: 'thanks', actions: assign({ errorCode: null }) },
        onError: { target: 'refused', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    refused: { on: { RETRY: 'choosingTicket', BACK: 'choosingTicket', DONE: 'closed' } },
    thanks: { on: { DONE: 'closed' } },
    closed: { type: 'final' },
  },
});
