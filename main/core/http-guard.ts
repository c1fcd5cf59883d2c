import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { HostError } from '../errors.js';

/**
 * What both hosts' HTTP servers (the 127.0.0.1 browser host and the hall LAN server) need to stay answerable and
 * stoppable whatever a client sends:
 * - `normaliseRequestPath`: one decoded, checked path before any allow-list or route (no `.`/`..` segments, no
 *   encoded separators, valid percent-encoding), so `/assets/..%2findex.html` cannot reach a page that is not
 *   listed;
 * - `refuseUpgrade`: every WebSocket upgrade that no route takes gets an HTTP answer and a closed socket (an
 *   unanswered upgrade holds its socket, and `server.close()` then never completes);
 * - `ConnectionTracker`: every socket the server accepted, so `close()` finishes in bounded time even with
 *   keep-alive clients, upgraded sockets and half-open connections;
 * - `readJsonBody`: a JSON request body read up to a bound, so no client can make the host buffer without limit.
 */

export type PathCheck = { ok: true; path: string; raw: string } | { ok: false; reason: string };

/** Encoded `/`, `\` and NUL: a path segment must never turn into a separator after decoding. */
const ENCODED_SEPARATOR = /%(2f|5c|00)/i;

/**
 * The request target's path (query and fragment cut off), percent-decoded and checked. Refused: malformed
 * percent-encoding (`%`, `%ZZ`, `%E0%A4%A`), encoded separators, backslashes, control characters and any `.` or
 * `..` segment, encoded or not. `raw` is the undecoded path, safe to hand to code that decodes itself.
 */
export function normaliseRequestPath(target: string | undefined): PathCheck {
  const raw = (target ?? '/').split(/[?#]/, 1)[0]!;
  if (!raw.startsWith('/')) return { ok: false, reason: 'the path must start with /' };
  if (ENCODED_SEPARATOR.test(raw)) return { ok: false, reason: 'the path holds an encoded separator' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch (e) {
    if (e instanceof URIError) return { ok: false, reason: 'the path has malformed percent-encoding' };
    throw e;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(decoded)) return { ok: false, reason: 'the path holds a backslash or a control character' };
  if (decoded.split('/').some((seg) => seg === '.' || seg === '..')) return { ok: false, reason: 'the path holds a . or .. segment' };
  return { ok: true, path: decoded, raw };
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

/** Answers an upgrade request nobody takes with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404 | 503): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // end() flushes the answer; a client that never reads must not keep the socket open past a moment.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/**
 * Tracks every socket a server accepts (HTTP keep-alive and upgraded WebSocket sockets alike, which
 * `server.closeAllConnections()` does not see) and closes the server in bounded time.
 */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();

  constructor(private readonly server: http.Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get open(): number {
    return this.sockets.size;
  }

  /**
   * Stops listening, closes idle keep-alive connections at once, gives requests in flight `graceMs` (default
   * 1 s) and then destroys every socket left. Resolves when the server has closed; never waits longer than
   * `graceMs` plus a moment.
   */
  async close(graceMs = 1000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }

  /** Destroys every socket now (upgraded ones included). */
  destroyAll(): void {
    for (const s of this.sockets) s.destroy();
  }
}

/**
 * The request body parsed as JSON. More than `maxBytes` bytes is BAD_REQUEST (reading stops there); so is a body
 * that is not JSON, and an empty one unless `options.empty` says what it stands for (the queue API: `{}`).
 */
export async function readJsonBody(req: http.IncomingMessage, maxBytes: number, options: { empty?: unknown } = {}): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HostError('BAD_REQUEST', `body larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  if (size === 0 && 'empty' in options) return options.empty;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new HostError('BAD_REQUEST', 'body is not JSON', { cause: e });
  }
}
