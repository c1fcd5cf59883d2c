import { assign, fromPromise, setup } from 'xstate';
import type { CitizenIdentityView, CitizenTicket } from '../../../main/contract/index.js';
import type { ReceiptPrinterProblem } from '../../../main/contract/ticketing.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { call, errorCode, errorDetailString } from '../bridge/call.js';
import { scanRef, type HardwareEvent, type PrinterStatusEvent } from './events.js';

/**
 * 预约签到: scan the appointment code, or read the ID card (or use the card already read) → check-in → the priority
 * ticket is printed, and the screen shows the booking's service and time and says to take the slip. No booking
 * found offers 取号 right there (the flow ends with `next: 'ticket'`); a too-early check-in says when to come back
 * (`opensAt` from the error's detail); the printer failing keeps the ticket on screen with a retry; a printer known
 * to be down shows the number on screen only.
 */
type By = { code: string } | { scanned: true } | { card: true };

export interface CheckinContext {
  identity: CitizenIdentityView | null;
  lang: Language;
  by: By | null;
  ticket: CitizenTicket | null;
  errorCode: string | null;
  /** ISO instant check-in opens, when the host refused as too early. */
  opensAt: string | null;
  printerProblem: ReceiptPrinterProblem | null;
  next: 'ticket' | null;
}

export type CheckinEvent =
  | HardwareEvent
  | PrinterStatusEvent
  | { type: 'USE_CARD' }
  | { type: 'TAKE_TICKET' }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'DONE' }
  | { type: 'SET_LANG'; lang: Language };

export const checkinMachine = setup({
  types: {
    context: {} as CheckinContext,
    events: {} as CheckinEvent,
    input: {} as { identity: CitizenIdentityView | null; lang: Language; scan?: { code?: string } | undefined; printerProblem?: ReceiptPrinterProblem | null },
    output: {} as { ticket: CitizenTicket | null; next: 'ticket' | null },
  },
  actors: {
    checkIn: fromPromise(({ input }: { input: By }) => call('checkin.appointment', input)),
    printTicket: fromPromise(({ input }: { input: { ticketId: number; lang: Language } }) => call('ticket.print', input)),
  },
  guards: {
    appointmentCode: ({ event }) => event.type === 'CODE_SCANNED' && (event.scan.kind === 'appointment' || event.scan.kind === 'unknown'),
    hasIdentity: ({ context }) => context.identity !== null,
    printerDown: ({ context }) => context.printerProblem !== null,
    noBooking: ({ context }) => context.errorCode === 'QUEUE_APPOINTMENT_UNKNOWN',
  },
}).createMachine({
  id: 'checkin',
  context: ({ input }) => ({
    identity: input.identity,
    lang: input.lang,
    by: input.scan ? scanRef(input.scan) : null,
    ticket: null,
    errorCode: null,
    opensAt: null,
    printerProblem: input.printerProblem ?? null,
    next: null,
  }),
  output: ({ context }) => ({ ticket: context.ticket, next: context.next }),
  initial: 'start',
  on: {
    SET_LANG: { actions: assign({ lang: ({ event }) => event.lang }) },
    PRINTER_STATUS: { actions: assign({ printerProblem: ({ event }) => event.problem }) },
    // The card left the reader: its identity ended (a check-in by card needs it read again).
    CARD_REMOVED: { actions: assign({ identity: null }) },
  },
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
        onDone: [
          { guard: 'printerDown', target: 'screenTicket', actions: assign({ ticket: ({ event }) => event.output, errorCode: null, opensAt: null }) },
          { target: 'printing', actions: assign({ ticket: ({ event }) => event.output, errorCode: null, opensAt: null }) },
        ],
        onError: {
          target: 'refused',
          actions: assign({ errorCode: ({ event }) => errorCode(event.error), opensAt: ({ event }) => errorDetailString(event.error, 'opensAt') ?? null }),
        },
      },
    },
    refused: {
      on: {
        RETRY: 'waiting',
        /** No booking found: take an ordinary number right here. */
        TAKE_TICKET: { guard: 'noBooking', target: 'toTicket', actions: assign({ next: 'ticket' }) },
        BACK: 'cancelled',
        DONE: 'cancelled',
      },
    },
    printing: {
      invoke: {
        src: 'printTicket',
        input: ({ context }) => ({ ticketId: context.ticket!.ticketId, lang: context.lang }),
        onDone: { target: 'done', actions: assign({ errorCode: null }) },
        onError: { target: 'printFailed', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    screenTicket: { on: { DONE: 'finished' } },
    printFailed: { on: { RETRY: 'printing', DONE: 'finished' } },
    done: { on: { DONE: 'finished' } },
    finished: { type: 'final' },
    cancelled: { type: 'final' },
    toTicket: { type: 'final' },
  },
});
