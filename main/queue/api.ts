import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { DriverLogger } from '../../drivers/log.js';
import { silentLogger } from '../../drivers/log.js';
import { SERVICE_OUTCOMES } from '../../kiosk-config/queue.js';
import { HostError, isHostError, type HostErrorCode } from '../errors.js';
import type { DisplayFeed, QueueEvent, TicketSource } from '../contract/queue-wire.js';
import type { QueueEngine } from './engine.js';
import { readJsonBody, refuseUpgrade } from '../core/http-guard.js';
import { redactPath } from '../core/redact.js';

export type { DisplayFeed } from '../contract/queue-wire.js';

/**
 * The hall's LAN API for the queue, versioned under /api/v1. Devices authenticate with a bearer token that carries
 * a role; responses are JSON envelopes `{ ok: true, value } | { ok: false, error: { code, message, fields? } }`.
 * Token values are never logged (only the device id, or `unknown`); request bodies are never logged (they may
 * carry an ID number).
 *
 * | method | path                                   | roles                     | body / query                                   |
 * |--------|----------------------------------------|---------------------------|------------------------------------------------|
 * | POST   | /api/v1/tickets                        | kiosk, counter, manager   | { categoryId, idNumber?, birthDate?, priority?, requestId? } |
 * | GET    | /api/v1/tickets/:idOrToken             | kiosk, counter, manager   | —                                              |
 * | GET    | /api/v1/queue                          | all                       | — (snapshot)                                   |
 * | GET    | /api/v1/display                        | all                       | — (display feed)                               |
 * | POST   | /api/v1/counters/:window/call-next     | counter, manager          | { categoryIds? }                               |
 * | POST   | /api/v1/counters/:window/call          | counter, manager          | { ticketId }                                   |
 * | POST   | /api/v1/counters/:window/recall        | counter, manager          | { ticketId? }                                  |
 * | POST   | /api/v1/counters/:window/no-show       | counter, manager          | { ticketId? }                                  |
 * | POST   | /api/v1/counters/:window/transfer      | counter, manager          | { ticketId?, toCategoryId?, toWindow?, position? } |
 * | POST   | /api/v1/counters/:window/start         | counter, manager          | { ticketId? }                                  |
 * | POST   | /api/v1/counters/:window/finish        | counter, manager          | { ticketId?, outcome }                         |
 * | POST   | /api/v1/counters/:window/state         | counter, manager          | { state, categoryIds? }                        |
 * | POST   | /api/v1/check-in                       | kiosk, counter            | { code } or { idNumber }                       |
 * | POST   | /api/v1/ratings                        | kiosk, counter            | { ticketToken or ticketId, level, reason? }    |
 * | GET    | /api/v1/stats?from=ISO&to=ISO          | manager                   | —                                              |
 * | WS     | /api/v1/stream?token=… (or Authorization) | all                    | pushes `hello`, `ticket-called`, `queue-changed` |
 *
 * Status codes: 200 ok, 400 BAD_REQUEST (field messages), 401 missing/unknown token, 403 role or window not allowed,
 * 404 unknown ticket/category/window/route, 409 state conflicts, 422 refused by a queue rule, 5xx host faults.
 */

export type ApiRole = 'kiosk' | 'counter' | 'display' | 'manager';

export interface ApiToken {
  token: string;
  role: ApiRole;
  deviceId: string;
  /** Optional (added): the windows a counter token may operate; absent = any window. */
  windows?: string[];
}

export interface QueueApiOptions {
  engine: QueueEngine;
  tokens: ApiToken[];
  logger?: DriverLogger;
  /** Largest accepted request body in bytes; default 16 KiB. */
  maxBodyBytes?: number;
}

export interface QueueApi {
  /** Handles /api/v1/* (returns true) and leaves any other URL to the caller (returns false). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /**
   * Serves the WebSocket stream on `server`'s upgrade event for /api/v1/stream and refuses (404, socket closed)
   * every other upgrade. A server with more upgrade routes calls `handleUpgrade` from its own single listener.
   */
  attachWebSocket(server: http.Server): void;
  /** Takes an upgrade for /api/v1/stream (answers it, true); false for any other path (the caller answers). */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /**
   * A live configuration change: requests and stream pushes go to `engine` from now on, with `tokens`. Open
   * stream connections stay open and get a fresh `hello`; those whose token is no longer valid are closed (1008).
   */
  rebind(engine: QueueEngine, tokens: ApiToken[]): void;
  /** Stops pushing and closes the stream's sockets. */
  close(): void;
}


// ---------------------------------------------------------------- request schemas (shared with the client)

const windowNo = z.string().regex(/^[0-9A-Za-z-]{1,8}$/, 'must be 1-8 letters, digits or dashes');
const ticketId = z.number().int().positive();
const categoryId = z.string().min(1).max(41);

export const IssueTicketBody = z.strictObject({
  categoryId,
  idNumber: z.string().regex(/^[0-9A-Za-z]{6,32}$/, 'must be 6-32 letters or digits').optional(),
  birthDate: z.iso.date().optional(),
  priority: z.strictObject({ reason: z.enum(['elderly', 'disability', 'pregnancy', 'military']) }).optional(),
  requestId: z.string().regex(/^[0-9A-Za-z_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -').optional(),
});
export const CallNextBody = z.strictObject({ categoryIds: z.array(categoryId).min(1).optional() });
export const CallTicketBody = z.strictObject({ ticketId });
export const TicketRefBody = z.strictObject({ ticketId: ticketId.optional() });
export const TransferBody = z.strictObject({
  ticketId: ticketId.optional(),
  toCategoryId: categoryId.optional(),
  toWindow: windowNo.optional(),
  position: z.enum(['keep', 'end']).optional(),
});
export const FinishBody = z.strictObject({ ticketId: ticketId.optional(), outcome: z.enum(SERVICE_OUTCOMES) });
export const CounterStateBody = z.strictObject({ state: z.enum(['open', 'paused', 'closed']), categoryIds: z.array(categoryId).optional() });
export const CheckInBody = z.union([
  z.strictObject({ code: z.string().min(4).max(64) }),
  z.strictObject({ idNumber: z.string().regex(/^[0-9A-Za-z]{6,32}$/, 'must be 6-32 letters or digits') }),
]);
export const RateBody = z
  .strictObject({
    ticketId: ticketId.optional(),
    ticketToken: z.string().min(20).max(80).optional(),
    level: z.number().int().min(1).max(5),
    reason: z.string().max(500).optional(),
  })
  .refine((b) => (b.ticketId === undefined) !== (b.ticketToken === undefined), { message: 'give exactly one of ticketId, ticketToken', path: ['ticketId'] });
export const StatsQuery = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

const COUNTER_ACTIONS = ['call-next', 'call', 'recall', 'no-show', 'transfer', 'start', 'finish', 'state'] as const;
type CounterAction = (typeof COUNTER_ACTIONS)[number];

/** HTTP status per error code. Exhaustive by type: a new code in main/errors.ts fails the build here until it has a status. */
const STATUS: Record<HostErrorCode, number> = {
  CONFIG_INVALID: 500,
  CONFIG_NOT_FOUND: 500,
  CONFIG_UNREADABLE: 500,
  CONFIG_VERSION_UNKNOWN: 500,
  CATALOG_INVALID: 400,
  CATALOG_UNREADABLE: 400,
  CATALOG_ITEM_UNKNOWN: 404,
  CATALOG_FORM_UNKNOWN: 404,
  CATALOG_FONT_MISSING: 503,
  CATALOG_RENDER_FAILED: 500,
  STORAGE_OPEN_FAILED: 503,
  STORAGE_MIGRATION_FAILED: 503,
  STORAGE_TOO_NEW: 503,
  STORAGE_WRITE_FAILED: 503,
  QUEUE_CATEGORY_UNKNOWN: 404,
  QUEUE_CLOSED: 422,
  QUEUE_QUOTA_REACHED: 422,
  QUEUE_PERSON_LIMIT: 422,
  QUEUE_ID_REQUIRED: 422,
  QUEUE_TICKET_UNKNOWN: 404,
  QUEUE_INVALID_STATE: 409,
  QUEUE_HOST_UNREACHABLE: 502,
  QUEUE_APPOINTMENT_UNKNOWN: 404,
  QUEUE_APPOINTMENT_TOO_EARLY: 422,
  QUEUE_APPOINTMENT_TOO_LATE: 422,
  QUEUE_ALREADY_RATED: 409,
  QUEUE_REASON_REQUIRED: 422,
  QUEUE_COUNTER_UNKNOWN: 404,
  QUEUE_PRINTER_DOWN: 503,
  AUTH_REQUIRED: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_WRONG_PIN: 401,
  AUTH_LOCKED: 403,
  AUTH_NOT_CONFIGURED: 503,
  AUTH_PIN_WEAK: 400,
  BAD_REQUEST: 400,
  UNKNOWN_REQUEST: 404,
  NOT_AVAILABLE: 503,
  INTERNAL: 500,
};

class FieldError extends HostError {
  constructor(readonly fields: { path: string; message: string }[]) {
    super('BAD_REQUEST', fields.map((f) => `${f.path || '(body)'}: ${f.message}`).join('; '));
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new FieldError(r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** One path segment, percent-decoded; malformed encoding (`%`, `%ZZ`, a cut UTF-8 sequence) is the client's error. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch (e) {
    if (e instanceof URIError) throw new HostError('BAD_REQUEST', 'the path has malformed percent-encoding');
    throw e;
  }
}

export function createQueueApi(options: QueueApiOptions): QueueApi {
  let engine = options.engine;
  const logger = options.logger ?? silentLogger;
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  let tokens = options.tokens.map((t) => ({ ...t, digest: digest(t.token) }));
  /** Open stream sockets with the digest of the token they presented (checked again on `rebind`). */
  const sockets = new Map<WebSocket, Buffer>();
  let wss: WebSocketServer | undefined;
  let unsubscribe: (() => void) | undefined;

  /** Constant-time comparison over all tokens, so timing does not reveal a prefix. */
  function authenticate(presented: string | undefined): ApiToken | undefined {
    if (!presented) return undefined;
    return authenticateDigest(digest(presented));
  }

  function authenticateDigest(d: Buffer): ApiToken | undefined {
    let found: ApiToken | undefined;
    for (const t of tokens) if (timingSafeEqual(d, t.digest)) found = t;
    return found;
  }

  function bearer(req: http.IncomingMessage): string | undefined {
    const h = req.headers.authorization;
    const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
    return m?.[1];
  }

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function fail(res: http.ServerResponse, e: unknown, ctx: { method: string; path: string; device: string }): void {
    if (isHostError(e)) {
      const status = STATUS[e.code];
      const error: { code: string; message: string; fields?: { path: string; message: string }[]; detail?: unknown } = { code: e.code, message: e.message };
      if (e instanceof FieldError) error.fields = e.fields;
      if (e.detail) error.detail = e.detail;
      (status >= 500 ? logger.error : logger.info)({ ...ctx, code: e.code, status }, 'queue api request refused');
      send(res, status, { ok: false, error });
      return;
    }
    logger.error({ ...ctx, err: e }, 'queue api request failed');
    send(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
  }

  const readJson = (req: http.IncomingMessage) => readJsonBody(req, maxBody, { empty: {} });

  function allow(who: ApiToken, roles: readonly ApiRole[], window?: string): void {
    if (!roles.includes(who.role)) throw new HostError('AUTH_FORBIDDEN', `role ${who.role} may not do this`);
    if (window !== undefined && who.role === 'counter' && who.windows && !who.windows.includes(window)) {
      throw new HostError('AUTH_FORBIDDEN', `device ${who.deviceId} may not operate window ${window}`);
    }
  }

  function displayFeed(): DisplayFeed {
    const s = engine.snapshot();
    return {
      at: s.at,
      calls: s.recentCalls,
      counters: s.counters.map((c) => ({ window: c.window, number: c.current?.number ?? null, status: c.current?.status ?? null })),
      waiting: s.categories.map((c) => ({ categoryId: c.id, prefix: c.prefix, waiting: c.waiting })),
    };
  }

  const sourceOf = (role: ApiRole): TicketSource => (role === 'kiosk' ? 'kiosk' : role === 'counter' ? 'counter' : 'api');

  async function route(req: http.IncomingMessage, url: URL, who: ApiToken): Promise<unknown> {
    const method = req.method ?? 'GET';
    const parts = url.pathname.slice('/api/v1/'.length).split('/').map(decodePart);
    const [head, a, b] = parts;
    const all: ApiRole[] = ['kiosk', 'counter', 'display', 'manager'];
    if (method === 'GET' && head === 'queue' && parts.length === 1) {
      allow(who, all);
      return engine.snapshot();
    }
    if (method === 'GET' && head === 'display' && parts.length === 1) {
      allow(who, all);
      return displayFeed();
    }
    if (head === 'tickets' && parts.length === 1 && method === 'POST') {
      allow(who, ['kiosk', 'counter', 'manager']);
      const body = parse(IssueTicketBody, await readJson(req));
      return engine.issueTicket({ ...body, source: sourceOf(who.role), deviceId: who.deviceId });
    }
    if (head === 'tickets' && parts.length === 2 && method === 'GET') {
      allow(who, ['kiosk', 'counter', 'manager']);
      return /^\d+$/.test(a!) ? engine.getTicket({ ticketId: Number(a) }) : engine.getTicket({ token: a! });
    }
    if (head === 'counters' && parts.length === 3 && method === 'POST') {
      const window = parse(windowNo, a);
      allow(who, ['counter', 'manager'], window);
      const action = b as CounterAction;
      if (!COUNTER_ACTIONS.includes(action)) throw new HostError('UNKNOWN_REQUEST', `no counter action ${b}`);
      const json = await readJson(req);
      switch (action) {
        case 'call-next':
          return { ticket: engine.callNext({ window, ...parse(CallNextBody, json) }) };
        case 'call':
          return engine.callTicket({ window, ...parse(CallTicketBody, json) });
        case 'recall':
          return engine.recall({ window, ...parse(TicketRefBody, json) });
        case 'no-show':
          return engine.noShow({ window, ...parse(TicketRefBody, json) });
        case 'transfer':
          return engine.transfer({ window, ...parse(TransferBody, json) });
        case 'start':
          return engine.startService({ window, ...parse(TicketRefBody, json) });
        case 'finish':
          return engine.finishService({ window, ...parse(FinishBody, json) });
        case 'state':
          return engine.setCounterState({ window, ...parse(CounterStateBody, json) });
        default: {
          const never: never = action;
          throw new HostError('UNKNOWN_REQUEST', `no counter action ${String(never)}`);
        }
      }
    }
    if (head === 'check-in' && parts.length === 1 && method === 'POST') {
      allow(who, ['kiosk', 'counter']);
      return engine.checkIn(parse(CheckInBody, await readJson(req)));
    }
    if (head === 'ratings' && parts.length === 1 && method === 'POST') {
      allow(who, ['kiosk', 'counter']);
      return engine.rate(parse(RateBody, await readJson(req)));
    }
    if (head === 'stats' && parts.length === 1 && method === 'GET') {
      allow(who, ['manager']);
      const q = parse(StatsQuery, Object.fromEntries(url.searchParams));
      return engine.stats({ from: new Date(q.from), to: new Date(q.to) });
    }
    throw new HostError('UNKNOWN_REQUEST', `no route ${method} ${url.pathname}`);
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://queue.local');
    if (!url.pathname.startsWith('/api/v1/')) return false;
    const ctx = { method: req.method ?? 'GET', path: redactPath(url.pathname), device: 'unknown', remote: req.socket.remoteAddress ?? '' };
    const who = authenticate(bearer(req));
    if (!who) {
      logger.warn({ ...ctx, reason: req.headers.authorization ? 'unknown token' : 'no token' }, 'queue api: not authenticated');
      send(res, 401, { ok: false, error: { code: 'AUTH_REQUIRED', message: 'a valid bearer token is required' } });
      req.resume();
      return true;
    }
    ctx.device = who.deviceId;
    route(req, url, who)
      .then((value) => send(res, 200, { ok: true, value }))
      .catch((e: unknown) => {
        if (isHostError(e, 'AUTH_FORBIDDEN')) logger.warn({ ...ctx, role: who.role }, 'queue api: forbidden');
        req.resume();
        fail(res, e, ctx);
      });
    return true;
  }

  function broadcast(e: QueueEvent): void {
    const text = JSON.stringify(e);
    for (const s of sockets.keys()) if (s.readyState === s.OPEN) s.send(text);
  }

  const hello = (who: ApiToken) => JSON.stringify({ type: 'hello', device: who.deviceId, role: who.role, snapshot: engine.snapshot() });

  function handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://queue.local');
    } catch (e) {
      if (e instanceof TypeError) return false;
      throw e;
    }
    if (url.pathname !== '/api/v1/stream') return false;
    if (closed) {
      refuseUpgrade(socket, 503);
      return true;
    }
    const presented = bearer(req) ?? url.searchParams.get('token') ?? undefined;
    const who = authenticate(presented);
    if (!who || !presented) {
      logger.warn({ path: url.pathname, remote: req.socket.remoteAddress ?? '', reason: 'no or unknown token' }, 'queue stream: not authenticated');
      refuseUpgrade(socket, 401);
      return true;
    }
    if (!wss) {
      wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
      unsubscribe = engine.on(broadcast);
    }
    wss.handleUpgrade(req, socket, head, (client) => {
      sockets.set(client, digest(presented));
      client.on('close', () => sockets.delete(client));
      client.on('error', (err) => logger.warn({ err, device: who.deviceId }, 'queue stream socket error'));
      client.send(hello(who));
    });
    return true;
  }

  function attachWebSocket(server: http.Server): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!handleUpgrade(req, socket, head)) refuseUpgrade(socket, 404);
    });
  }

  function rebind(next: QueueEngine, nextTokens: ApiToken[]): void {
    tokens = nextTokens.map((t) => ({ ...t, digest: digest(t.token) }));
    if (next !== engine) {
      engine = next;
      if (unsubscribe) {
        unsubscribe();
        unsubscribe = engine.on(broadcast);
      }
    }
    for (const [client, d] of sockets) {
      const who = authenticateDigest(d);
      if (!who) {
        client.close(1008, 'token no longer valid');
        sockets.delete(client);
      } else if (client.readyState === client.OPEN) client.send(hello(who));
    }
  }

  let closed = false;
  function close(): void {
    closed = true;
    unsubscribe?.();
    unsubscribe = undefined;
    for (const s of sockets.keys()) s.terminate();
    sockets.clear();
    wss?.close();
    wss = undefined;
  }

  return { handle, attachWebSocket, handleUpgrade, rebind, close };
}

export interface QueueHost {
  url: string;
  port: number;
  server: http.Server;
  api: QueueApi;
  close(): Promise<void>;
}

/** A standalone HTTP server with only the queue API (tests, bench, a dedicated queue box). */
export async function startQueueHost(options: QueueApiOptions & { port?: number; host?: string }): Promise<QueueHost> {
  const api = createQueueApi(options);
  const server = http.createServer((req, res) => {
    if (!api.handle(req, res)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: { code: 'UNKNOWN_REQUEST', message: 'not found' } }));
    }
  });
  server.keepAliveTimeout = 5000;
  api.attachWebSocket(server);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    api,
    close: () =>
      new Promise<void>((resolve, reject) => {
        api.close();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
