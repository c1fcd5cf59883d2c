import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ServiceOutcome } from '../../kiosk-config/queue.js';
import { HostError, HostErrorCodes, type HostErrorCode } from '../errors.js';
import type { DisplayFeed } from './api.js';
import type { CheckInInput, CheckInResult, CounterSnapshot, CounterState, IssuedTicket, QueueSnapshot, RatingView, TicketView } from './engine.js';
import type { QueueStats } from './stats.js';

/**
 * The queue for kiosks that are not the queue host: the same operations over the hall LAN (/api/v1).
 * Every failure to get an answer (refused, reset, time-out, a reply that is not our envelope) is
 * QUEUE_HOST_UNREACHABLE; a refusal by the host keeps the host's code (QUEUE_CLOSED, ...).
 *
 * A ticket is reported only when the host confirmed it. `issueTicket` sends an idempotency key (`requestId`) and
 * retries with the same key, so a reply lost on the way cannot turn into a second ticket, and a ticket the host
 * never confirmed is never printed.
 */
export interface RemoteQueueClientOptions {
  /** e.g. `http://10.0.0.5:8080` */
  baseUrl: string;
  token: string;
  /** Per request; default 3000 ms. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests after an unreachable host; default 1. */
  retries?: number;
  fetch?: typeof fetch;
}

export interface RemoteIssueInput {
  categoryId: string;
  idNumber?: string;
  birthDate?: string;
  priority?: { reason: 'elderly' | 'disability' | 'pregnancy' | 'military' };
  requestId?: string;
}

/** The minimum a confirmed ticket must carry before it may be printed. */
const ConfirmedTicket = z.looseObject({
  id: z.number().int().positive(),
  number: z.string().regex(/^[A-Z]\d{3}$/),
  token: z.string().min(20),
  qrPayload: z.string().startsWith('HKT:'),
  status: z.string(),
});

const Envelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.looseObject({ code: z.string(), message: z.string() }) }),
]);

export class RemoteQueueClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: RemoteQueueClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.retries = options.retries ?? 1;
    this.fetchImpl = options.fetch ?? fetch;
  }

  private async once<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${this.options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new HostError('QUEUE_HOST_UNREACHABLE', timedOut ? `queue host did not answer within ${this.timeoutMs} ms` : 'queue host unreachable', {
        cause: e,
        detail: { path },
      });
    }
    let envelope: z.infer<typeof Envelope>;
    try {
      envelope = Envelope.parse(JSON.parse(text));
    } catch (e) {
      throw new HostError('QUEUE_HOST_UNREACHABLE', `queue host answered ${res.status} without a queue envelope`, { cause: e, detail: { path } });
    }
    if (envelope.ok) return envelope.value as T;
    const code = envelope.error.code in HostErrorCodes ? (envelope.error.code as HostErrorCode) : 'INTERNAL';
    const fields = (envelope.error as { fields?: unknown }).fields;
    throw new HostError(code, envelope.error.message, { detail: { status: res.status, ...(fields ? { fields } : {}) } });
  }

  /** Retries only when the host could not be reached, and only for requests that are safe to repeat. */
  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, idempotent = method === 'GET'): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, body);
      } catch (e) {
        if (!(e instanceof HostError) || e.code !== 'QUEUE_HOST_UNREACHABLE' || !idempotent || attempt >= this.retries) throw e;
      }
    }
  }

  async issueTicket(input: RemoteIssueInput): Promise<IssuedTicket> {
    const body = { ...input, requestId: input.requestId ?? randomUUID() };
    const value = await this.request<unknown>('POST', '/api/v1/tickets', body, true);
    const checked = ConfirmedTicket.safeParse(value);
    if (!checked.success) throw new HostError('QUEUE_HOST_UNREACHABLE', 'queue host returned an unconfirmed ticket');
    return value as IssuedTicket;
  }

  getTicket(ref: { ticketId: number } | { token: string }): Promise<IssuedTicket> {
    return this.request('GET', `/api/v1/tickets/${encodeURIComponent('ticketId' in ref ? String(ref.ticketId) : ref.token.replace(/^HKT:/, ''))}`);
  }

  snapshot(): Promise<QueueSnapshot> {
    return this.request('GET', '/api/v1/queue');
  }

  display(): Promise<DisplayFeed> {
    return this.request('GET', '/api/v1/display');
  }

  async callNext(input: { window: string; categoryIds?: string[] }): Promise<TicketView | null> {
    const { window, ...body } = input;
    return (await this.request<{ ticket: TicketView | null }>('POST', this.counter(window, 'call-next'), body)).ticket;
  }

  callTicket(input: { window: string; ticketId: number }): Promise<TicketView> {
    const { window, ...body } = input;
    return this.request('POST', this.counter(window, 'call'), body);
  }

  recall(input: { window: string; ticketId?: number }): Promise<TicketView> {
    const { window, ...body } = input;
    return this.request('POST', this.counter(window, 'recall'), body);
  }

  noShow(input: { window: string; ticketId?: number }): Promise<TicketView> {
    const { window, ...body } = input;
    return this.request('POST', this.counter(window, 'no-show'), body);
  }

  transfer(input: { window: string; ticketId?: number; toCategoryId?: string; toWindow?: string; position?: 'keep' | 'end' }): Promise<TicketView> {
    const { window, ...body } = input;
    return this.request('POST', this.counter(window, 'transfer'), body);
  }

  startService(input: { window: string; ticketId?: number }): Promise<TicketView> {
    const { window, ...body } = input;
    return this.request('POST', this.counter(window, 'start'), body);
  }

  finishService(input: { window: string; ticketId?: number; outcome: ServiceOutcome }): Promise<TicketView> {
    const { window, ...body } = input;
    return this.request('POST', this.counter(window, 'finish'), body);
  }

  setCounterState(input: { window: string; state: CounterState; categoryIds?: string[] }): Promise<CounterSnapshot> {
    const { window, ...body } = input;
    return this.request('POST', this.counter(window, 'state'), body);
  }

  /** Check-in is idempotent on the host (a second check-in returns the same ticket), so it is retried. */
  checkIn(input: CheckInInput): Promise<CheckInResult> {
    return this.request('POST', '/api/v1/check-in', input, true);
  }

  rate(input: { ticketId?: number; ticketToken?: string; level: number; reason?: string }): Promise<RatingView> {
    return this.request('POST', '/api/v1/ratings', input);
  }

  stats(range: { from: Date; to: Date }): Promise<QueueStats> {
    const q = new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString() });
    return this.request('GET', `/api/v1/stats?${q.toString()}`);
  }

  private counter(window: string, action: string): string {
    return `/api/v1/counters/${encodeURIComponent(window)}/${action}`;
  }
}
