import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BridgeClientMessage, BridgeServerMessage } from '../contract/index.js';
import { contentSecurityPolicy, serveStatic } from '../browser-host/static.js';
import type { KioskServices } from '../core/kiosk-services.js';
import type { Logger } from '../core/logger.js';
import { createQueueApi, type QueueApi } from '../queue/api.js';
// [lan-pages] counter sessions and the display's hall/voice routes
import { CounterSessions, createCounterSessionGate, matchApiToken, presentedToken } from './counter-sessions.js';
import { isLanRoute, lanRoute } from './lan-routes.js';

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
const LAN_PAGES = new Set(['/display.html', '/counter.html', '/staff.html']);

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
  let api: QueueApi = createQueueApi({ engine: services.queue, tokens: apiTokens(), logger: logger.child('api') });
  services.onQueueReplaced(() => {
    api.close();
    api = createQueueApi({ engine: services.queue, tokens: apiTokens(), logger: logger.child('api') });
    api.attachWebSocket(server);
  });

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = (req.url ?? '/').split('?')[0]!;
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy(''),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    };
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
    if (req.method === 'GET' && (LAN_PAGES.has(url) || url.startsWith('/assets/'))) {
      if (serveStatic(options.rendererDir, url, res, headers)) return;
    }
    // [lan-pages] voice clips are built into dist/voice, beside (not inside) dist/renderer
    if (req.method === 'GET' && url.startsWith('/voice/')) {
      if (serveStatic(voiceDir, url.slice('/voice'.length), res, headers)) return;
    }
    if (req.method === 'GET' && url === '/') {
      res.writeHead(302, { ...headers, Location: '/display.html' }).end();
      return;
    }
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
  });
  // [lan-pages] must run before the queue API's upgrade listener: a counter session on /api/v1/stream?token=
  server.on('upgrade', (req: IncomingMessage) => gate.translate(req));
  api.attachWebSocket(server);

  const staffWss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/staff/bridge') return; // /api/v1/stream is the queue API's own listener
    const host = req.headers.host ?? '';
    const origin = req.headers.origin ?? '';
    if (origin !== `http://${host}` && origin !== `https://${host}`) {
      logger.warn({ origin: origin.slice(0, 80) }, 'staff bridge: foreign origin refused');
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
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
      api.close();
      for (const ws of staffWss.clients) ws.terminate();
      staffWss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
