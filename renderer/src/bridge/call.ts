import type { RequestInput, RequestName, RequestOutput } from '../../../main/contract/index.js';
import { kiosk } from './kiosk.js';

/** A failed host request inside a machine actor: the coded error, mapped to a sentence by the screens (never shown raw). */
export class RequestFailed extends Error {
  override readonly name = 'RequestFailed';
  constructor(
    readonly code: string,
    message: string,
    /** The wire error's flat facts (numbers, booleans, short strings), e.g. `opensAt` of a too-early check-in. */
    readonly detail: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** Invokes a host request and returns its value, or throws RequestFailed with the wire error's code. */
export async function call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const r = await kiosk().invoke(name, input);
  if (!r.ok) throw new RequestFailed(r.error.code, r.error.message, r.error.detail ?? {});
  return r.value;
}

/** The code of an actor's error, for `errors.<CODE>` sentences; anything uncoded is INTERNAL. */
export function errorCode(error: unknown): string {
  return error instanceof RequestFailed ? error.code : 'INTERNAL';
}

/** A string fact of an actor's error detail (e.g. `opensAt`), or undefined. */
export function errorDetailString(error: unknown, key: string): string | undefined {
  const v = error instanceof RequestFailed ? error.detail[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}
