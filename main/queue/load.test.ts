import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../storage/database.js';
import { startQueueHost, type ApiToken, type QueueHost } from './api.js';
import { RemoteQueueClient } from './remote-client.js';
import { createTestEngine, ManualClock } from './test-kit.js';

// Bounded: 4 kiosks × 40 tickets issued concurrently over HTTP against a file DB (WAL, synchronous=FULL), while 3
// counters call and finish. A few seconds on a shared 2-core machine.
const KIOSKS = 4;
const PER_KIOSK = 40;
const WINDOWS = ['1', '2', '4'];

let dir: string;
let host: QueueHost;
let db: Db;
const tokens: ApiToken[] = [
  ...Array.from({ length: KIOSKS }, (_, i) => ({ token: `load-kiosk-token-${i}-0000000`, role: 'kiosk' as const, deviceId: `kiosk-${i}` })),
  ...WINDOWS.map((w) => ({ token: `load-counter-token-${w}-000000`, role: 'counter' as const, deviceId: `counter-${w}`, windows: [w] })),
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'queue-load-'));
  const made = createTestEngine({ clock: new ManualClock('2025-03-03T10:00:00+08:00'), file: path.join(dir, 'queue.db') });
  db = made.db;
  host = await startQueueHost({ engine: made.engine, tokens });
});
afterAll(async () => {
  await host.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

describe('queue under concurrent load', () => {
  it('no duplicate numbers, every ticket called at most once (and all served)', async () => {
    const issueMs: number[] = [];
    const callMs: number[] = [];
    const issued: string[] = [];
    let kiosksDone = 0;
    const started = performance.now();
    const kiosks = Array.from({ length: KIOSKS }, async (_, i) => {
      const c = new RemoteQueueClient({ baseUrl: host.url, token: tokens[i]!.token, timeoutMs: 10_000 });
      for (let n = 0; n < PER_KIOSK; n++) {
        const t0 = performance.now();
        const t = await c.issueTicket({ categoryId: n % 2 ? 'any' : 'social' });
        issueMs.push(performance.now() - t0);
        issued.push(t.number);
      }
      kiosksDone++;
    });
    const calledIds: number[] = [];
    const counters = WINDOWS.map(async (w, i) => {
      const c = new RemoteQueueClient({ baseUrl: host.url, token: tokens[KIOSKS + i]!.token, timeoutMs: 10_000 });
      const deadline = performance.now() + 20_000;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const t = await c.callNext({ window: w });
        if (!t) {
          if (kiosksDone === KIOSKS) return;
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        callMs.push(performance.now() - t0);
        calledIds.push(t.id);
        await c.finishService({ window: w, ticketId: t.id, outcome: 'completed' });
      }
    });
    await Promise.all(kiosks);
    await Promise.all(counters);
    const seconds = (performance.now() - started) / 1000;

    expect(issued).toHaveLength(KIOSKS * PER_KIOSK);
    expect(new Set(issued).size).toBe(issued.length);
    expect(new Set(calledIds).size).toBe(calledIds.length);
    const calls = db.prepare(`SELECT ticket_id, count(*) AS n FROM ticket_events WHERE type = 'called' GROUP BY ticket_id`).all() as { n: number }[];
    expect(calls.every((c) => c.n === 1)).toBe(true);
    expect(calls).toHaveLength(issued.length);
    const left = db.prepare(`SELECT count(*) AS n FROM queue_tickets WHERE status <> 'done'`).get() as { n: number };
    expect(left.n).toBe(0);
    console.log(
      `load: ${issued.length} tickets by ${KIOSKS} kiosks, ${calledIds.length} calls by ${WINDOWS.length} counters in ${seconds.toFixed(2)} s; ` +
        `issue p50 ${pct(issueMs, 50).toFixed(1)} ms p95 ${pct(issueMs, 95).toFixed(1)} ms; call-next p50 ${pct(callMs, 50).toFixed(1)} ms p95 ${pct(callMs, 95).toFixed(1)} ms`,
    );
  }, 40_000);
});
