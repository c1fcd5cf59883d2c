import { assign, forwardTo, setup, type DoneActorEvent } from 'xstate';
import type { CitizenIdentityView, CitizenTicket, ScanView } from '../../../main/contract/index.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { checkinMachine } from './checkin.machine.js';
import type { HardwareEvent } from './events.js';
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
}

export type KioskEvent =
  | HardwareEvent
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
}

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
    cardOnReader: false,
  }),
  initial: 'attract',
  on: {
    SET_TIMEOUTS: { actions: assign({ idleMs: ({ event }) => event.idleMs, warningMs: ({ event }) => event.warningMs }) },
    SET_LANG: { actions: assign({ lang: ({ event }) => event.lang }) },
    CARD_REMOVED: { actions: assign({ cardOnReader: false }) },
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
                HELP: { target: 'help', actions: assign({ helpFrom: 'identified' }) },
              },
            },
            ticket: {
              invoke: {
                id: 'flow',
                src: 'ticketMachine',
                input: ({ context }) => ({ identity: context.identity, lang: context.lang }),
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
                CODE_SCANNED: { actions: 'forwardToFlow' },
                SET_LANG: { actions: [assign({ lang: ({ event }) => event.lang }), 'forwardToFlow'] },
                HELP: { target: 'help', actions: assign({ helpFrom: 'ticket' }) },
              },
            },
            checkin: {
              invoke: {
                id: 'flow',
                src: 'checkinMachine',
                input: ({ context }) => ({ identity: context.identity, lang: context.lang, scan: context.pendingScan }),
                onDone: { target: 'home', actions: 'keepTicket' },
              },
              on: {
                CARD_READ: { actions: ['setIdentity', 'forwardToFlow'] },
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
              on: { CARD_READ: { actions: 'setIdentity' } },
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
