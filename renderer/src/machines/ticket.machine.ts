import { assign, fromPromise, setup } from 'xstate';
import type { CategoryAvailability, CitizenIdentityView, CitizenTicket, DeclarablePriority, ReceiptPrintOutcome } from '../../../main/contract/index.js';
import type { ReceiptPrinterProblem } from '../../../main/contract/ticketing.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { call, errorCode } from '../bridge/call.js';
import { newRequestId, type HardwareEvent, type PrinterStatusEvent } from './events.js';

/**
 * 取号: identify (card, or continue without ID) → confirm "this is you" → category (waiting counts, estimated
 * wait, why a category gives no ticket) → priority (automatic for 65+, declarable otherwise) → issue → print.
 * When the printer fails the ticket stays on screen with a retry. The flow ends (final state) on done or back.
 * While the receipt printer cannot print (known from its device status before the citizen starts) the number is
 * issued and shown large on screen only (`screenTicket`, hall policy `screen-ticket`); under `refuse` the home
 * screen offers no 取号 at all and the host refuses too. Removing the card ends the identity: the flow forgets it.
 */
export interface TicketContext {
  identity: CitizenIdentityView | null;
  lang: Language;
  categories: CategoryAvailability[];
  category: CategoryAvailability | null;
  priority: DeclarablePriority | null;
  requestId: string;
  ticket: CitizenTicket | null;
  print: ReceiptPrintOutcome | null;
  errorCode: string | null;
  /** Why the receipt printer cannot print now; null when it can. */
  printerProblem: ReceiptPrinterProblem | null;
}

export type TicketEvent =
  | HardwareEvent
  | PrinterStatusEvent
  | { type: 'CONTINUE_WITHOUT_ID' }
  | { type: 'IDENTIFY' }
  | { type: 'CONFIRM' }
  | { type: 'REJECT' }
  | { type: 'CHOOSE'; categoryId: string }
  | { type: 'PRIORITY'; priority: DeclarablePriority | null }
  | { type: 'TAKE' }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'DONE' }
  | { type: 'SET_LANG'; lang: Language };

export interface TicketOutput {
  ticket: CitizenTicket | null;
  /** The citizen said the card shown is not theirs: the kiosk wipes the identity. */
  rejectedIdentity: boolean;
}

export const ticketMachine = setup({
  types: {
    context: {} as TicketContext & { rejected: boolean },
    events: {} as TicketEvent,
    input: {} as { identity: CitizenIdentityView | null; lang: Language; printerProblem?: ReceiptPrinterProblem | null },
    output: {} as TicketOutput,
  },
  actors: {
    loadCategories: fromPromise(() => call('queue.categories', {})),
    takeTicket: fromPromise(({ input }: { input: { categoryId: string; priority: DeclarablePriority | null; requestId: string; lang: Language } }) =>
      call('ticket.take', {
        categoryId: input.categoryId,
        requestId: input.requestId,
        lang: input.lang,
        ...(input.priority ? { priority: input.priority } : {}),
      }),
    ),
    printTicket: fromPromise(({ input }: { input: { ticketId: number; lang: Language } }) => call('ticket.print', input)),
  },
  guards: {
    identified: ({ context }) => context.identity !== null,
    elderly: ({ context }) => context.identity?.elderly === true,
    printerDown: ({ context }) => context.printerProblem !== null,
    categoryOpen: ({ context, event }) =>
      event.type === 'CHOOSE' && context.categories.some((c) => c.id === event.categoryId && c.closedReason === null),
    needsId: ({ context, event }) =>
      event.type === 'CHOOSE' && context.identity === null && context.categories.some((c) => c.id === event.categoryId && c.idRequired),
  },
  actions: {
    setIdentity: assign({ identity: ({ event }) => (event.type === 'CARD_READ' ? event.identity : null) }),
    choose: assign({
      category: ({ context, event }) => (event.type === 'CHOOSE' ? (context.categories.find((c) => c.id === event.categoryId) ?? null) : null),
      priority: null,
      requestId: () => newRequestId(),
    }),
  },
}).createMachine({
  id: 'ticket',
  context: ({ input }) => ({
    identity: input.identity,
    lang: input.lang,
    categories: [],
    category: null,
    priority: null,
    requestId: newRequestId(),
    ticket: null,
    print: null,
    errorCode: null,
    printerProblem: input.printerProblem ?? null,
    rejected: false,
  }),
  initial: 'start',
  output: ({ context }) => ({ ticket: context.ticket, rejectedIdentity: context.rejected }),
  on: {
    SET_LANG: { actions: assign({ lang: ({ event }) => event.lang }) },
    PRINTER_STATUS: { actions: assign({ printerProblem: ({ event }) => event.problem }) },
    // The card left the reader: the identity ended on the host too (elderly priority and the person key go with it).
    CARD_REMOVED: { actions: assign({ identity: null }) },
  },
  states: {
    start: { always: [{ guard: 'identified', target: 'categories' }, { target: 'identify' }] },
    identify: {
      on: {
        CARD_READ: { target: 'confirm', actions: 'setIdentity' },
        CONTINUE_WITHOUT_ID: 'categories',
        BACK: 'cancelled',
      },
    },
    confirm: {
      on: {
        CARD_REMOVED: { target: 'identify', actions: assign({ identity: null }) },
        CONFIRM: 'categories',
        REJECT: { target: 'identify', actions: assign({ identity: null, rejected: true }) },
        CARD_READ: { target: 'confirm', actions: 'setIdentity', reenter: true },
        BACK: 'cancelled',
      },
    },
    categories: {
      initial: 'loading',
      on: {
        BACK: 'cancelled',
        CARD_READ: { target: 'confirm', actions: 'setIdentity' },
      },
      states: {
        loading: {
          invoke: {
            src: 'loadCategories',
            onDone: { target: 'choosing', actions: assign({ categories: ({ event }) => event.output, errorCode: null }) },
            onError: { target: 'failed', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
          },
        },
        choosing: {
          on: {
            CHOOSE: [
              { guard: 'needsId', target: 'needId', actions: 'choose' },
              { guard: 'categoryOpen', target: '#ticket.priority', actions: 'choose' },
            ],
          },
        },
        needId: { on: { IDENTIFY: '#ticket.identify', BACK: 'choosing' } },
        failed: { on: { RETRY: 'loading' } },
      },
    },
    priority: {
      on: {
        PRIORITY: { actions: assign({ priority: ({ event }) => event.priority }) },
        TAKE: 'issuing',
        BACK: 'categories',
      },
    },
    issuing: {
      invoke: {
        src: 'takeTicket',
        input: ({ context }) => ({
          categoryId: context.category!.id,
          // Elderly priority is the host's to decide from the card; a declared one is sent only without it.
          priority: context.identity?.elderly ? null : context.priority,
          requestId: context.requestId,
          lang: context.lang,
        }),
        onDone: [
          { guard: 'printerDown', target: 'screenTicket', actions: assign({ ticket: ({ event }) => event.output, errorCode: null }) },
          { target: 'printing', actions: assign({ ticket: ({ event }) => event.output, errorCode: null }) },
        ],
        onError: { target: 'refused', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    /** The printer was known to be down before issuing: the number is shown large, to note down or photograph. */
    screenTicket: { on: { DONE: 'finished' } },
    /** The queue refused (quota, closed, ID required, per-person limit) or the host failed: explained, back to categories. */
    refused: {
      on: {
        BACK: 'categories',
        RETRY: 'issuing',
        IDENTIFY: 'identify',
        DONE: 'cancelled',
      },
    },
    printing: {
      invoke: {
        src: 'printTicket',
        input: ({ context }) => ({ ticketId: context.ticket!.ticketId, lang: context.lang }),
        onDone: { target: 'done', actions: assign({ print: ({ event }) => event.output, errorCode: null }) },
        onError: { target: 'printFailed', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    printFailed: { on: { RETRY: 'printing', DONE: 'finished' } },
    done: { on: { DONE: 'finished' } },
    finished: { type: 'final' },
    cancelled: { type: 'final' },
  },
});
