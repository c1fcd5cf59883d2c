import type { EventName, EventPayload } from '../contract/index.js';

export type EventSink = (name: EventName, payload: unknown) => void;

interface Connection {
  sink: EventSink;
  /** Given by the host (`ws-3`); undefined for a sink that did not name itself (the Electron window). */
  id: string | undefined;
  ready: boolean;
  queue: { name: EventName; payload: unknown }[];
}

/**
 * Pushes contract events to the UI connections. Readiness and the queue belong to each connection: events raised
 * before a connection said `app.ready` are queued for it (bounded), not lost, and delivered in order when it does
 * (Fiddle's pattern); one page closing or reloading never stops delivery to another (a manager closing staff.html
 * must not deafen the lobby kiosk's own page). Events raised while no connection exists at all are kept for the
 * first one that connects.
 */
export class EventHub {
  private readonly connections = new Set<Connection>();
  /** Events raised while no connection existed; handed to the next connection. */
  private orphans: { name: EventName; payload: unknown }[] = [];
  private dropped = 0;

  /** Host-side observers (the fleet agent): see every event as it is raised, never queue, never count as a UI. */
  private readonly taps = new Set<EventSink>();

  constructor(private readonly maxQueued = 200) {}

  /** Observes every event in the host process (not a UI connection: no readiness, no queue). Returns the remover. */
  tap(sink: EventSink): () => void {
    this.taps.add(sink);
    return () => this.taps.delete(sink);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const tap of this.taps) tap(name, payload);
    if (this.connections.size === 0) {
      this.push(this.orphans, { name, payload });
      return;
    }
    for (const c of this.connections) {
      if (c.ready) c.sink(name, payload);
      else this.push(c.queue, { name, payload });
    }
  }

  /**
   * Like `emit`, for events that belong to one citizen's page (a card read, a scanned code): delivered to (or queued
   * for) `connectionId` only, selected like `markReady`, so another page of the host never sees them. Without an id
   * (no page owns the session yet) it is `emit`. Taps see it either way.
   */
  emitTo<E extends EventName>(connectionId: string | undefined, name: E, payload: EventPayload<E>): void {
    if (connectionId === undefined) {
      this.emit(name, payload);
      return;
    }
    for (const tap of this.taps) tap(name, payload);
    for (const c of this.select(connectionId, true)) {
      if (c.ready) c.sink(name, payload);
      else this.push(c.queue, { name, payload });
    }
  }

  /**
   * A UI connection (Electron window or WebSocket), not ready until `markReady(connectionId)`. Returns the
   * remover. `connectionId` is the id its requests carry in their call context.
   */
  addSink(sink: EventSink, connectionId?: string): () => void {
    const c: Connection = { sink, id: connectionId, ready: false, queue: this.orphans };
    this.orphans = [];
    this.connections.add(c);
    return () => {
      this.connections.delete(c);
    };
  }

  /**
   * Called on `app.ready` from `connectionId`: that connection becomes ready and gets its queue. An id no sink
   * registered under (the Electron window's sink names none) readies the unnamed sinks. Without an id: every
   * connection. Returns how many queued events were delivered.
   */
  markReady(connectionId?: string): number {
    let delivered = 0;
    for (const c of this.select(connectionId, true)) {
      c.ready = true;
      const pending = c.queue;
      c.queue = [];
      for (const e of pending) c.sink(e.name, e.payload);
      delivered += pending.length;
    }
    return delivered;
  }

  /**
   * The page of `connectionId` is gone or reloading: queue for it again. An id without a sink (a LAN staff
   * connection) changes nothing. Without an id: every connection (the Electron window's renderer reloads).
   */
  markNotReady(connectionId?: string): void {
    for (const c of this.select(connectionId, false)) c.ready = false;
  }

  private select(connectionId: string | undefined, unnamedForUnknown: boolean): Connection[] {
    const all = [...this.connections];
    if (connectionId === undefined) return all;
    const named = all.filter((c) => c.id === connectionId);
    return named.length > 0 || !unnamedForUnknown ? named : all.filter((c) => c.id === undefined);
  }

  /**
   * Drops the events named `names` that wait in `connectionId`'s queue (and among the orphans): a page that just
   * said hello must not receive a card read for an identity the host has wiped (issue 10, session binding).
   * Selects connections like `markReady`. Returns how many were dropped.
   */
  discardQueued(connectionId: string, names: readonly EventName[]): number {
    const keep = (e: { name: EventName }) => !names.includes(e.name);
    let n = 0;
    for (const c of this.select(connectionId, true)) {
      const before = c.queue.length;
      c.queue = c.queue.filter(keep);
      n += before - c.queue.length;
    }
    const before = this.orphans.length;
    this.orphans = this.orphans.filter(keep);
    return n + before - this.orphans.length;
  }

  private push(queue: { name: EventName; payload: unknown }[], e: { name: EventName; payload: unknown }): void {
    queue.push(e);
    if (queue.length > this.maxQueued) {
      queue.shift();
      this.dropped++;
    }
  }

  /** `ready`: at least one connection is ready. `queued`: events waiting, over all connections. */
  get stats(): { queued: number; dropped: number; ready: boolean } {
    let queued = this.orphans.length;
    let ready = false;
    for (const c of this.connections) {
      queued += c.queue.length;
      ready ||= c.ready;
    }
    return { queued, dropped: this.dropped, ready };
  }
}
