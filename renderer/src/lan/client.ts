import type { ServiceOutcome } from '../../../kiosk-config/queue.js';
import type { CounterSignIn, CounterSnapshot, CounterState, DisplayFeed, HallInfo, QueueSnapshot, TicketView, VoiceCall } from './types.js';

/**
 * A small typed client for the hall LAN API (/api/v1) used by display.html and counter.html. Same origin (the pages
 * are served by the queue host). Every failure is a LanError with the host's code (AUTH_WRONG_PIN, QUEUE_INVALID_STATE,
 * …); no answer at all is QUEUE_HOST_UNREACHABLE, a reply that is not an envelope is BAD_REPLY.
 */
export class LanError extends Error {
  override readonly name = 'LanError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface LanClientOptions {
  /** Bearer token (display token, or a counter session token); none for sign-in. */
  token?: string;
  /** Default '' = the page's origin. */
  baseUrl?: string;
  /** Per request, ms; default 5000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; detail?: Record<string, unknown> } };

export class LanClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: LanClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((...a) => fetch(...a));
  }

  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl((this.options.baseUrl ?? '') + path, {
        method,
        headers: {
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      text = await res.text();
    } catch (e) {
      throw new LanError('QUEUE_HOST_UNREACHABLE', `queue host unreachable: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
    let envelope: Envelope<T>;
    try {
      envelope = JSON.parse(text) as Envelope<T>;
      if (typeof envelope !== 'object' || envelope === null || typeof envelope.ok !== 'boolean') throw new Error('not an envelope');
    } catch {
      throw new LanError('BAD_REPLY', `queue host answered ${res.status} without an API envelope`, res.status);
    }
    if (envelope.ok) return envelope.value;
    throw new LanError(envelope.error.code, envelope.error.message, res.status, envelope.error.detail);
  }

  hall(): Promise<HallInfo> {
    return this.request('GET', '/api/v1/hall');
  }

  display(): Promise<DisplayFeed> {
    return this.request('GET', '/api/v1/display');
  }

  snapshot(): Promise<QueueSnapshot> {
    return this.request('GET', '/api/v1/queue');
  }

  voice(call: { ticket: string; window: string }, lang: 'zh' | 'en'): Promise<VoiceCall> {
    const q = new URLSearchParams({ ticket: call.ticket, window: call.window, lang });
    return this.request('GET', `/api/v1/voice?${q.toString()}`);
  }

  counterWindows(): Promise<{ windows: string[] }> {
    return this.request('GET', '/api/v1/counter-sessions');
  }

  signIn(window: string, pin: string): Promise<CounterSignIn> {
    return this.request('POST', '/api/v1/counter-sessions', { window, pin });
  }

  signOut(): Promise<{ signedOut: boolean }> {
    return this.request('DELETE', '/api/v1/counter-sessions');
  }

  async callNext(window: string): Promise<TicketView | null> {
    return (await this.request<{ ticket: TicketView | null }>('POST', this.counter(window, 'call-next'), {})).ticket;
  }

  recall(window: string): Promise<TicketView> {
    return this.request('POST', this.counter(window, 'recall'), {});
  }

  noShow(window: string): Promise<TicketView> {
    return this.request('POST', this.counter(window, 'no-show'), {});
  }

  transfer(window: string, to: { toCategoryId?: string; toWindow?: string }): Promise<TicketView> {
    return this.request('POST', this.counter(window, 'transfer'), to);
  }

  start(window: string): Promise<TicketView> {
    return this.request('POST', this.counter(window, 'start'), {});
  }

  finish(window: string, outcome: ServiceOutcome): Promise<TicketView> {
    return this.request('POST', this.counter(window, 'finish'), { outcome });
  }

  setState(window: string, state: CounterState): Promise<CounterSnapshot> {
    return this.request('POST', this.counter(window, 'state'), { state });
  }

  private counter(window: string, action: string): string {
    return `/api/v1/counters/${encodeURIComponent(window)}/${action}`;
  }
}
