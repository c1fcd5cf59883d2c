import { assign, fromPromise, setup } from 'xstate';
import type { GuideBrowseBy, GuideGroup, GuideSummary, ReceiptPrintOutcome } from '../../../main/contract/index.js';
import type { ServiceItem } from '../../../kiosk-config/catalog/schema.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { call, errorCode } from '../bridge/call.js';

/**
 * 办事指南 / 一次性告知: browse by theme, department or life event (一件事), or search by keyword / pinyin initials
 * typed on the on-screen keypad (the kiosk has no keyboard); an item page with every standard element; print the
 * material checklist on the receipt printer.
 */
export interface GuideContext {
  lang: Language;
  by: GuideBrowseBy;
  groups: GuideGroup[];
  group: GuideGroup | null;
  items: GuideSummary[];
  query: string;
  results: GuideSummary[];
  item: ServiceItem | null;
  print: ReceiptPrintOutcome | null;
  errorCode: string | null;
}

export type GuideEvent =
  | { type: 'BROWSE_BY'; by: GuideBrowseBy }
  | { type: 'OPEN_GROUP'; key: string }
  | { type: 'OPEN_ITEM'; id: string }
  | { type: 'SEARCH' }
  | { type: 'KEY'; key: string }
  | { type: 'BACKSPACE' }
  | { type: 'CLEAR' }
  | { type: 'PRINT_CHECKLIST' }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'SET_LANG'; lang: Language };

/** Search waits this long after the last key before asking the host (ms). */
export const SEARCH_DEBOUNCE_MS = 250;
const MAX_QUERY = 20;

export const guideMachine = setup({
  types: {
    context: {} as GuideContext,
    events: {} as GuideEvent,
    input: {} as { lang: Language },
  },
  actors: {
    loadGroups: fromPromise(({ input }: { input: { by: GuideBrowseBy } }) => call('guide.groups', input)),
    loadList: fromPromise(({ input }: { input: { by: GuideBrowseBy; key: string } }) => call('guide.list', input)),
    search: fromPromise(({ input }: { input: { query: string } }) => call('guide.search', { query: input.query, limit: 20 })),
    loadItem: fromPromise(({ input }: { input: { id: string } }) => call('guide.item', input)),
    printChecklist: fromPromise(({ input }: { input: { id: string; lang: Language } }) => call('guide.printChecklist', input)),
  },
  actions: {
    fail: assign({ errorCode: ({ event }) => errorCode((event as { error?: unknown }).error) }),
  },
  guards: {
    hasQuery: ({ context }) => context.query.trim() !== '',
  },
}).createMachine({
  id: 'guide',
  context: ({ input }) => ({
    lang: input.lang,
    by: 'theme',
    groups: [],
    group: null,
    items: [],
    query: '',
    results: [],
    item: null,
    print: null,
    errorCode: null,
  }),
  initial: 'browse',
  on: { SET_LANG: { actions: assign({ lang: ({ event }) => event.lang }) } },
  states: {
    browse: {
      initial: 'loading',
      on: {
        BROWSE_BY: { target: '.loading', actions: assign({ by: ({ event }) => event.by }) },
        OPEN_GROUP: { target: 'list', actions: assign({ group: ({ context, event }) => context.groups.find((g) => g.key === event.key) ?? null }) },
        SEARCH: 'search',
        BACK: 'closed',
      },
      states: {
        loading: {
          invoke: {
            src: 'loadGroups',
            input: ({ context }) => ({ by: context.by }),
            onDone: { target: 'ready', actions: assign({ groups: ({ event }) => event.output, errorCode: null }) },
            onError: { target: 'failed', actions: 'fail' },
          },
        },
        ready: {},
        failed: { on: { RETRY: 'loading' } },
      },
    },
    list: {
      initial: 'loading',
      on: { BACK: 'browse.ready', OPEN_ITEM: { target: 'item', actions: assign({ item: null }) } },
      states: {
        loading: {
          invoke: {
            src: 'loadList',
            input: ({ context }) => ({ by: context.by, key: context.group?.key ?? '' }),
            onDone: { target: 'ready', actions: assign({ items: ({ event }) => event.output, errorCode: null }) },
            onError: { target: 'failed', actions: 'fail' },
          },
        },
        ready: {},
        failed: { on: { RETRY: 'loading' } },
      },
    },
    search: {
      initial: 'idle',
      on: {
        KEY: { target: '.debouncing', actions: assign({ query: ({ context, event }) => (context.query + event.key).slice(0, MAX_QUERY) }) },
        BACKSPACE: { target: '.debouncing', actions: assign({ query: ({ context }) => context.query.slice(0, -1) }) },
        CLEAR: { target: '.idle', actions: assign({ query: '', results: [] }) },
        OPEN_ITEM: { target: 'item', actions: assign({ item: null }) },
        BACK: { target: 'browse.ready', actions: assign({ query: '', results: [] }) },
      },
      states: {
        idle: {},
        debouncing: {
          after: { [SEARCH_DEBOUNCE_MS]: [{ guard: 'hasQuery', target: 'searching' }, { target: 'idle', actions: assign({ results: [] }) }] },
        },
        searching: {
          invoke: {
            src: 'search',
            input: ({ context }) => ({ query: context.query }),
            onDone: { target: 'ready', actions: assign({ results: ({ event }) => event.output, errorCode: null }) },
            onError: { target: 'failed', actions: 'fail' },
          },
        },
        ready: {},
        failed: { on: { RETRY: 'searching' } },
      },
    },
    item: {
      initial: 'loading',
      on: { BACK: [{ guard: 'hasQuery', target: 'search.ready' }, { target: 'list.ready' }] },
      states: {
        loading: {
          invoke: {
            src: 'loadItem',
            input: ({ event }) => ({ id: event.type === 'OPEN_ITEM' ? event.id : '' }),
            onDone: { target: 'ready', actions: assign({ item: ({ event }) => event.output, errorCode: null, print: null }) },
            onError: { target: 'failed', actions: 'fail' },
          },
        },
        ready: { on: { PRINT_CHECKLIST: 'printing' } },
        printing: {
          invoke: {
            src: 'printChecklist',
            input: ({ context }) => ({ id: context.item!.id, lang: context.lang }),
            onDone: { target: 'printed', actions: assign({ print: ({ event }) => event.output, errorCode: null }) },
            onError: { target: 'printFailed', actions: 'fail' },
          },
        },
        printed: { on: { PRINT_CHECKLIST: 'printing' } },
        printFailed: { on: { RETRY: 'printing', PRINT_CHECKLIST: 'printing' } },
        failed: {},
      },
    },
    closed: { type: 'final' },
  },
});
