import { expect, test } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../drivers/log.js';
import { FleetAgent } from '../main/fleet/agent.js';
import { generateFleetKeyPair, loadPublicKey } from '../main/fleet/signing.js';
import { SimulatedKiosk } from '../main/fleet/simulated-kiosk.js';
import { freePort, startTestBroker, type TestBroker } from '../main/fleet/test-broker.js';

/**
 * The built fleet console (`node dist/main/fleet-console.js`, what `npm run fleet` runs) in Chromium, against a
 * private Mosquitto and three kiosk agents: sign in, kiosks appear live, a paper-out shows as an alert and clears,
 * a killed kiosk goes offline by its Last Will, a staged push to a hall from the page reports every kiosk's answer.
 */
test.use({ viewport: { width: 1600, height: 1000 }, hasTouch: false });

let broker: TestBroker;
let consoleProc: ChildProcess;
let dir: string;
let url: string;
const agents = new Map<string, FleetAgent>();
const sims = new Map<string, SimulatedKiosk>();

test.beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-e2e-'));
  const keys = generateFleetKeyPair();
  writeFileSync(path.join(dir, 'signing.key'), keys.privateKeyPem, { mode: 0o600 });
  const bin = path.join('dist', 'main', 'fleet-console.js');
  const add = spawnSync(process.execPath, [bin, '--data-dir', path.join(dir, 'data'), '--add-user', 'ops:admin'], { env: { ...process.env, FLEET_USER_PIN: '246810' }, encoding: 'utf8' });
  expect(add.status, add.stderr).toBe(0);
  const port = await freePort();
  consoleProc = spawn(process.execPath, [bin, '--broker', broker.url, '--data-dir', path.join(dir, 'data'), '--port', String(port), '--signing-key', path.join(dir, 'signing.key')], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    consoleProc.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('console on')) resolve();
    });
    consoleProc.once('exit', (code) => reject(new Error(`fleet console exited with ${code}`)));
  });
  url = `http://127.0.0.1:${port}/`;
  for (const [hallId, kioskId] of [
    ['hall-a', 'k1'],
    ['hall-a', 'k2'],
    ['hall-b', 'k1'],
  ] as const) {
    const sim = new SimulatedKiosk({ hallId, kioskId, hallName: hallId === 'hall-a' ? '从化区政务服务中心' : '太平镇便民服务中心', region: '广州市从化区' });
    const agent = new FleetAgent({ url: broker.url, topicPrefix: 'hk/v1', statsIntervalS: 1, offlineQueueMax: 50, publicKey: loadPublicKey(keys.publicKeyPem), facts: sim, control: sim, logger: silentLogger, statusDebounceMs: 10 });
    agent.start();
    sims.set(`${hallId}/${kioskId}`, sim);
    agents.set(`${hallId}/${kioskId}`, agent);
  }
});

test.afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop()));
  consoleProc?.kill('SIGTERM');
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('operator watches kiosks, sees a paper-out alert come and go, a kiosk drop offline, and pushes a config to a hall', async ({ page }) => {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: '自助终端运维平台' })).toBeVisible();
  await page.getByLabel('用户名').fill('ops');
  await page.getByLabel('密码（6-12 位数字）').fill('246810');
  await page.getByRole('button', { name: '登录' }).click();

  for (const k of ['hall-a/k1', 'hall-a/k2', 'hall-b/k1']) await expect(page.locator(`[data-kiosk="${k}"][data-online="true"]`)).toBeVisible();
  await expect(page.getByTestId('online-count')).toHaveText('在线 3');

  sims.get('hall-a/k1')!.setDevice('receiptPrinter', 'error', 'paper end');
  const alert = page.locator('[data-code="PAPER_OUT"][data-resolved="false"]');
  await expect(alert).toContainText('凭条纸用完');
  await expect(alert).toContainText('已持续');
  await expect(page.locator('[data-kiosk="hall-a/k1"]')).toContainText('凭条打印机: paper end');
  sims.get('hall-a/k1')!.setDevice('receiptPrinter', 'ok', 'ready');
  await expect(page.locator('[data-code="PAPER_OUT"][data-resolved="true"]')).toContainText('已恢复');

  await agents.get('hall-a/k2')!.kill();
  agents.delete('hall-a/k2');
  await expect(page.locator('[data-kiosk="hall-a/k2"][data-online="false"]')).toBeVisible();
  await expect(page.getByTestId('offline-count')).toHaveText('离线 1');

  await page.getByLabel('全部大厅').selectOption('hall-a');
  await page.locator('.fleet-push select').selectOption('hall');
  await page.locator('.fleet-push textarea').fill(JSON.stringify({ announcements: [{ id: 'e2e', text: { 'zh-CN': '系统升级', 'zh-HK': '系統升級', en: 'Upgrade' } }] }));
  await page.getByRole('button', { name: '分批推送配置' }).click();
  await expect(page.locator('[data-rollout="done"] summary')).toContainText('全部完成 · 1/1 · 离线未推送 1');
  expect(sims.get('hall-a/k1')!.currentConfig().announcements.map((a) => a.id)).toEqual(['e2e']);
  await page.getByLabel('全部大厅').selectOption('');
  await page.screenshot({ path: path.join('test-results', 'fleet-console.png'), fullPage: true });
});
