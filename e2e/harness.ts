import { expect, test as base, type Page, type TestInfo } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Starts the browser host (dist/main/start.js, the same file `npm start` runs) on simulators with a temporary
 * data dir and a free port, and gives each test its launch URL. The host's output is attached to the test report
 * when a test fails; the data dir is removed afterwards.
 */
export interface KioskHost {
  url: string;
  launchUrl: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startHost(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<KioskHost> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['dist/main/start.js', '--no-window', '--port', '0', '--lan-port', '0', '--data-dir', dataDir, '--simulate', ...extraArgs],
    { cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const launchUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 20 s:\n${out}`)), 20_000);
    const check = () => {
      // The host never prints its secret: it names the 0600 file in the data dir that holds the launch URL (read
      // once: the host removes the file when it stops).
      const m = /kiosk page URL \(with its per-launch secret\) in (\S+);/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(readFileSync(m[1]!, 'utf8').trim());
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`host exited with ${code}:\n${out}`)));
  });
  const url = new URL(launchUrl).origin;
  return {
    url,
    launchUrl,
    dataDir,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function attachOnFailure(testInfo: TestInfo, host: KioskHost, page?: Page): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  const logFile = testInfo.outputPath('host-output.log');
  writeFileSync(logFile, host.output());
  await testInfo.attach('host-output', { path: logFile, contentType: 'text/plain' });
  if (page) await testInfo.attach('screen', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

/** A test with a fresh host per test: `test('…', async ({ page, host }) => …)`. */
export const test = base.extend<{ host: KioskHost }>({
  host: async ({ page }, use, testInfo) => {
    const host = await startHost();
    await use(host);
    await attachOnFailure(testInfo, host, page);
    await host.stop();
  },
});

/** The same with the all-day copy of the sample hall (`allDayConfig()`), for citizen flows at any hour. */
export const allDayTest = base.extend<{ host: KioskHost }>({
  host: async ({ page }, use, testInfo) => {
    const host = await startHost(['--config', allDayConfig()]);
    await use(host);
    await attachOnFailure(testInfo, host, page);
    await host.stop();
  },
});

/** Presses one button of the simulator panel (demo mode), opening the panel first and closing it after. */
export async function simPanel(page: Page, testId: string): Promise<void> {
  const panel = page.getByTestId('sim-panel');
  if (!(await panel.isVisible())) await page.getByTestId('sim-toggle').click();
  await page.getByTestId(testId).click();
  await page.getByTestId('sim-toggle').click();
  await expect(panel).toBeHidden();
}

/** A TCP port free on 127.0.0.1 right now, for a host's fixed `--lan-port` (the OS picks it; it is released at once). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A host whose hall LAN port is `lanPort` (pages and API at `lan`), started with `configFile`, once /healthz answers there. */
export async function startLanHost(lanPort: number, configFile: string): Promise<{ host: KioskHost; lan: string }> {
  const host = await startHost(['--lan-port', String(lanPort), '--config', configFile]);
  const lan = `http://127.0.0.1:${lanPort}`;
  await expect.poll(async () => (await fetch(`${lan}/healthz`).catch(() => undefined))?.status, { timeout: 10_000 }).toBe(200);
  return { host, lan };
}

export { expect } from '@playwright/test';

/**
 * A copy of the sample hall (county-center.json) whose ticket categories issue tickets all day, every day, so that
 * citizen tests do not depend on the time they run at; `mutate` adjusts it further. Returns the file's path.
 */
export function allDayConfig(mutate?: (config: Record<string, unknown>) => void): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const config = JSON.parse(readFileSync(path.join(root, 'kiosk-config/halls/county-center.json'), 'utf8')) as {
    queue: { categories: { hours: unknown[] }[]; holidays?: string[] };
  } & Record<string, unknown>;
  for (const c of config.queue.categories) c.hours = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];
  config.queue.holidays = [];
  mutate?.(config);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-config-')), 'hall.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
