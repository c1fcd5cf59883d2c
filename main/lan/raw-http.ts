import net from 'node:net';

/**
 * A raw HTTP client on node:net for tests: fetch and browsers normalise `..` and percent-encoding in a URL before
 * sending it; a hostile client on the hall LAN does not.
 */
export interface RawResponse {
  status: number;
  head: string;
  body: string;
  /** The server closed the connection (within the wait). */
  closed: boolean;
}

/** Sends `request` as it is on a fresh TCP connection; collects what comes back for up to `waitMs`. */
export function rawHttp(port: number, request: string, waitMs = 2000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const [head = '', body = ''] = data.split('\r\n\r\n', 2);
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : 0, head, body, closed });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (d) => (data += String(d)));
    socket.on('error', reject);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.write(request);
  });
}

export const rawGet = (port: number, target: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
  rawHttp(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);

export const upgradeRequest = (port: number, target: string, extra = ''): string =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;

/** Resolves to 'timeout' when `p` does not settle within `ms`. */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}
