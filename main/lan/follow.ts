import type http from 'node:http';
import { z } from 'zod';
import type { DriverLogger } from '../../drivers/log.js';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { FollowView } from '../contract/queue-wire.js';
import { readJsonBody } from '../core/http-guard.js';
import { redactPath } from '../core/redact.js';
import { HostError, isHostError } from '../errors.js';
import type { QueueEngine } from '../queue/engine.js';
import { HallTime } from '../queue/hall-time.js';
import { serveStatic } from '../browser-host/static.js';

/**
 * The ticket follow page for a citizen's phone (issue #10), on the queue host's LAN port, with the ticket's QR token
 * as the only credential (128 random bits, see main/queue/engine.ts):
 *
 * | GET  /t/<token>                     | the page (dist/renderer/follow.html); its assets under /t/assets/ |
 * | GET  /api/v1/follow/<token>         | FollowView: number, category, position, estimated wait, window, rating state |
 * | POST /api/v1/follow/<token>/rating  | { level 1..5, reason? } → the queue engine's 好差评 (`rate` with ticketToken) |
 *
 * Nothing here shows or accepts an identity. Unknown or purged tokens are 404, the same answer as a malformed one,
 * so the answer tells nothing about which tokens exist. Tokens never reach a log line whole (main/core/redact.ts).
 * Behind a reverse proxy (`network.publicBaseUrl`, e.g. https://hall.example.gov.cn/q) the page's relative URLs
 * (`./assets/…`, `../api/v1/follow/…`) keep working under the proxy's prefix.
 */

export const FOLLOW_TOKEN = /^[0-9A-Za-z_-]{6,64}$/;

export const FollowRatingBody = z.strictObject({
  level: z.number().int().min(1).max(5),
  reason: z.string().max(500).optional(),
});

export interface FollowRoutesOptions {
  engine: () => QueueEngine;
  config: () => KioskConfig;
  /** The level a ticket was rated with, or null. */
  ratedLevel: (ticketId: number) => number | null;
  rendererDir: string;
  logger: DriverLogger;
  now?: () => Date;
}

export function followView(options: Omit<FollowRoutesOptions, 'rendererDir' | 'logger'>, token: string): FollowView {
  const engine = options.engine();
  const config = options.config();
  const t = engine.getTicket({ token });
  const category = config.queue.categories.find((c) => c.id === t.categoryId);
  const today = new HallTime(config.hall.utcOffset).day(options.now?.() ?? new Date());
  const rated = options.ratedLevel(t.id);
  const expired = t.day !== today && (t.status === 'waiting' || t.status === 'called');
  return {
    number: t.number,
    categoryName: category?.name ?? { 'zh-CN': t.categoryId },
    status: expired ? 'expired' : t.status,
    peopleAhead: expired ? 0 : t.peopleAhead,
    estimatedWaitMinutes: expired ? 0 : t.estimatedWaitMinutes,
    window: t.window,
    windows: t.targetWindow ? [t.targetWindow] : [...(category?.windows ?? [])],
    issuedAt: t.issuedAt,
    day: t.day,
    hallName: config.hall.name,
    canRate: rated === null && (t.status === 'serving' || t.status === 'done'),
    ratedLevel: rated,
  };
}

const STATUS_OF: Record<string, number> = {
  BAD_REQUEST: 400,
  QUEUE_TICKET_UNKNOWN: 404,
  QUEUE_INVALID_STATE: 409,
  QUEUE_ALREADY_RATED: 409,
  QUEUE_REASON_REQUIRED: 422,
};

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/**
 * Handles the follow page and its API; false for any other path. `path` is the request's decoded, checked path
 * (main/core/http-guard.ts); `rawPath` the same undecoded.
 */
export function handleFollow(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  rawPath: string,
  options: FollowRoutesOptions,
  headers: Record<string, string>,
): boolean {
  const method = req.method ?? 'GET';
  if (path.startsWith('/t/')) {
    if (method !== 'GET' && method !== 'HEAD') return false;
    const rest = path.slice('/t/'.length);
    if (rest.startsWith('assets/')) return serveStatic(options.rendererDir, rawPath.slice('/t'.length), res, headers);
    if (!FOLLOW_TOKEN.test(rest)) return false;
    // The token is in this page's URL: no referrer ever leaves it, and no cache keeps the page.
    return serveStatic(options.rendererDir, '/follow.html', res, { ...headers, 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
  }
  const m = /^\/api\/v1\/follow\/([^/]+)(\/rating)?$/.exec(path);
  if (!m) return false;
  const token = m[1]!;
  const rating = m[2] !== undefined;
  const ctx = { method, path: redactPath(path), remote: req.socket.remoteAddress ?? '' };
  const fail = (e: unknown) => {
    req.resume();
    if (isHostError(e) && STATUS_OF[e.code] !== undefined) {
      const status = STATUS_OF[e.code]!;
      options.logger.info({ ...ctx, code: e.code, status }, 'follow page request refused');
      // An unknown token answers like a malformed one: no oracle for which tokens exist.
      const message = e.code === 'QUEUE_TICKET_UNKNOWN' ? 'no such ticket' : e.message;
      sendJson(res, status, { ok: false, error: { code: e.code, message } });
      return;
    }
    options.logger.error({ ...ctx, err: e }, 'follow page request failed');
    sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
  };
  if (!FOLLOW_TOKEN.test(token)) {
    fail(new HostError('QUEUE_TICKET_UNKNOWN', 'malformed token'));
    return true;
  }
  if (!rating && method === 'GET') {
    try {
      sendJson(res, 200, { ok: true, value: followView(options, token) });
    } catch (e) {
      fail(e);
    }
    return true;
  }
  if (rating && method === 'POST') {
    readJsonBody(req, 2048)
      .then((json) => {
        const r = FollowRatingBody.safeParse(json);
        if (!r.success) throw new HostError('BAD_REQUEST', r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
        const reason = r.data.reason?.trim();
        const rated = options.engine().rate({ ticketToken: token, level: r.data.level, ...(reason ? { reason } : {}) });
        options.logger.info({ ...ctx, level: rated.level, followUp: rated.followUp }, 'rating from the follow page');
        sendJson(res, 200, { ok: true, value: { level: rated.level, followUp: rated.followUp } });
      })
      .catch(fail);
    return true;
  }
  sendJson(res, 405, { ok: false, error: { code: 'UNKNOWN_REQUEST', message: `no route ${method} for the follow page` } });
  req.resume();
  return true;
}
