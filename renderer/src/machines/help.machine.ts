import { assign, fromPromise, setup } from 'xstate';
import type { HelpRequestView } from '../../../main/contract/index.js';
import { call, errorCode } from '../bridge/call.js';

export type HelpEvent =
  | { type: 'RETRY' }
  | { type: 'DONE' }
  | { type: 'BACK' }
  | { type: 'CANCEL' }
  /** A help request changed on the host (`help-updated`): staff acknowledged or closed it. */
  | { type: 'HELP_UPDATED'; request: HelpRequestView };

/**
 * 呼叫帮办: raise a help request (the hall's staff see it on their console), show its reference (the request's
 * number), let the citizen cancel it, and say “工作人员正在赶来” when staff acknowledge it.
 */
export const helpMachine = setup({
  types: {
    context: {} as { screen: string; request: HelpRequestView | null; errorCode: string | null },
    events: {} as HelpEvent,
    input: {} as { screen: string },
  },
  actors: {
    raise: fromPromise(({ input }: { input: { screen: string } }) => call('help.request', input)),
    cancel: fromPromise(({ input }: { input: { id: number } }) => call('help.cancel', input)),
  },
  guards: {
    isMine: ({ context, event }) => event.type === 'HELP_UPDATED' && event.request.id === context.request?.id,
    mineAcknowledged: ({ context, event }) =>
      event.type === 'HELP_UPDATED' && event.request.id === context.request?.id && event.request.status === 'acknowledged',
  },
}).createMachine({
  id: 'help',
  context: ({ input }) => ({ screen: input.screen, request: null, errorCode: null }),
  initial: 'sending',
  states: {
    sending: {
      invoke: {
        src: 'raise',
        input: ({ context }) => ({ screen: context.screen }),
        onDone: { target: 'sent', actions: assign({ request: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    sent: {
      initial: 'waiting',
      on: {
        DONE: 'closed',
        BACK: 'closed',
        CANCEL: 'cancelling',
        HELP_UPDATED: [
          { guard: 'mineAcknowledged', target: '.acknowledged', actions: assign({ request: ({ event }) => event.request }) },
          { guard: 'isMine', actions: assign({ request: ({ event }) => event.request }) },
        ],
      },
      states: {
        waiting: {},
        /** Staff acknowledged on their console: “工作人员正在赶来”. */
        acknowledged: {},
      },
    },
    cancelling: {
      invoke: {
        src: 'cancel',
        input: ({ context }) => ({ id: context.request!.id }),
        onDone: { target: 'cancelled', actions: assign({ request: ({ event }) => event.output }) },
        onError: { target: 'sent', actions: assign({ errorCode: ({ event }) => errorCode(event.error) }) },
      },
    },
    cancelled: { on: { DONE: 'closed', BACK: 'closed' } },
    failed: { on: { RETRY: 'sending', DONE: 'closed', BACK: 'closed' } },
    closed: { type: 'final' },
  },
});
