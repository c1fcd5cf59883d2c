import type { z } from 'zod';
import { appEvents, appRequests, simRequests } from './app.js';
import { citizenEvents, citizenRequests } from './citizen.js';
import { staffRequests } from './staff.js';
import type { RequestDef, Result } from './define.js';

/**
 * THE contract. Each domain declares its requests and events in its own file (app.ts, citizen.ts, staff.ts, ...)
 * and is spread in here; everything else (preload, bridge, window.kiosk, handler types) derives from these two
 * tables. Adding a request without a handler is a type error in main/app/kiosk-services.ts.
 */
export const requests = {
  ...appRequests,
  ...simRequests,
  ...citizenRequests,
  ...staffRequests,
} as const;

export const events = {
  ...appEvents,
  ...citizenEvents,
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
export type RequestParsed<N extends RequestName> = z.output<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = Requests[N] extends RequestDef<z.ZodType, infer O> ? O : never;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Exclude<Events[E]['payload'], undefined>;

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** The API the renderer sees as `window.kiosk`, in both hosts. */
export interface KioskApi {
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** IPC channel names of the Electron host. */
export const IPC_REQUEST_CHANNEL = 'kiosk:request';
export const IPC_EVENT_CHANNEL = 'kiosk:event';

/** Messages of the browser host's WebSocket bridge. */
export type BridgeClientMessage = { t: 'req'; id: number; name: string; input: unknown };
export type BridgeServerMessage =
  | { t: 'res'; id: number; result: Result<unknown> }
  | { t: 'evt'; name: EventName; payload: unknown };

export type { Result, WireError, Access } from './define.js';
export * from './types.js';
export * from './citizen.js';
export * from './staff.js';
