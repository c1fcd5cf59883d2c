/**
 * The interface every queue call display implements (hall page, LED window strips, voice) and the hub that fans a
 * call out to all of them. A failing or hanging display is reported through its status and the hub's `onFault`;
 * it never delays or blocks the others.
 */
import { DriverError, asDriverError, type DriverErrorCode } from '../errors.js';
import { ListenerSet } from '../transport/transport.js';

export interface Call {
  /** Ticket number as printed, e.g. `A012`. Not personal data. */
  ticket: string;
  /** Window label, e.g. `3` or `12`. */
  window: string;
  /** Service category label, e.g. `社保`; optional. */
  category?: string;
  /** Epoch ms when the call was made. */
  at: number;
}

export type CallDisplayStatus =
  | { state: 'unknown' }
  | { state: 'ok'; since: number }
  | { state: 'fault'; since: number; code: DriverErrorCode; message: string };

export interface CallDisplay {
  /** For logs and the device board, e.g. `web`, `led:serial:/dev/ttyUSB0@9600`, `voice`. */
  readonly name: string;
  show(call: Call): Promise<void>;
  clear(): Promise<void>;
  readonly status: CallDisplayStatus;
}

/** Helper for implementations: tracks ok/fault from the outcome of each operation. */
export class CallDisplayStatusTracker {
  private current: CallDisplayStatus = { state: 'unknown' };
  private readonly changed = new ListenerSet<[CallDisplayStatus]>();

  get status(): CallDisplayStatus {
    return this.current;
  }

  ok(now = Date.now()): void {
    if (this.current.state !== 'ok') this.set({ state: 'ok', since: now });
  }

  fault(error: DriverError, now = Date.now()): void {
    const c = this.current;
    if (c.state === 'fault' && c.code === error.code) return;
    this.set({ state: 'fault', since: now, code: error.code, message: error.message });
  }

  onChange(listener: (s: CallDisplayStatus) => void): () => void {
    return this.changed.add(listener);
  }

  private set(s: CallDisplayStatus): void {
    this.current = s;
    this.changed.emit(s);
  }
}

export interface CallDisplayHubOptions {
  /** Per display and operation, ms; a display slower than this is reported as PROTOCOL_TIMEOUT. Default 3000. */
  timeoutMs?: number;
}

export type CallDisplayOutcome = { display: string; ok: true } | { display: string; ok: false; error: DriverError };

export interface CallDisplayFault {
  display: string;
  operation: 'show' | 'clear';
  error: DriverError;
}

/** Fans calls out to several displays concurrently. Itself a CallDisplay, so hubs nest. */
export class CallDisplayHub implements CallDisplay {
  readonly name = 'hub';
  private readonly displays: CallDisplay[] = [];
  private readonly faults = new ListenerSet<[CallDisplayFault]>();
  private readonly timeoutMs: number;
  private last: CallDisplayOutcome[] = [];

  constructor(displays: CallDisplay[] = [], options: CallDisplayHubOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    for (const d of displays) this.add(d);
  }

  add(display: CallDisplay): () => void {
    this.displays.push(display);
    return () => {
      const i = this.displays.indexOf(display);
      if (i !== -1) this.displays.splice(i, 1);
    };
  }

  get members(): readonly CallDisplay[] {
    return this.displays;
  }

  onFault(listener: (f: CallDisplayFault) => void): () => void {
    return this.faults.add(listener);
  }

  /** Outcomes of the latest show/clear, one per display. */
  get lastOutcomes(): readonly CallDisplayOutcome[] {
    return this.last;
  }

  /** ok when every member is ok; otherwise the first member fault. */
  get status(): CallDisplayStatus {
    for (const d of this.displays) if (d.status.state === 'fault') return d.status;
    if (this.displays.length && this.displays.every((d) => d.status.state === 'ok')) {
      return { state: 'ok', since: Math.max(...this.displays.map((d) => (d.status.state === 'ok' ? d.status.since : 0))) };
    }
    return { state: 'unknown' };
  }

  /** Resolves when every display finished or timed out; never rejects. Faults are in the result and `onFault`. */
  show(call: Call): Promise<void> {
    return this.fanOut('show', (d) => d.show(call)).then(() => undefined);
  }

  clear(): Promise<void> {
    return this.fanOut('clear', (d) => d.clear()).then(() => undefined);
  }

  /** Like show, with the per-display outcomes. */
  showWithOutcomes(call: Call): Promise<CallDisplayOutcome[]> {
    return this.fanOut('show', (d) => d.show(call));
  }

  private async fanOut(operation: 'show' | 'clear', op: (d: CallDisplay) => Promise<void>): Promise<CallDisplayOutcome[]> {
    const outcomes = await Promise.all(
      [...this.displays].map(async (d): Promise<CallDisplayOutcome> => {
        try {
          await withTimeout(Promise.resolve().then(() => op(d)), this.timeoutMs, d.name, operation);
          return { display: d.name, ok: true };
        } catch (e) {
          const error = asDriverError(e, 'DEVICE_NOT_READY');
          this.faults.emit({ display: d.name, operation, error });
          return { display: d.name, ok: false, error };
        }
      }),
    );
    this.last = outcomes;
    return outcomes;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, display: string, operation: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DriverError('PROTOCOL_TIMEOUT', `display ${display} did not finish ${operation} within ${ms} ms`, { detail: { display, ms } })),
      ms,
    );
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
