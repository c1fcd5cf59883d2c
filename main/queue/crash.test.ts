import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database.js';

// SIGKILL a ticket-issuing child process at random moments, restart it, and check that what it confirmed is on
// disk and that numbers are unique and gap-free. ROUNDS × (start-up + 0-100 ms of issuing) keeps this to a few seconds.
const ROUNDS = 20;
const root = path.resolve(import.meta.dirname, '../..');
const workerFile = path.join(root, 'dist', 'test', 'queue', `crash-worker-${process.pid}.mjs`);
let dir: string;

beforeAll(async () => {
  mkdirSync(path.dirname(workerFile), { recursive: true });
  await build({
    entryPoints: [path.join(import.meta.dirname, 'crash-worker.ts')],
    outfile: workerFile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning',
  });
  dir = mkdtempSync(path.join(tmpdir(), 'queue-crash-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(workerFile, { force: true });
});

function runOnce(db: string, killAfterMs: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerFile], { env: { ...process.env, QUEUE_CRASH_DB: db }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    // The kill delay counts from the first confirmed ticket, so every round kills the loop mid-flight (the
    // process start-up alone takes 100-300 ms on a shared machine). A safety timer kills a child that never prints.
    const safety = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      clearTimeout(safety);
      // Only whole lines count as confirmed; a line cut by the kill is dropped.
      const lines = out.split('\n');
      lines.pop();
      resolve({ lines, signal, stderr });
    });
  });
}

describe('queue crash safety', () => {
  it(`after ${ROUNDS} SIGKILLs: every confirmed ticket is stored, numbers unique and gap-free per category and day`, async () => {
    const file = path.join(dir, 'queue.db');
    const confirmed: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const r = await runOnce(file, Math.floor(Math.random() * 100));
      expect(r.stderr).toBe('');
      expect(r.signal).toBe('SIGKILL');
      confirmed.push(...r.lines);
    }
    const db = openDatabase({ file });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT day, issued_category_id AS cat, prefix, number FROM queue_tickets ORDER BY day, cat, number').all() as {
      day: string;
      cat: string;
      prefix: string;
      number: number;
    }[];
    const stored = new Set(rows.map((r) => `${r.day} ${r.cat} ${r.prefix}${String(r.number).padStart(3, '0')}`));
    expect(stored.size).toBe(rows.length); // unique
    const missing = confirmed.filter((l) => !stored.has(l));
    expect(missing).toEqual([]);
    expect(new Set(confirmed).size).toBe(confirmed.length); // never confirmed twice
    const groups = new Map<string, number[]>();
    for (const r of rows) groups.set(`${r.day} ${r.cat}`, [...(groups.get(`${r.day} ${r.cat}`) ?? []), r.number]);
    for (const [key, numbers] of groups) expect(numbers, key).toEqual(numbers.map((_, i) => i + 1));
    const events = (db.prepare(`SELECT count(*) AS n FROM ticket_events WHERE type = 'issued'`).get() as { n: number }).n;
    expect(events).toBe(rows.length); // the event is in the ticket's transaction
    console.log(`crash test: ${ROUNDS} kills, ${confirmed.length} confirmed, ${rows.length} stored (≤ ${ROUNDS} unconfirmed commits possible), ${groups.size} (day, category) groups`);
    expect(confirmed.length).toBeGreaterThan(ROUNDS);
    expect(groups.size).toBeGreaterThan(2); // the day rolled over (quota 120 per category)
    expect(rows.length - confirmed.length).toBeGreaterThanOrEqual(0);
    expect(rows.length - confirmed.length).toBeLessThanOrEqual(ROUNDS);
    db.close();
  }, 60_000);
});
