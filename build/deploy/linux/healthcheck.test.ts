import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkOnce, decide } from './healthcheck.mjs';

describe('kiosk watchdog', () => {
  it('restarts after the limit of failures in a row, and a success resets the count', () => {
    expect(decide(0, false, 3)).toEqual({ failures: 1, restart: false });
    expect(decide(1, false, 3)).toEqual({ failures: 2, restart: false });
    expect(decide(2, false, 3)).toEqual({ failures: 0, restart: true });
    expect(decide(2, true, 3)).toEqual({ failures: 0, restart: false });
  });

  it('takes ok and degraded as alive, anything else (or no answer) as failed', async () => {
    let reply: [number, string] = [200, '{"status":"ok"}'];
    const server = http.createServer((_req, res) => res.writeHead(reply[0]).end(reply[1]));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
    try {
      expect((await checkOnce(url)).healthy).toBe(true);
      reply = [200, '{"status":"degraded"}'];
      expect((await checkOnce(url)).healthy).toBe(true);
      reply = [500, 'boom'];
      expect(await checkOnce(url)).toEqual({ healthy: false, why: 'HTTP 500' });
      reply = [200, 'not json'];
      expect((await checkOnce(url)).healthy).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect((await checkOnce(url, 1000)).healthy).toBe(false); // nobody listens any more
  });
});
