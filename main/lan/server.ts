import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BridgeClientMessage, BridgeServerMessage } from '../contract/index.js';
import { ConnectionTracker, normaliseRequestPath, refuseUpgrade } from '../core/http-guard.js';
import { redactPath } from '../core/redact.js';
import { contentSecurityPolicy, serveStatic } from '../browser-host/static.js';
import type { KioskServices } from '../app/kiosk-services.js';
import type { Logger } from '../core/logger.js';
import { createQueueApi, type QueueApi } from '../queue/api.js';
// [lan-pages] counter sessions and the display's hall/voice routes
import { CounterSessions, createCounterSessionGate, matchApiToken, presentedToken } from './counter-sessions.js';
import { isLanRoute, lanRoute } from './lan-routes.js';
import { handleFollow, type FollowRoutesOptions } from './follow.js';

export interface LanServerOptions {
  services: KioskServices;
  rendererDir: string;
  /** Port on the hall network; bound to `host` (default 0.0.0.0: every interface). */
  port: number;
  host?: string;
  logger: Logger;
  /** [lan-pages] Voice clips `<lang>/<id>.wav` served at /voice/; default `<rendererDir>/../voice` (dist/voice). */
  voiceDir?: string;
}

export interface LanServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Pages a LAN browser may load. The kiosk page itself is not among them: it is served only on 127.0.0.1. */
const LAN_PAGES = new Set(['/display.html', '/counter.html', '/staff.html', '/favicon.svg']);

/**
 * The hall's LAN face of the queue host: the versioned queue API (/api/v1, bearer tokens with roles), the hall
 * display, counter caller and staff console pages, and the staff bridge (/staff/bridge) where only sign-in and
 * staff requests are accepted, bound to the signed-in role of that connection.
 */
export async function startLanServer(options: LanServerOptions): Promise<LanServer> {
  const { services, logger } = options;
  // [lan-pages] Counter sessions (counter.html sign-in) become internal per-window counter tokens of the queue API.
  const counterLog = logger.child('counter-sessions');
  const sessions = new CounterSessions({ counters: () => services.currentConfig.network.counters, logger: counterLog });
  const gate = createCounterSessionGate(sessions, counterLog);
  const apiTokens = () => [...services.currentConfig.network.apiTokens, ...gate.apiTokens()];
  const voiceDir = options.voiceDir ?? path.join(options.rendererDir, '..', 'voice');
  // [/lan-pages]
  // One API for the server's life: a config save rebinds it to the new queue engine and tokens, so open streams
  // (hall display, counters) keep working. (Replacing it left the old stream listener answering 503 for good.)
  const api: QueueApi = createQueueApi({ engine: services.queue, tokens: apiTokens(), logger: logger.child('api') });
  const offQueueReplaced = services.onQueueReplaced(() => api.rebind(services.queue, apiTokens()));
  // The ticket follow page (/t/<token>) and its API: the ticket's token is the credential (main/lan/follow.ts).
  const follow: FollowRoutesOptions = {
    engine: () => services.queue,
    config: () => services.currentConfig,
    ratedLevel: (ticketId) => (services.db.prepare('SELECT level FROM queue_ratings WHERE ticket_id = ?').get(ticketId) as { level: number } | undefined)?.level ?? null,
    rendererDir: options.rendererDir,
    logger: logger.child('follow'),
    now: services.now,
  };

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    // One checked, decoded path before any route or allow-list: `/assets/..%2findex.html` and friends are 400.
    const checked = normaliseRequestPath(req.url);
    if (!checked.ok) {
      logger.info({ method: req.method, reason: checked.reason }, 'lan: bad request path refused');
      const text = JSON.stringify({ ok: false, error: { code: 'BAD_REQUEST', message: checked.reason } });
      res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
      req.resume();
      return;
    }
    const url = checked.path;
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy(''),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    };
    if (handleFollow(req, res, url, checked.raw, follow, headers)) return;
    // [lan-pages] sign-in, hall/voice routes, then session tokens mapped for the queue API
    if (gate.handle(req, res)) return;
    if (isLanRoute(req)) {
      const who = matchApiToken(presentedToken(req), services.currentConfig.network.apiTokens) ?? gate.sessionOf(req);
      const r = who
        ? lanRoute(req, { config: () => services.currentConfig, voiceDir })!
        : { status: 401, body: { ok: false, error: { code: 'AUTH_REQUIRED', message: 'a valid bearer token is required' } } };
      const text = JSON.stringify(r.body);
      res.writeHead(r.status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
      return;
    }
    gate.translate(req);
    // [/lan-pages]
    if (api.handle(req, res)) return;
    if (url === '/healthz') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(services.health()));
      return;
    }
    // serveStatic decodes by itself: it gets the raw path, which `checked` proved free of dot segments and encoded
    // separators, so it names the same file as the decoded `url` the allow-list saw.
    if (req.method === 'GET' && (LAN_PAGES.has(url) || url.startsWith('/assets/'))) {
      if (serveStatic(options.rendererDir, checked.raw, res, headers)) return;
    }
    // [lan-pages] voice clips are built into dist/voice, beside (not inside) dist/renderer
    if (req.method === 'GET' && url.startsWith('/voice/')) {
      if (serveStatic(voiceDir, checked.raw.slice('/voice'.length), res, headers)) return;
    }
    if (req.method === 'GET' && url === '/') {
      res.writeHead(302, { ...headers, Location: '/display.html' }).end();
      return;
    }
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
  });
  const tracker = new ConnectionTracker(server);
  const staffWss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  // The only upgrade listener: every upgrade is taken by a route or answered with an HTTP status and closed, so
  // none holds its socket (an unanswered one kept `close()` from ever completing).
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    socket.on('error', (err) => logger.debug({ err }, 'lan: upgrade socket error'));
    const checked = normaliseRequestPath(req.url);
    if (!checked.ok) {
      refuseUpgrade(socket, 400);
      return;
    }
    // [lan-pages] a counter session on /api/v1/stream?token= becomes the window's internal token first
    gate.translate(req);
    if (api.handleUpgrade(req, socket, head)) return;
    if (checked.path !== '/staff/bridge') {
      logger.info({ path: redactPath(checked.path).slice(0, 80) }, 'lan: upgrade to an unknown path refused');
      refuseUpgrade(socket, 404);
      return;
    }
    const host = req.headers.host ?? '';
    const origin = req.headers.origin ?? '';
    if (origin !== `http://${host}` && origin !== `https://${host}`) {
      logger.warn({ origin: origin.slice(0, 80) }, 'staff bridge: foreign origin refused');
      refuseUpgrade(socket, 403);
      return;
    }
    staffWss.handleUpgrade(req, socket, head, (ws) => onStaffConnection(ws));
  });

  let n = 0;
  function onStaffConnection(ws: WebSocket): void {
    const connectionId = `lan-${++n}`;
    const send = (m: BridgeServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
    ws.on('message', (data) => {
      let msg: BridgeClientMessage;
      try {
        msg = JSON.parse(String(data)) as BridgeClientMessage;
      } catch {
        logger.warn({ connectionId }, 'staff bridge: message is not JSON; ignored');
        return;
      }
      if (msg?.t !== 'req' || typeof msg.id !== 'number') return;
      void services.callStaff(msg.name, msg.input, { via: 'browser', connectionId }).then((result) => send({ t: 'res', id: msg.id, result }));
    });
    ws.on('close', () => services.connectionClosed(connectionId));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    port,
    close: async () => {
      offQueueReplaced();
      api.close();
      for (const ws of staffWss.clients) ws.terminate();
      staffWss.close();
      await tracker.close();
    },
  };
}
