import { assign, setup } from 'xstate';
import type { CitizenIdentityView } from '../../../main/contract/index.js';

/**
 * The citizen's session as a state machine (STYLE.md §7). Hardware events (card read/removed) enter as events;
 * idle time-outs are `after` transitions: after `idleMs - warningMs` without a touch the screen warns, a touch
 * extends, and after `warningMs` more the session resets — which wipes the identity here and in the host.
 */
export interface KioskContext {
  identity: CitizenIdentityView | null;
  idleMs: number;
  warningMs: number;
}

export type KioskEvent =
  | { type: 'TOUCH' }
  | { type: 'START' }
  | { type: 'IDENTIFY' }
  | { type: 'CARD_READ'; identity: CitizenIdentityView }
  | { type: 'CARD_REMOVED' }
  | { type: 'CONFIRM' }
  | { type: 'REJECT' }
  | { type: 'BACK' }
  | { type: 'EXIT' }
  | { type: 'SET_TIMEOUTS'; idleMs: number; warningMs: number };

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    input: {} as { idleMs: number; warningMs: number },
  },
  actions: {
    wipe: assign({ identity: null }),
    /** Told to the host by the component that runs the machine (it owns the bridge). */
    notifySessionEnd: () => undefined,
  },
  delays: {
    untilWarning: ({ context }) => Math.max(0, context.idleMs - context.warningMs),
    warning: ({ context }) => context.warningMs,
  },
}).createMachine({
  id: 'kiosk',
  context: ({ input }) => ({ identity: null, idleMs: input.idleMs, warningMs: input.warningMs }),
  initial: 'attract',
  on: {
    SET_TIMEOUTS: { actions: assign({ idleMs: ({ event }) => event.idleMs, warningMs: ({ event }) => event.warningMs }) },
  },
  states: {
    attract: {
      entry: 'wipe',
      on: {
        // Only the big start target starts a session: touching the language or elderly switch must not.
        START: 'session',
        // A card placed on the attract screen starts a session straight away.
        CARD_READ: { target: 'session.screen.identified', actions: assign({ identity: ({ event }) => event.identity }) },
      },
    },
    session: {
      type: 'parallel',
      on: {
        EXIT: { target: 'attract', actions: 'notifySessionEnd' },
        CARD_READ: { target: '.screen.identified', actions: assign({ identity: ({ event }) => event.identity }) },
      },
      states: {
        screen: {
          initial: 'home',
          states: {
            home: { on: { IDENTIFY: 'identify' } },
            identify: { on: { BACK: 'home' } },
            identified: {
              on: {
                CONFIRM: 'home',
                REJECT: { target: 'identify', actions: 'wipe' },
                BACK: 'home',
              },
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
      entry: ['wipe', 'notifySessionEnd'],
      always: 'attract',
    },
  },
});
