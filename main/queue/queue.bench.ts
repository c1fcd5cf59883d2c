/**
 * `node build/bench.mjs queue`: durable ticket throughput on a file DB (WAL, synchronous=FULL) and latency
 * percentiles of issue and call-next, in process and over HTTP (loopback). Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startQueueHost } from './api.js';
import { RemoteQueueClient } from './remote-client.js';
import { createTestEngine, ManualClock, testQueueConfig } from './test-kit.js';

const N_LOCAL = 900; // ≤ 999: one category's daily quota
const N_HTTP = 300;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
function line(name: string, xs: number[], totalMs: number): void {
  const f = (v: number) => v.toFixed(2).padStart(7);
  console.log(
    `${name.padEnd(34)} n=${String(xs.length).padStart(4)}  ${(xs.length / (totalMs / 1000)).toFixed(0).padStart(6)}/s  ` +
      `p50 ${f(pct(xs, 50))} ms  p95 ${f(pct(xs, 95))} ms  p99 ${f(pct(xs, 99))} ms  max ${f(Math.max(...xs))} ms`,
  );
}

function fresh(dir: string, name: string) {
  return createTestEngine({
    clock: new ManualClock('2025-03-03T10:00:00+08:00'),
    file: path.join(dir, `${name}.db`),
    config: testQueueConfig({}, { any: { dailyQuota: 999, maxTicketsPerPersonPerDay: 20 } }),
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'queue-bench-'));
try {
  console.log(`queue bench: file DB in ${dir} (WAL, synchronous=FULL), Node ${process.version}`);
  {
    const { engine, db } = fresh(dir, 'local');
    const issue: number[] = [];
    let t0 = performance.now();
    for (let i = 0; i < N_LOCAL; i++) {
      const s = performance.now();
      engine.issueTicket({ categoryId: 'any', source: 'kiosk', deviceId: 'bench', idNumber: `4401061990052${String(i).padStart(5, '0')}` });
      issue.push(performance.now() - s);
    }
    line('in-process issue (durable)', issue, performance.now() - t0);
    const call: number[] = [];
    t0 = performance.now();
    for (let i = 0; i < N_LOCAL; i++) {
      const s = performance.now();
      engine.callNext({ window: '4' });
      call.push(performance.now() - s);
      engine.finishService({ window: '4', outcome: 'completed' });
    }
    line('in-process call-next (+finish)', call, performance.now() - t0);
    const s = performance.now();
    engine.snapshot();
    console.log(`in-process snapshot with ${N_LOCAL} tickets: ${(performance.now() - s).toFixed(2)} ms`);
    db.close();
  }
  {
    const { engine, db } = fresh(dir, 'http');
    const token = 'bench-kiosk-token-00000000';
    const counterToken = 'bench-counter-token-000000';
    const host = await startQueueHost({
      engine,
      tokens: [
        { token, role: 'kiosk', deviceId: 'bench-kiosk' },
        { token: counterToken, role: 'counter', deviceId: 'bench-counter' },
      ],
    });
    const kiosk = new RemoteQueueClient({ baseUrl: host.url, token, timeoutMs: 10_000 });
    const counter = new RemoteQueueClient({ baseUrl: host.url, token: counterToken, timeoutMs: 10_000 });
    const issue: number[] = [];
    let t0 = performance.now();
    for (let i = 0; i < N_HTTP; i++) {
      const s = performance.now();
      await kiosk.issueTicket({ categoryId: 'any' });
      issue.push(performance.now() - s);
    }
    line('HTTP issue, 1 client', issue, performance.now() - t0);
    const call: number[] = [];
    t0 = performance.now();
    for (let i = 0; i < N_HTTP; i++) {
      const s = performance.now();
      await counter.callNext({ window: '4' });
      call.push(performance.now() - s);
      await counter.finishService({ window: '4', outcome: 'completed' });
    }
    line('HTTP call-next (+finish), 1 counter', call, performance.now() - t0);
    const par: number[] = [];
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < N_HTTP / 4; i++) {
          const s = performance.now();
          await kiosk.issueTicket({ categoryId: 'social' });
          par.push(performance.now() - s);
        }
      }),
    );
    line('HTTP issue, 4 concurrent clients', par, performance.now() - t0);
    await host.close();
    db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
