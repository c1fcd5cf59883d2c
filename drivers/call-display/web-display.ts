/**
 * The hall display (综合屏) model: a full-screen page in the renderer draws it; this class keeps the state and pushes
 * snapshots to subscribers (the host forwards them over WebSocket/IPC). Transport-agnostic: plain listeners.
 *
 * Model: the current call, plus the last `historySize` calls newest first. A recall (same ticket at the same window
 * again) does not add a history row: it moves that row to the top, becomes current again and increments `recalls`,
 * so the page can flash it. A new subscriber gets the current snapshot at once (a reconnecting page is never blank).
 */
import { asDriverError, type DriverError } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { CallDisplayStatusTracker, type Call, type CallDisplay, type CallDisplayStatus } from './call-display.js';

export interface BoardCall extends Call {
  /** 0 for the first call, +1 per recall. */
  recalls: number;
}

export interface CallBoardSnapshot {
  /** Increases with every change; lets a client drop stale or duplicate pushes. */
  version: number;
  current: BoardCall | null;
  /** Newest first, at most `historySize`, includes the current call. */
  recent: BoardCall[];
}

export interface WebCallDisplayOptions {
  /** Rows kept for the "recent calls" list; 1..50, default 8. */
  historySize?: number;
  logger?: DriverLogger;
}

export class WebCallDisplay implements CallDisplay {
  readonly name = 'web';
  private readonly historySize: number;
  private readonly log: DriverLogger;
  private readonly tracker = new CallDisplayStatusTracker();
  private readonly subscribers = new Set<(s: CallBoardSnapshot) => void>();
  private snap: CallBoardSnapshot = { version: 0, current: null, recent: [] };

  constructor(options: WebCallDisplayOptions = {}) {
    this.historySize = Math.min(50, Math.max(1, options.historySize ?? 8));
    this.log = options.logger ?? silentLogger;
    this.tracker.ok();
  }

  get status(): CallDisplayStatus {
    return this.tracker.status;
  }

  get snapshot(): CallBoardSnapshot {
    return this.snap;
  }

  /** Pushes the current snapshot immediately, then every change. Returns the unsubscribe function. */
  subscribe(listener: (s: CallBoardSnapshot) => void): () => void {
    this.subscribers.add(listener);
    const error = this.deliver(listener, this.snap);
    if (error) this.tracker.fault(error);
    return () => void this.subscribers.delete(listener);
  }

  async show(call: Call): Promise<void> {
    const same = (c: BoardCall): boolean => c.ticket === call.ticket && c.window === call.window;
    const previous = this.snap.recent.find(same);
    const entry: BoardCall = { ...call, recalls: previous ? previous.recalls + 1 : 0 };
    const recent = [entry, ...this.snap.recent.filter((c) => !same(c))].slice(0, this.historySize);
    this.publish({ version: this.snap.version + 1, current: entry, recent });
  }

  /** Blanks the current call; the history stays (the page keeps listing recent calls). */
  async clear(): Promise<void> {
    this.publish({ version: this.snap.version + 1, current: null, recent: this.snap.recent });
  }

  /** Start of day: forget everything. */
  reset(): void {
    this.publish({ version: this.snap.version + 1, current: null, recent: [] });
  }

  private publish(s: CallBoardSnapshot): void {
    this.snap = s;
    let failed: DriverError | undefined;
    for (const l of [...this.subscribers]) failed = this.deliver(l, s) ?? failed;
    if (failed) this.tracker.fault(failed);
    else this.tracker.ok();
  }

  /** Status is `fault` while the latest push failed for at least one subscriber. */
  private deliver(listener: (s: CallBoardSnapshot) => void, s: CallBoardSnapshot): DriverError | undefined {
    try {
      listener(s);
      return undefined;
    } catch (e) {
      // One broken subscriber (a closed socket) must not stop the others; it is reported, not hidden.
      const error = asDriverError(e, 'TRANSPORT_WRITE_FAILED', 'call board subscriber failed');
      this.log.warn({ code: error.code, message: error.message }, 'call board subscriber failed');
      return error;
    }
  }
}
