import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BridgeClientMessage, BridgeServerMessage } from '../contract/index.js';
import { contentSecurityPolicy, serveStatic } from '../browser-host/static.js';
import type { KioskServices } from '../core/kiosk-services.js';
import type { Logger } from '../core/logger.js';
import { createQueueApi, type QueueApi } from '../queue/api.js';

export interface LanServerOptions {
  services: KioskServices;
  rendererDir: string;
  /** Port on the hall network; bound to `host` (default 0.0.0.0: every interface). */
  port: number;
  host?: string;
  logger: Logger;
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
  let api: QueueApi = createQueueApi({ engine: services.queue, tokens: services.currentConfig.network.apiTokens, logger: logger.child('api') });
  services.onQueueReplaced(() => {
    api.close();
    api = createQueueApi({ engine: services.queue, tokens: services.currentConfig.network.apiTokens, logger: logger.child('api') });
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
    if (api.handle(req, res)) return;
    if (url === '/healthz') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(services.health()));
      return;
    }
    if (req.method === 'GET' && (LAN_PAGES.has(url) || url.startsWith('/assets/') || url.startsWith('/voice/'))) {
      if (serveStatic(options.rendererDir, url, res, headers)) return;
    }
    if (req.method === 'GET' && url === '/') {
      res.writeHead(302, { ...headers, Location: '/display.html' }).end();
      return;
    }
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
  });
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
