import type { z } from 'zod';
import { DriverError } from '../../drivers/errors.js';
import { formatPath } from '../../kiosk-config/validate.js';
import {
  isRequestName,
  requests,
  type Access,
  type RequestName,
  type RequestOutput,
  type RequestParsed,
  type Result,
} from '../contract/index.js';
import { HostError } from '../errors.js';
import type { Logger } from './logger.js';

/** Who is calling: which host bridge, and which staff role (if any) is signed in on that connection. */
export interface CallContext {
  via: 'electron' | 'browser' | 'test';
  staffRole?: 'manager' | 'technician' | undefined;
  /** Opaque id of the connection / window, for staff sessions bound to it. */
  connectionId: string;
}

export type Handlers = {
  [N in RequestName]: (input: RequestParsed<N>, ctx: CallContext) => Promise<RequestOutput<N>> | RequestOutput<N>;
};

export interface DispatcherOptions {
  handlers: Handlers;
  /** Demo mode (`--simulate` or `"demo": true`): the only mode that serves the simulator panel's `sim.*` requests. */
  demo: () => boolean;
  logger: Logger;
}

/**
 * The single entry of every request from either host: checks the name, the caller's access, validates the input
 * with the contract's zod schema, runs the handler and wraps the outcome in a Result. Coded errors travel as
 * `{ code, message }`; anything else is logged and becomes INTERNAL. Nothing throws across the bridge.
 */
export class RequestDispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  async dispatch(name: unknown, rawInput: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (!isRequestName(name)) {
      return { ok: false, error: { code: 'UNKNOWN_REQUEST', message: `unknown request ${String(name).slice(0, 60)}` } };
    }
    const def = requests[name];
    const denied = this.checkAccess(def.access, ctx);
    if (denied) return { ok: false, error: denied };
    const parsed = (def.input as z.ZodType).safeParse(rawInput ?? {});
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
      return { ok: false, error: { code: 'BAD_REQUEST', message: `invalid input for ${name}`, fields } };
    }
    try {
      const handler = this.options.handlers[name] as (input: unknown, ctx: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: this.toWireError(name, e) };
    }
  }

  private checkAccess(access: Access, ctx: CallContext): { code: string; message: string } | undefined {
    switch (access) {
      case 'citizen':
        return undefined;
      case 'sim':
        return this.options.demo() ? undefined : { code: 'NOT_AVAILABLE', message: 'the simulator is available only in demo mode' };
      case 'staff':
        return ctx.staffRole ? undefined : { code: 'AUTH_REQUIRED', message: 'staff sign-in required' };
      case 'manager':
      case 'technician':
        if (!ctx.staffRole) return { code: 'AUTH_REQUIRED', message: 'staff sign-in required' };
        return ctx.staffRole === access ? undefined : { code: 'AUTH_FORBIDDEN', message: `requires the ${access} role` };
      default: {
        const never: never = access;
        throw new Error(`unhandled access ${String(never)}`);
      }
    }
  }

  private toWireError(name: RequestName, e: unknown): { code: string; message: string; detail?: Record<string, unknown> } {
    if (e instanceof HostError || e instanceof DriverError) {
      this.options.logger.info({ request: name, code: e.code }, 'request failed');
      // Only numbers, booleans and short strings of the detail cross the bridge (no nested data, nothing personal).
      const detail = Object.fromEntries(
        Object.entries(e.detail ?? {}).filter(([, v]) => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 40)),
      );
      return { code: e.code, message: e.message, ...(Object.keys(detail).length ? { detail } : {}) };
    }
    this.options.logger.error({ request: name, err: e }, 'request crashed');
    return { code: 'INTERNAL', message: 'internal error' };
  }
}
