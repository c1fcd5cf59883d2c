import { vi } from 'vitest';
import type { KioskApi, RequestName, Result } from '../../../main/contract/index.js';
import { setKioskApi } from '../bridge/kiosk.js';

/**
 * Helpers for the machines' tests (never imported by the app): a fake host behind `setKioskApi`, a failing handler
 * and a settle step for vi fake timers.
 */
export type FakeHandler = (input: unknown) => unknown;

/**
 * Installs a fake host: each request answers from `handlers`; every call is recorded in the returned array. Unknown
 * requests fail as the host would (UNKNOWN_REQUEST); a handler that throws `fail(code, detail)` answers that error.
 */
export function fakeHost(handlers: Partial<Record<RequestName, FakeHandler>>): { name: string; input: unknown }[] {
  const calls: { name: string; input: unknown }[] = [];
  const api: KioskApi = {
    invoke: (async (name: RequestName, input: unknown): Promise<Result<unknown>> => {
      calls.push({ name, input });
      const h = handlers[name];
      if (!h) return { ok: false, error: { code: 'UNKNOWN_REQUEST', message: name } };
      try {
        return { ok: true, value: await h(input) };
      } catch (e) {
        const err = e as { code?: string; detail?: Record<string, unknown> };
        return { ok: false, error: { code: err.code ?? 'INTERNAL', message: 'failed', ...(err.detail ? { detail: err.detail } : {}) } };
      }
    }) as KioskApi['invoke'],
    on: () => () => undefined,
  };
  setKioskApi(api);
  return calls;
}

/** Throws the host error `code` (with `detail`) from a fake handler. */
export function fail(code: string, detail?: Record<string, unknown>): never {
  throw Object.assign(new Error(code), { code, ...(detail ? { detail } : {}) });
}

/** Lets pending promises and zero-delay timers run (vi fake timers). */
export const settle = () => vi.advanceTimersByTimeAsync(0);
