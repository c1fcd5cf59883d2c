import { assign, fromPromise, setup } from 'xstate';
import type { HelpRequestView } from '../../../main/contract/index.js';
import { call, errorCode } from '../bridge/call.js';

/** 呼叫帮办: raise a help request (the hall's staff see it on their console) and tell the citizen someone is coming. */
export const helpMachine = setup({
  types: {
    context: {} as { screen: string; request: HelpRequestView | null; errorCode: string | null },
    events: {} as { type: 'RETRY' } | { type: 'DONE' } | { type: 'BACK' },
    input: {} as { screen: string },
  },
  actors: {
    raise: fromPromise(({ input }: { input: { screen: string } }) => call('help.request', input)),
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
    sent: { on: { DONE: 'closed', BACK: 'closed' } },
    failed: { on: { RETRY: 'sending', DONE: 'closed', BACK: 'closed' } },
    closed: { type: 'final' },
  },
});
