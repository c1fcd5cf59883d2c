import { randomBytes, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BridgeClientMessage, BridgeServerMessage } from '../contract/index.js';
import type { KioskServices } from '../app/kiosk-services.js';
import type { Logger } from '../core/logger.js';
import { ConnectionTracker, normaliseRequestPath, refuseUpgrade } from '../core/http-guard.js';
import { redactPath } from '../core/redact.js';
import { contentSecurityPolicy, serveStatic } from './static.js';

export interface BrowserHostOptions {
  services: KioskServices;
  /** Built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 = any free port. Always bound to 127.0.0.1: the bridge is for this machine's own browser only. */
  port: number;
  logger: Logger;
  /** Per-launch secret; generated when absent. */
  secret?: string;
  /** Extra routes mounted before static files (the LAN API mounts nothing here; it has its own listener). */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface BrowserHost {
  url: string;
  /** The URL to open in the kiosk browser: the secret travels in the fragment, never in a request line or a log. */
  launchUrl: string;
  port: number;
  close(): Promise<void>;
}

/** WebSocket sub-protocol carrying the secret: `kiosk.<secret>` (the page cannot set headers on a WebSocket). */
const PROTOCOL_PREFIX = 'kiosk.';

/**
 * The browser host: the same services as the Electron host, bridged to a Chromium page over a WebSocket on
 * 127.0.0.1 that accepts only the page's own origin and the per-launch secret. Request/response and pushed events
 * use the contract's envelopes; a dropped page simply reconnects and says `app.ready` again.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { services, logger } = options;
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const secretBuf = Buffer.from(PROTOCOL_PREFIX + secret);
  let origin = '';

  const server = http.createServer((req, res) => {
    const checked = normaliseRequestPath(req.url);
    const url = req.url ?? '/';
    const baseHeaders = {
      'Content-Security-Policy': contentSecurityPolicy(origin.replace(/^http/, 'ws')),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, baseHeaders).end();
      return;
    }
    if (!checked.ok) {
      res.writeHead(400, { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' }).end(checked.reason);
      return;
    }
    if (url === '/healthz' || url.startsWith('/healthz?')) {
      const body = JSON.stringify(services.health(), null, 2);
      res.writeHead(200, { ...baseHeaders, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    if (options.extraRoutes?.(req, res)) return;
    if (serveStatic(options.rendererDir, checked.raw === '/' ? '/index.html' : checked.raw, res, baseHeaders)) return;
    res.writeHead(404, { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1 << 20,
    handleProtocols: (protocols) => {
      for (const p of protocols) if (p.startsWith(PROTOCOL_PREFIX)) return p;
      return false;
    },
  });

  const tracker = new ConnectionTracker(server);
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (err) => logger.debug({ err }, 'bridge upgrade socket error'));
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .find((p) => p.startsWith(PROTOCOL_PREFIX));
    const okOrigin = req.headers.origin === origin;
    const okSecret = offered !== undefined && offered.length === secretBuf.length && timingSafeEqual(Buffer.from(offered), secretBuf);
    if (req.url !== '/bridge' || !okOrigin || !okSecret) {
      logger.warn({ path: redactPath(String(req.url ?? '')).slice(0, 80), originOk: okOrigin, secretOk: okSecret }, 'bridge connection refused');
      refuseUpgrade(socket, req.url === '/bridge' ? 403 : 404);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  let connections = 0;
  function onConnection(ws: WebSocket): void {
    const connectionId = `ws-${++connections}`;
    const send = (msg: BridgeServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const removeSink = services.hub.addSink((name, payload) => send({ t: 'evt', name, payload }), connectionId);
    logger.info({ connectionId }, 'bridge connected');
    ws.on('message', (data) => {
      let msg: BridgeClientMessage;
      try {
        msg = JSON.parse(String(data)) as BridgeClientMessage;
      } catch {
        logger.warn({ connectionId }, 'bridge message is not JSON; ignored');
        return;
      }
      if (msg?.t !== 'req' || typeof msg.id !== 'number') {
        logger.warn({ connectionId }, 'bridge message of unknown shape; ignored');
        return;
      }
      void services
        .call(msg.name, msg.input, { via: 'browser', connectionId })
        .then((result) => send({ t: 'res', id: msg.id, result }));
    });
    ws.on('close', () => {
      removeSink();
      services.connectionClosed(connectionId);
      logger.info({ connectionId }, 'bridge disconnected');
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    launchUrl: `${origin}/#k=${secret}`,
    port,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await tracker.close();
    },
  };
}
