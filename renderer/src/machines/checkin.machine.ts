import { assign, fromPromise, setup } from 'xstate';
import type { CitizenIdentityView, CitizenTicket } from '../../../main/contract/index.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { call, errorCode } from '../bridge/call.js';
import { scanRef, type HardwareEvent } from './events.js';

/**
 * 预约签到: scan the appointment code, or read the ID card (or use the card already read) → check-in → the priority
 * ticket is printed. Too early / too late / unknown appointment are explained; the printer failing keeps the ticket
 * on screen with a retry.
 */
type By = { code: string } | { scanned: true } | { card: true };

export interface CheckinContext {
  identity: CitizenIdentityView | null;
  lang: Language;
  by: By | null;
  ticket: CitizenTicket | null;
  errorCode: string | null;
}

export type CheckinEvent = HardwareEvent | { type: 'USE_CARD' } | { type: 'RETRY' } | { type: 'BACK' } | { type: 'DONE' } | { type: 'SET_LANG'; lang: Language };

export const checkinMachine = setup({
  types: {
    context: {} as CheckinContext,
    events: {} as CheckinEvent,
    input: {} as { identity: CitizenIdentityView | null; lang: Language; scan?: { code?: string } | undefined },
    output: {} as { ticket: CitizenTicket | null },
  },
  actors: {
    checkIn: fromPromise(({ input }: { input: By }) => call('checkin.appointment', input)),
    printTicket: fromPromise(({ input }: { input: { ticketId: number; lang: Language } }) => call('ticket.print', input)),
  },
  guards: {
    appointmentCode: ({ event }) => event.type === 'CODE_SCANNED' && (event.scan.kind === 'appointment' || event.scan.kind === 'unknown'),
    hasIdentity: ({ context }) => context.identity !== null,
  },
}).createMachine({
  id: 'checkin',
  context: ({ input }) => ({ identity: input.identity, lang: input.lang, by: input.scan ? scanRef(input.scan) : null, ticket: null, errorCode: null }),
  output: ({ context }) => ({ ticket: context.ticket }),
  initial: 'start',
  on: { SET_LANG: { actions: assign({ lang: ({ event }) => event.lang }) } },
  states: {
    /** Entered from a scan on the home screen: check in straight away. */
    start: { always: [{ guard: ({ context }) => context.by !== null, target: 'checkingIn' }, { target: 'waiting' }] },
    waiting: {
      on: {
        CODE_SCANNED: { guard: 'appointmentCode', target: 'checkingIn', actions: assign({ by: ({ event }) => scanRef(event) }) },
        CARD_READ: { target: 'checkingIn', actions: assign({ identity: ({ event }) => event.identity, by: { card: true } }) },
        USE_CARD: { guard: 'hasIdentity', target: 'checkingIn', actions: assign({ by: { card: true } }) },
        BACK: 'cancelled',
      },
    },
    checkingIn: {
      invoke: {
        src: 'checkIn',
        input: ({ context }) => context.by!,
        onDone: { target: 'printing', actions: assign({ ticket: ({ event }) => event.output, errorCode: null }) },
        onError: { target: 'refused', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    refused: { on: { RETRY: 'waiting', BACK: 'cancelled', DONE: 'cancelled' } },
    printing: {
      invoke: {
        src: 'printTicket',
        input: ({ context }) => ({ ticketId: context.ticket!.ticketId, lang: context.lang }),
        onDone: { target: 'done', actions: assign({ errorCode: null }) },
        onError: { target: 'printFailed', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    printFailed: { on: { RETRY: 'printing', DONE: 'finished' } },
    done: { on: { DONE: 'finished' } },
    finished: { type: 'final' },
    cancelled: { type: 'final' },
  },
});
