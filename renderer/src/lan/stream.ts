import type { StreamMessage } from './types.js';

/**
 * The queue stream (WS /api/v1/stream?token=…) with automatic reconnection. States: `connecting` (first attempt or
 * a retry in progress), `open` (hello received), `lost` (closed; a retry is scheduled). Retries back off 0.5, 1, 2,
 * 4 s, then every 5 s, for ever: a hall screen must come back by itself. A 401/403 at the upgrade shows up as a
 * close before `open` and is retried like any other loss (the page shows the state; the token may be fixed).
 */
export type StreamState = 'connecting' | 'open' | 'lost';

export interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface QueueStreamOptions {
  url: string;
  onMessage(m: StreamMessage): void;
  onState(s: StreamState, detail: { attempt: number; retryInMs?: number }): void;
  /** Reports a message that is not JSON or not a known type; the stream goes on. */
  onBadMessage?(reason: string): void;
  createSocket?: (url: string) => WebSocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export function backoffMs(attempt: number): number {
  return attempt <= 0 ? 0 : Math.min(5000, 500 * 2 ** (attempt - 1));
}

export class QueueStream {
  private socket: WebSocketLike | undefined;
  private timer: unknown;
  private attempt = 0;
  private stopped = false;
  private readonly createSocket: (url: string) => WebSocketLike;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly options: QueueStreamOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer(this.timer);
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.onclose = null;
      s.close();
    }
  }

  private connect(): void {
    this.options.onState('connecting', { attempt: this.attempt });
    const socket = this.createSocket(this.options.url);
    this.socket = socket;
    socket.onmessage = (ev) => {
      let m: StreamMessage;
      try {
        m = JSON.parse(String(ev.data)) as StreamMessage;
      } catch {
        this.options.onBadMessage?.('stream message is not JSON');
        return;
      }
      if (m.type === 'hello') {
        this.attempt = 0;
        this.options.onState('open', { attempt: 0 });
      }
      if (m.type !== 'hello' && m.type !== 'ticket-called' && m.type !== 'queue-changed') {
        this.options.onBadMessage?.(`unknown stream message type ${String((m as { type?: unknown }).type)}`);
        return;
      }
      this.options.onMessage(m);
    };
    socket.onerror = () => {
      // the close event follows; the retry is scheduled there
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = undefined;
      this.attempt += 1;
      const retryInMs = backoffMs(this.attempt);
      this.options.onState('lost', { attempt: this.attempt, retryInMs });
      this.timer = this.setTimer(() => this.connect(), retryInMs);
    };
  }
}

/** ws://host/api/v1/stream?token=… for the page's own origin. */
export function streamUrl(token: string, location: { protocol: string; host: string } = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream?token=${encodeURIComponent(token)}`;
}
