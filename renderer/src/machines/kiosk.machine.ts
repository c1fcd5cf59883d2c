import { assign, forwardTo, setup, type DoneActorEvent } from 'xstate';
import type { CitizenIdentityView, CitizenTicket, HelpRequestView, PublicConfig, ScanView } from '../../../main/contract/index.js';
import type { ReceiptPrinterProblem } from '../../../main/contract/ticketing.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { checkinMachine } from './checkin.machine.js';
import type { HardwareEvent, PrinterStatusEvent } from './events.js';
import { guideMachine } from './guide.machine.js';
import { helpMachine } from './help.machine.js';
import { printMachine } from './print.machine.js';
import { ratingMachine } from './rating.machine.js';
import { ticketMachine, type TicketOutput } from './ticket.machine.js';

/**
 * The citizen's session as a state machine (STYLE.md §7). Each service is a flow machine invoked as the child
 * `flow`; hardware events (card read/removed, code scanned) enter here and are forwarded to the flow that is
 * running. Idle time-outs are `after` transitions: after `idleMs - warningMs` without a touch the screen warns, a
 * touch extends, and after `warningMs` more the session resets — the flow is stopped (its form state and pending
 * jobs go with it), the identity and the session's tickets are wiped here, and the host is told (`session.end`).
 *
 * The identity ends when the card leaves the reader (CARD_REMOVED, from the reader's driver) and when the host ends
 * the session on its side (SESSION_ENDED: this page's bridge connection was lost, staff signed in): the host has
 * forgotten it already, so the screen must not keep showing it. While the receipt printer cannot print, home says so
 * before the citizen starts; under the hall's `refuse` policy 取号 and 预约签到 do not open.
 */
export type FlowName = 'ticket' | 'checkin' | 'guide' | 'print' | 'rating' | 'help';

export interface KioskContext {
  identity: CitizenIdentityView | null;
  /** Tickets taken in this session (for 评价 "the ticket just taken"). */
  tickets: CitizenTicket[];
  lang: Language;
  idleMs: number;
  warningMs: number;
  /** The screen the citizen was on when they called for help. */
  helpFrom: string;
  /** A code scanned on the home screen, handed to the flow it starts. */
  pendingScan: { code?: string } | undefined;
  /** A card lies on the reader (read, not yet removed): the screens remind the citizen to take it. */
  cardOnReader: boolean;
  /** Why the receipt printer cannot print now (device status); null when it can. */
  printerProblem: ReceiptPrinterProblem | null;
  whenPrinterDown: PublicConfig['whenPrinterDown'];
}

export type KioskEvent =
  | HardwareEvent
  | PrinterStatusEvent
  /** The host ended the citizen session on its side (connection lost and back, staff entry). */
  | { type: 'SESSION_ENDED' }
  | { type: 'HELP_UPDATED'; request: HelpRequestView }
  | { type: 'SET_PRINTER_POLICY'; whenPrinterDown: PublicConfig['whenPrinterDown'] }
  | { type: 'TOUCH' }
  | { type: 'START' }
  | { type: 'CONFIRM' }
  | { type: 'REJECT' }
  | { type: 'BACK' }
  | { type: 'EXIT' }
  | { type: 'OPEN'; flow: Exclude<FlowName, 'help'> }
  | { type: 'HELP' }
  | { type: 'SET_LANG'; lang: Language }
  | { type: 'SET_TIMEOUTS'; idleMs: number; warningMs: number };

export interface KioskInput {
  idleMs: number;
  warningMs: number;
  lang?: Language;
  /** From bootstrap: a card read before this page loaded still lies on the reader. */
  cardOnReader?: boolean;
  printerProblem?: ReceiptPrinterProblem | null;
  whenPrinterDown?: PublicConfig['whenPrinterDown'];
}

const flowOutputNext = (event: unknown): string | null =>
  (event as DoneActorEvent<{ next?: string | null } | undefined>).output?.next ?? null;

const flowOutputTicket = (event: unknown): CitizenTicket | null => {
  const out = (event as DoneActorEvent<{ ticket?: CitizenTicket | null } | undefined>).output;
  return out?.ticket ?? null;
};

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    input: {} as KioskInput,
  },
  actors: { ticketMachine, checkinMachine, guideMachine, printMachine, ratingMachine, helpMachine },
  actions: {
    wipe: assign({ identity: null, tickets: [], pendingScan: undefined }),
    /** Told to the host by the component that runs the machine (it owns the bridge). */
    notifySessionEnd: (_, _params: { reason: 'timeout' | 'done' | 'cancel' }) => undefined,
    forwardToFlow: forwardTo('flow'),
    setIdentity: assign({ identity: ({ event }) => (event.type === 'CARD_READ' ? event.identity : null), cardOnReader: true }),
    cardGone: assign({ identity: null, cardOnReader: false }),
    setPrinter: assign({ printerProblem: ({ context, event }) => (event.type === 'PRINTER_STATUS' ? event.problem : context.printerProblem) }),
    keepTicket: assign({
      tickets: ({ context, event }) => {
        const t = flowOutputTicket(event);
        return t ? [t, ...context.tickets.filter((x) => x.ticketId !== t.ticketId)] : context.tickets;
      },
      pendingScan: undefined,
    }),
  },
  guards: {
    appointmentScan: ({ event }) => event.type === 'CODE_SCANNED' && event.scan.kind === 'appointment',
    ticketScan: ({ event }) => event.type === 'CODE_SCANNED' && event.scan.kind === 'ticket',
    openIs: ({ event }, flow: FlowName) => event.type === 'OPEN' && event.flow === flow,
    /** `refuse` policy with the printer down: 取号 and 预约签到 stay closed (home says 暂停出票，请到服务台取号). */
    ticketsPaused: ({ context, event }) =>
      event.type === 'OPEN' && (event.flow === 'ticket' || event.flow === 'checkin') && context.whenPrinterDown === 'refuse' && context.printerProblem !== null,
    checkinWantsTicket: ({ event }) => flowOutputNext(event) === 'ticket',
  },
  delays: {
    untilWarning: ({ context }) => Math.max(0, context.idleMs - context.warningMs),
    warning: ({ context }) => context.warningMs,
  },
}).createMachine({
  id: 'kiosk',
  context: ({ input }) => ({
    identity: null,
    tickets: [],
    lang: input.lang ?? 'zh-CN',
    idleMs: input.idleMs,
    warningMs: input.warningMs,
    helpFrom: 'home',
    pendingScan: undefined,
    cardOnReader: input.cardOnReader ?? false,
    printerProblem: input.printerProblem ?? null,
    whenPrinterDown: input.whenPrinterDown ?? 'screen-ticket',
  }),
  initial: 'attract',
  on: {
    SET_TIMEOUTS: { actions: assign({ idleMs: ({ event }) => event.idleMs, warningMs: ({ event }) => event.warningMs }) },
    SET_LANG: { actions: assign({ lang: ({ event }) => event.lang }) },
    CARD_REMOVED: { actions: 'cardGone' },
    PRINTER_STATUS: { actions: 'setPrinter' },
    SET_PRINTER_POLICY: { actions: assign({ whenPrinterDown: ({ event }) => event.whenPrinterDown }) },
    SESSION_ENDED: '.attract',
  },
  states: {
    attract: {
      entry: 'wipe',
      on: {
        // Only the big start target starts a session: touching the language or elderly switch must not.
        START: 'session',
        // A card placed on the attract screen starts a session straight away.
        CARD_READ: { target: 'session.screen.identified', actions: 'setIdentity' },
        CODE_SCANNED: [
          { guard: 'appointmentScan', target: 'session.screen.checkin', actions: assign({ pendingScan: ({ event }) => ({ ...(event.code !== undefined ? { code: event.code } : {}) }) }) },
          { guard: 'ticketScan', target: 'session.screen.rating', actions: assign({ pendingScan: ({ event }) => ({ ...(event.code !== undefined ? { code: event.code } : {}) }) }) },
        ],
      },
    },
    session: {
      type: 'parallel',
      on: {
        EXIT: { target: 'attract', actions: { type: 'notifySessionEnd', params: { reason: 'done' } } },
      },
      states: {
        screen: {
          initial: 'home',
          states: {
            home: {
              on: {
                OPEN: [
                  { guard: 'ticketsPaused' },
                  { guard: { type: 'openIs', params: 'ticket' }, target: 'ticket' },
                  { guard: { type: 'openIs', params: 'checkin' }, target: 'checkin' },
                  { guard: { type: 'openIs', params: 'guide' }, target: 'guide' },
                  { guard: { type: 'openIs', params: 'print' }, target: 'print' },
                  { guard: { type: 'openIs', params: 'rating' }, target: 'rating' },
                ],
                HELP: { target: 'help', actions: assign({ helpFrom: 'home' }) },
                CARD_READ: { target: 'identified', actions: 'setIdentity' },
                CODE_SCANNED: [
                  { guard: 'appointmentScan', target: 'checkin', actions: assign({ pendingScan: ({ event }) => ({ ...(event.code !== undefined ? { code: event.code } : {}) }) }) },
                  { guard: 'ticketScan', target: 'rating', actions: assign({ pendingScan: ({ event }) => ({ ...(event.code !== undefined ? { code: event.code } : {}) }) }) },
                ],
              },
            },
            identified: {
              on: {
                CONFIRM: 'home',
                REJECT: { target: 'home', actions: assign({ identity: null }) },
                BACK: 'home',
                CARD_READ: { target: 'identified', actions: 'setIdentity', reenter: true },
                // Taken away before confirming: nothing left to confirm.
                CARD_REMOVED: { target: 'home', actions: 'cardGone' },
                HELP: { target: 'help', actions: assign({ helpFrom: 'identified' }) },
              },
            },
            ticket: {
              invoke: {
                id: 'flow',
                src: 'ticketMachine',
                input: ({ context }) => ({ identity: context.identity, lang: context.lang, printerProblem: context.printerProblem }),
                onDone: {
                  target: 'home',
                  actions: [
                    'keepTicket',
                    assign({
                      identity: ({ context, event }) => ((event as DoneActorEvent<TicketOutput>).output.rejectedIdentity ? null : context.identity),
                    }),
                  ],
                },
              },
              on: {
                CARD_READ: { actions: ['setIdentity', 'forwardToFlow'] },
                CARD_REMOVED: { actions: ['cardGone', 'forwardToFlow'] },
                PRINTER_STATUS: { actions: ['setPrinter', 'forwardToFlow'] },
                CODE_SCANNED: { actions: 'forwardToFlow' },
                SET_LANG: { actions: [assign({ lang: ({ event }) => event.lang }), 'forwardToFlow'] },
                HELP: { target: 'help', actions: assign({ helpFrom: 'ticket' }) },
              },
            },
            checkin: {
              invoke: {
                id: 'flow',
                src: 'checkinMachine',
                input: ({ context }) => ({ identity: context.identity, lang: context.lang, scan: context.pendingScan, printerProblem: context.printerProblem }),
                onDone: [
                  // No booking found and the citizen chose 取号 right there.
                  { guard: 'checkinWantsTicket', target: 'ticket', actions: 'keepTicket' },
                  { target: 'home', actions: 'keepTicket' },
                ],
              },
              on: {
                CARD_READ: { actions: ['setIdentity', 'forwardToFlow'] },
                CARD_REMOVED: { actions: ['cardGone', 'forwardToFlow'] },
                PRINTER_STATUS: { actions: ['setPrinter', 'forwardToFlow'] },
                CODE_SCANNED: { actions: 'forwardToFlow' },
                SET_LANG: { actions: [assign({ lang: ({ event }) => event.lang }), 'forwardToFlow'] },
                HELP: { target: 'help', actions: assign({ helpFrom: 'checkin' }) },
              },
            },
            guide: {
              invoke: { id: 'flow', src: 'guideMachine', input: ({ context }) => ({ lang: context.lang }), onDone: 'home' },
              on: {
                SET_LANG: { actions: [assign({ lang: ({ event }) => event.lang }), 'forwardToFlow'] },
                CARD_READ: { actions: 'setIdentity' },
                HELP: { target: 'help', actions: assign({ helpFrom: 'guide' }) },
              },
            },
            print: {
              invoke: {
                id: 'flow',
                src: 'printMachine',
                input: ({ context }) => ({ lang: context.lang }),
                onDone: 'home',
              },
              on: {
                SET_LANG: { actions: [assign({ lang: ({ event }) => event.lang }), 'forwardToFlow'] },
                CARD_READ: { actions: 'setIdentity' },
                HELP: { target: 'help', actions: assign({ helpFrom: 'print' }) },
              },
            },
            rating: {
              invoke: {
                id: 'flow',
                src: 'ratingMachine',
                input: ({ context }) => ({ sessionTickets: context.tickets, scan: context.pendingScan }),
                onDone: { target: 'home', actions: assign({ pendingScan: undefined }) },
              },
              on: {
                CODE_SCANNED: { actions: 'forwardToFlow' },
                CARD_READ: { actions: 'setIdentity' },
                HELP: { target: 'help', actions: assign({ helpFrom: 'rating' }) },
              },
            },
            help: {
              invoke: { id: 'flow', src: 'helpMachine', input: ({ context }) => ({ screen: context.helpFrom }), onDone: 'home' },
              on: { CARD_READ: { actions: 'setIdentity' }, HELP_UPDATED: { actions: 'forwardToFlow' } },
            },
          },
        },
        idle: {
          initial: 'active',
          states: {
            active: {
              after: { untilWarning: 'warning' },
              on: { TOUCH: { target: 'active', reenter: true } },
            },
            warning: {
              after: { warning: '#kiosk.timedOut' },
              on: { TOUCH: 'active' },
            },
          },
        },
      },
    },
    timedOut: {
      entry: ['wipe', { type: 'notifySessionEnd', params: { reason: 'timeout' } }],
      always: 'attract',
    },
  },
});

export type { ScanView };
