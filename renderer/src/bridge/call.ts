import type { RequestInput, RequestName, RequestOutput } from '../../../main/contract/index.js';
import { kiosk } from './kiosk.js';

/** A failed host request inside a machine actor: the coded error, mapped to a sentence by the screens (never shown raw). */
export class RequestFailed extends Error {
  override readonly name = 'RequestFailed';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Invokes a host request and returns its value, or throws RequestFailed with the wire error's code. */
export async function call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const r = await kiosk().invoke(name, input);
  if (!r.ok) throw new RequestFailed(r.error.code, r.error.message);
  return r.value;
}

/** The code of an actor's error, for `errors.<CODE>` sentences; anything uncoded is INTERNAL. */
export function errorCode(error: unknown): string {
  return error instanceof RequestFailed ? error.code : 'INTERNAL';
}
