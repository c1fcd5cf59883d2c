#!/usr/bin/env node
// The kiosk's watchdog, run by hall-kiosk-health.timer every 30 s (Node built-ins only):
//   healthcheck.mjs --url http://127.0.0.1:8787/healthz --state /run/hall-kiosk-health --failures 3 --restart hall-kiosk.service
// One check = GET the URL within 5 s and expect HTTP 200 with JSON `status` "ok" or "degraded" (a degraded kiosk, e.g.
// a printer out of paper, is not restarted: a restart would not fix it). Failures in a row are counted in the state
// file; at the limit the unit is restarted and the count starts again. Exit 0 = healthy, 1 = unhealthy.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The next failure count and whether to restart now. Pure: tested in healthcheck.test.ts. */
export function decide(previousFailures, healthy, limit) {
  if (healthy) return { failures: 0, restart: false };
  const failures = previousFailures + 1;
  return failures >= limit ? { failures: 0, restart: true } : { failures, restart: false };
}

export async function checkOnce(url, timeoutMs = 5000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return { healthy: false, why: `HTTP ${res.status}` };
    const body = await res.json();
    if (body.status === 'ok' || body.status === 'degraded') return { healthy: true, why: body.status };
    return { healthy: false, why: `status ${JSON.stringify(body.status)}` };
  } catch (e) {
    return { healthy: false, why: e instanceof Error ? e.message : String(e) };
  }
}

async function main() {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, state: { type: 'string' }, failures: { type: 'string', default: '3' }, restart: { type: 'string' } },
  });
  if (!values.url || !values.state) {
    console.error('usage: healthcheck.mjs --url <healthz> --state <file> [--failures 3] [--restart <unit>]');
    return 2;
  }
  let previous = 0;
  try {
    previous = Number.parseInt(readFileSync(values.state, 'utf8'), 10) || 0;
  } catch (e) {
    if (e.code !== 'ENOENT') throw e; // first run: no state yet
  }
  const result = await checkOnce(values.url);
  const next = decide(previous, result.healthy, Number(values.failures));
  writeFileSync(values.state, String(next.failures));
  console.log(`hall-kiosk health: ${result.healthy ? 'ok' : 'FAILED'} (${result.why}); failures in a row: ${result.healthy ? 0 : previous + 1}`);
  if (next.restart && values.restart) {
    console.log(`hall-kiosk health: restarting ${values.restart}`);
    const r = spawnSync('systemctl', ['restart', values.restart], { stdio: 'inherit' });
    if (r.status !== 0) console.error(`hall-kiosk health: systemctl restart ${values.restart} failed (${r.status ?? r.error?.message})`);
  }
  return result.healthy ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) main().then((code) => process.exit(code));
