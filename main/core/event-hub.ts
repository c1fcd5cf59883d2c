import type { EventName, EventPayload } from '../contract/index.js';

export type EventSink = (name: EventName, payload: unknown) => void;

/**
 * Pushes contract events to the UI. Events raised before the UI said `app.ready` are queued (bounded), not lost,
 * and delivered in order when it does (Fiddle's pattern). A reload of the UI goes back to queueing until the new
 * page is ready again.
 */
export class EventHub {
  private readonly sinks = new Set<EventSink>();
  private queue: { name: EventName; payload: unknown }[] = [];
  private ready = false;
  private dropped = 0;

  constructor(private readonly maxQueued = 200) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!this.ready || this.sinks.size === 0) {
      this.queue.push({ name, payload });
      if (this.queue.length > this.maxQueued) {
        this.queue.shift();
        this.dropped++;
      }
      return;
    }
    for (const sink of this.sinks) sink(name, payload);
  }

  /** A UI connection (Electron window or WebSocket). Returns the remover. */
  addSink(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
      if (this.sinks.size === 0) this.ready = false;
    };
  }

  /** Called on `app.ready`; flushes the queue to the connected sinks. Returns how many were delivered. */
  markReady(): number {
    this.ready = true;
    const pending = this.queue;
    this.queue = [];
    for (const e of pending) for (const sink of this.sinks) sink(e.name, e.payload);
    return pending.length;
  }

  markNotReady(): void {
    this.ready = false;
  }

  get stats(): { queued: number; dropped: number; ready: boolean } {
    return { queued: this.queue.length, dropped: this.dropped, ready: this.ready };
  }
}
