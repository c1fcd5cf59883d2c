// UI latency benchmark (run by `npm run bench ui-latency`): the browser host on simulators, Debian's Chromium driven
// by Playwright. Prints cold-start figures (host process start → serving; page load → attract screen) and
// touch-to-next-screen latencies (pointer down → the next screen's heading visible). Measures; asserts nothing.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const N = 30;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms  p95 ${pct(xs, 95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms  (n=${xs.length})`;

async function startHost(): Promise<{ url: string; ms: number; stop: () => void; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/main/start.js', '--no-window', '--port', '0', '--lan-port', '0', '--simulate', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let url = '';
  await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /kiosk page URL \(with its per-launch secret\) in (\S+);/.exec(out);
      if (m && !url) resolve((url = readFileSync(m[1]!, 'utf8').trim()));
    });
    child.on('exit', (c) => reject(new Error(`host exited ${c}: ${out}`)));
  });
  return { url, ms: performance.now() - t0, stop: () => child.kill('SIGTERM'), dir };
}

const starts: number[] = [];
const loads: number[] = [];
const browser = await chromium.launch({ executablePath: process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
for (let i = 0; i < 5; i++) {
  const host = await startHost();
  starts.push(host.ms);
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  const t0 = performance.now();
  await page.goto(host.url);
  await page.locator('.attract-hall, .attract h1').first().waitFor();
  loads.push(performance.now() - t0);
  await page.close();
  host.stop();
  rmSync(host.dir, { recursive: true, force: true });
}
console.log(`cold start: host process → serving    ${fmt(starts)}`);
console.log(`cold start: page load → attract screen ${fmt(loads)}`);

const host = await startHost();
const page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
await page.goto(host.url);
const toHome: number[] = [];
const toGuide: number[] = [];
const back: number[] = [];
for (let i = 0; i < N; i++) {
  const start = page.getByRole('button', { name: '轻触屏幕开始办理' });
  await start.waitFor();
  let t = performance.now();
  await start.click();
  await page.getByTestId('tile-guide').waitFor();
  toHome.push(performance.now() - t);
  t = performance.now();
  await page.getByTestId('tile-guide').click();
  await page.locator('section[data-flow-state]').first().waitFor();
  toGuide.push(performance.now() - t);
  t = performance.now();
  await page.getByRole('button', { name: /返回/ }).first().click();
  await page.getByTestId('tile-guide').waitFor();
  back.push(performance.now() - t);
  await page.getByRole('button', { name: /退出/ }).first().click();
}
console.log(`touch → next screen: attract → home     ${fmt(toHome)}`);
console.log(`touch → next screen: home → 办事指南     ${fmt(toGuide)}`);
console.log(`touch → next screen: back → home        ${fmt(back)}`);
console.log('(each figure includes Playwright\'s own input dispatch and polling, a few ms)');
await browser.close();
host.stop();
rmSync(host.dir, { recursive: true, force: true });
process.exit(0);
