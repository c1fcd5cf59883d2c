import { assign, fromPromise, setup } from 'xstate';
import type { A4JobState, DocumentPreview, PrintableDocument } from '../../../main/contract/index.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { call, errorCode } from '../bridge/call.js';

/**
 * 材料打印: choose a document (guides and blank forms rendered by the host as PDF), see its pages (PNG previews),
 * choose copies (1..maxCopies), print on the A4 printer through CUPS and follow the job until it is completed,
 * failed or cancelled. Leaving the flow (or the idle reset) stops following; the host keeps the job.
 */
export interface PrintContext {
  lang: Language;
  maxCopies: number;
  documents: PrintableDocument[];
  document: PrintableDocument | null;
  preview: DocumentPreview | null;
  copies: number;
  jobId: string | null;
  jobState: A4JobState | null;
  jobReason: string | null;
  errorCode: string | null;
  polls: number;
}

export type PrintEvent =
  | { type: 'CHOOSE'; id: string }
  | { type: 'MORE' }
  | { type: 'LESS' }
  | { type: 'PRINT' }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'DONE' }
  | { type: 'SET_LANG'; lang: Language };

/** Job status poll interval (ms) and the longest follow (polls) before the job is reported as not finished. */
export const JOB_POLL_MS = 1000;
export const JOB_MAX_POLLS = 180;

export const printMachine = setup({
  types: {
    context: {} as PrintContext,
    events: {} as PrintEvent,
    input: {} as { lang: Language },
  },
  actors: {
    loadDocuments: fromPromise(() => call('documents.list', {})),
    loadPreview: fromPromise(({ input }: { input: { id: string; lang: Language } }) => call('documents.preview', { ...input, maxPages: 4 })),
    submit: fromPromise(({ input }: { input: { id: string; lang: Language; copies: number } }) => call('documents.print', input)),
    jobStatus: fromPromise(({ input }: { input: { jobId: string } }) => call('documents.job', input)),
  },
  actions: {
    fail: assign({ errorCode: ({ event }) => errorCode((event as { error?: unknown }).error) }),
  },
  guards: {
    jobFinished: ({ event }) => {
      const s = (event as unknown as { output: { state: A4JobState } }).output.state;
      return s === 'completed' || s === 'failed' || s === 'cancelled';
    },
    followedTooLong: ({ context }) => context.polls >= JOB_MAX_POLLS,
  },
}).createMachine({
  id: 'print',
  context: ({ input }) => ({
    lang: input.lang,
    maxCopies: 1,
    documents: [],
    document: null,
    preview: null,
    copies: 1,
    jobId: null,
    jobState: null,
    jobReason: null,
    errorCode: null,
    polls: 0,
  }),
  initial: 'loading',
  on: { SET_LANG: { actions: assign({ lang: ({ event }) => event.lang }) } },
  states: {
    loading: {
      invoke: {
        src: 'loadDocuments',
        onDone: { target: 'choosing', actions: assign({ documents: ({ event }) => event.output.documents, maxCopies: ({ event }) => event.output.maxCopies, errorCode: null }) },
        onError: { target: 'failed', actions: 'fail' },
      },
    },
    failed: { on: { RETRY: 'loading', BACK: 'closed' } },
    choosing: {
      on: {
        CHOOSE: {
          target: 'preview',
          actions: assign({ document: ({ context, event }) => context.documents.find((d) => d.id === event.id) ?? null, preview: null, copies: 1 }),
        },
        BACK: 'closed',
      },
    },
    preview: {
      initial: 'loading',
      on: {
        BACK: 'choosing',
        MORE: { actions: assign({ copies: ({ context }) => Math.min(context.maxCopies, context.copies + 1) }) },
        LESS: { actions: assign({ copies: ({ context }) => Math.max(1, context.copies - 1) }) },
      },
      states: {
        loading: {
          invoke: {
            src: 'loadPreview',
            input: ({ context }) => ({ id: context.document!.id, lang: context.lang }),
            onDone: { target: 'ready', actions: assign({ preview: ({ event }) => event.output, errorCode: null }) },
            onError: { target: 'failed', actions: 'fail' },
          },
        },
        ready: { on: { PRINT: '#print.submitting' } },
        failed: { on: { RETRY: 'loading' } },
      },
    },
    submitting: {
      invoke: {
        src: 'submit',
        input: ({ context }) => ({ id: context.document!.id, lang: context.lang, copies: context.copies }),
        onDone: { target: 'following', actions: assign({ jobId: ({ event }) => event.output.jobId, jobState: 'queued', jobReason: null, polls: 0, errorCode: null }) },
        onError: { target: 'submitFailed', actions: 'fail' },
      },
    },
    submitFailed: { on: { RETRY: 'submitting', BACK: 'preview.ready', DONE: 'closed' } },
    following: {
      initial: 'asking',
      states: {
        asking: {
          invoke: {
            src: 'jobStatus',
            input: ({ context }) => ({ jobId: context.jobId! }),
            onDone: [
              {
                guard: 'jobFinished',
                target: '#print.finished',
                actions: assign({ jobState: ({ event }) => event.output.state, jobReason: ({ event }) => event.output.reason ?? null }),
              },
              { target: 'waiting', actions: assign({ jobState: ({ event }) => event.output.state, polls: ({ context }) => context.polls + 1 }) },
            ],
            onError: { target: '#print.submitFailed', actions: 'fail' },
          },
        },
        waiting: {
          always: { guard: 'followedTooLong', target: '#print.finished', actions: assign({ jobReason: 'timeout' }) },
          after: { [JOB_POLL_MS]: 'asking' },
        },
      },
    },
    /** completed, failed or cancelled (jobState), or not finished in time (jobReason 'timeout'). */
    finished: { on: { DONE: 'closed', BACK: 'choosing', RETRY: 'submitting' } },
    closed: { type: 'final' },
  },
});
