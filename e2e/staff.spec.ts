import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { SAMPLE_IDENTITIES } from '../drivers/id-card/sample-identities.js';
import { expect, test } from './harness.js';

/**
 * The staff console (issue 6) through the browser host on simulators. Sample PINs (simulation mode only):
 * manager 246810, technician 135790.
 */
const MANAGER_PIN = '246810';
const TECHNICIAN_PIN = '135790';

/** The hidden gesture: five taps in the top-left corner within 3 s. */
async function openPinPad(page: Page): Promise<void> {
  // The gesture listener exists once the app has booted (bootstrap over the bridge): taps before that are lost.
  await expect(page.locator('.kiosk')).toBeVisible();
  for (let i = 0; i < 5; i++) await page.mouse.click(20, 20);
  await expect(page.getByRole('form', { name: '工作人员登录' })).toBeVisible();
}

async function signIn(page: Page, role: 'manager' | 'technician', pin: string): Promise<void> {
  await openPinPad(page);
  await page.getByRole('radio', { name: role === 'manager' ? '大厅管理员' : '运维技术员' }).click();
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('.staff-console')).toHaveAttribute('data-role', role);
}

async function openCategories(page: Page): Promise<void> {
  await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
  await page.getByTestId('tile-ticket').click();
  await page.getByRole('button', { name: '不用身份证，直接继续' }).click();
}

test('five wrong PINs lock the role; the right PIN is refused while locked; every attempt is audited', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await openPinPad(page);
  const alert = page.locator('.staff-pin [role=alert]');
  for (let i = 1; i <= 4; i++) {
    await page.getByLabel('PIN').fill('999990');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(alert).toContainText(`还可尝试 ${5 - i} 次`);
  }
  await page.getByLabel('PIN').fill('999990');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(alert).toContainText('已锁定');
  await page.getByLabel('PIN').fill(MANAGER_PIN);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(alert).toContainText(/请在 \d{2}:\d{2}:\d{2} 后再试/);
  await expect(page.locator('.staff-console')).toHaveCount(0);

  // The technician role is not locked; its console cannot read the manager's audit (role check on the host).
  await page.getByRole('radio', { name: '运维技术员' }).click();
  await page.getByLabel('PIN').fill(TECHNICIAN_PIN);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('.staff-console')).toHaveAttribute('data-role', 'technician');
  await expect(page.getByRole('tab', { name: '配置', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.locator('.staff-console')).toHaveCount(0);
  await expect(page.locator('.kiosk')).toHaveAttribute('data-screen', 'attract');
});

test('a manager changes a queue category, the citizen screen follows; rolling back restores it', async ({ page, host, context }) => {
  const citizen = await context.newPage();
  await citizen.goto(host.launchUrl);
  await openCategories(citizen);
  await expect(citizen.getByTestId('category-social-security').locator('.category-name')).toHaveText('社保医保');

  await page.goto(host.launchUrl);
  await signIn(page, 'manager', MANAGER_PIN);
  await page.getByRole('tab', { name: '配置', exact: true }).click();
  const name = page.getByLabel('类别1名称');
  await expect(name).toHaveValue('社保医保');

  // A wrong value is refused with its sentence, before anything is saved.
  await page.getByLabel('类别1字头').fill('a');
  await expect(page.locator('.staff-problems')).toContainText('queue.categories[0].prefix: must be one capital letter A-Z.');
  await expect(page.getByRole('button', { name: '保存并生效' })).toBeDisabled();
  await page.getByLabel('类别1字头').fill('A');

  await name.fill('社保医保（新）');
  await page.getByLabel('大厅名称', { exact: true }).fill('从化区新政务服务中心');
  await page.getByLabel('类别1窗口').fill('1,2,9');
  await page.getByLabel('修改说明').fill('e2e: rename');
  await page.getByRole('button', { name: '保存并生效' }).click();
  await expect(page.locator('.staff-ok')).toContainText('已保存为版本 2 并已生效');

  // The citizen page follows live (config-changed): its top bar shows the new hall name without a reload.
  await expect(citizen.locator('.hall-name')).toHaveText('从化区新政务服务中心');
  // A new session takes tickets under the new category name (the running kiosk applied it, no restart).
  await citizen.reload();
  await openCategories(citizen);
  await expect(citizen.getByTestId('category-social-security').locator('.category-name')).toHaveText('社保医保（新）');

  // Compare versions 1 and 2 field by field.
  await page.getByRole('tab', { name: '版本' }).click();
  await page.getByLabel('从版本1').check();
  await page.getByLabel('到版本2').check();
  await page.getByRole('button', { name: '比较所选版本' }).click();
  const diff = page.getByRole('table', { name: '版本差异' });
  await expect(diff).toContainText('queue.categories[social-security].name.zh-CN');
  await expect(diff).toContainText('社保医保（新）');
  await expect(diff).toContainText('queue.categories[social-security].windows');

  // Roll back to version 1: saved as version 3, applied at once.
  await page.locator('tr[data-version="1"]').getByRole('button', { name: '回滚到此版本' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已回滚' })).toContainText('版本 1 另存为版本 3');
  await expect(page.locator('tr[data-version="3"]')).toContainText('运行中');
  await citizen.reload();
  await openCategories(citizen);
  await expect(citizen.getByTestId('category-social-security').locator('.category-name')).toHaveText('社保医保');

  // Who did what is in the audit trail.
  await page.getByRole('tab', { name: '人员与审计' }).click();
  const audit = page.getByRole('table', { name: '审计日志' });
  await expect(audit).toContainText('config.rollback');
  await expect(audit).toContainText('config.save');
  await expect(audit).toContainText('auth.sign-in');
});

test('importing a catalog with bad rows lists every bad row and imports nothing', async ({ page, host }) => {
  const catalog = JSON.parse(readFileSync(path.resolve('kiosk-config/catalog/items.json'), 'utf8')) as { items: Record<string, unknown>[] };
  const bad1 = catalog.items[1]!['id'] as string;
  const bad2 = catalog.items[4]!['id'] as string;
  catalog.items[1]!['phone'] = 'call us';
  catalog.items[4]!['legalTimeLimitDays'] = -3;
  catalog.items[6]!['id'] = catalog.items[0]!['id'];

  await page.goto(host.launchUrl);
  await signIn(page, 'manager', MANAGER_PIN);
  await page.getByRole('tab', { name: '事项目录' }).click();
  await page.getByLabel('导入目录').setInputFiles({ name: 'catalog.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(catalog)) });
  const report = page.getByRole('region', { name: '校验报告' });
  await expect(report).toContainText('3 行有误，未导入');
  await expect(report).toContainText(`Item 2 (${bad1}): phone`);
  await expect(report).toContainText(`Item 5 (${bad2}): legalTimeLimitDays`);
  await expect(report).toContainText('is already used by item 1');

  // CSV export downloads a file that imports back cleanly.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
  const csvPath = await download.path();
  expect(download.suggestedFilename()).toMatch(/^catalog-.*\.csv$/);
  await page.getByLabel('导入目录').setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: readFileSync(csvPath!) });
  await expect(page.locator('.staff-catalog .staff-ok')).toContainText(`已导入 ${catalog.items.length} 个事项`);
});

test('a paper-end fault from the simulator panel shows on the device board and in /healthz', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByTestId('sim-toggle').click();
  await page.getByTestId('sim-fault-paper-end').click();
  await page.getByTestId('sim-toggle').click();

  await signIn(page, 'technician', TECHNICIAN_PIN);
  const printer = page.locator('[data-device="receiptPrinter"]');
  await expect(printer).toHaveAttribute('data-state', 'error', { timeout: 15_000 });
  await expect(printer.locator('.staff-last-error')).toContainText('PRINTER_PAPER_END');
  await expect(page.locator('.staff-selfcheck')).toHaveAttribute('data-status', 'degraded');

  const health = await (await fetch(`${host.url}/healthz`)).json();
  expect(health.status).toBe('degraded');
  const p = health.devices.find((d: { id: string }) => d.id === 'receiptPrinter');
  expect(p.state).toBe('error');
  expect(p.lastError.code).toBe('PRINTER_PAPER_END');

  // The technician's status query reports the same fault.
  await printer.getByRole('button', { name: '查询打印机状态' }).click();
  // The status answer is listed field by field, in Chinese (缺纸：是), not as raw JSON.
  await expect(printer.getByRole('status')).toContainText(/缺纸\s*是/);
  await expect(printer.getByRole('status')).not.toContainText('{');
});

test('the diagnostic bundle holds no name or ID number of the simulated cards, after a real card read', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByTestId('sim-toggle').click();
  const first = SAMPLE_IDENTITIES[0]!;
  await page.getByTestId(`sim-card-${first.id}`).click();
  await expect(page.getByTestId('card-reminder').or(page.locator('[data-screen="identified"]'))).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('sim-toggle').click();

  await signIn(page, 'technician', TECHNICIAN_PIN);
  const reader = page.locator('[data-device="idCard"]');
  await expect(reader).toHaveAttribute('data-state', /ok|warning/);
  // The technician's read test shows the card masked.
  await reader.getByRole('button', { name: '读卡测试' }).click();
  await expect(reader.getByRole('status')).toBeVisible({ timeout: 20_000 });
  await expect(reader.getByRole('status')).not.toContainText(first.card.idNumber);
  await expect(reader.getByRole('status')).not.toContainText(first.card.name);

  // The logs viewer is redacted as well.
  await page.getByRole('tab', { name: '日志' }).click();
  await page.getByLabel('级别').selectOption('debug');
  await expect(page.getByRole('table', { name: '日志' })).toContainText('kiosk services started');
  expect(await page.getByRole('table', { name: '日志' }).innerText()).not.toContain(first.card.idNumber);

  await page.getByRole('tab', { name: '设备', exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出诊断包' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^kiosk-diag-.*\.tar\.gz$/);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-bundle-'));
  try {
    execFileSync('tar', ['-xzf', (await download.path())!], { cwd: dir });
    const texts: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = path.join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else texts.push(readFileSync(p, 'utf8'));
      }
    };
    walk(dir);
    expect(texts.length).toBe(7);
    const all = texts.join('\n');
    expect(all).toContain('"receiptPrinter"');
    expect(all).toContain('ID card'); // the card read left log lines: the scan below is not vacuous
    let checked = 0;
    for (const s of SAMPLE_IDENTITIES) {
      const card = s.card as unknown as Record<string, unknown>;
      for (const key of ['name', 'chineseName', 'englishName', 'idNumber', 'passNumber', 'address']) {
        const value = card[key];
        if (typeof value !== 'string' || value.length < 2) continue;
        expect(all, `${s.id}.${key}`).not.toContain(value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(SAMPLE_IDENTITIES.length * 2);
    // No tokens of the sample hall's LAN API either.
    expect(all).not.toContain('sample-counter-token-0001');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('staff.html on the LAN: a manager signs in over /staff/bridge and reads the live hall; citizen requests are refused there', async ({ page }, testInfo) => {
  const { createServer } = await import('node:net');
  const { startHost, attachOnFailure } = await import('./harness.js');
  const lanPort = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const host = await startHost(['--lan-port', String(lanPort)]);
  try {
    const lan = `http://127.0.0.1:${lanPort}`;
    // The kiosk page itself is not served on the LAN.
    expect((await fetch(`${lan}/index.html`)).status).toBe(404);
    await page.goto(`${lan}/staff.html`);
    await page.getByRole('radio', { name: '大厅管理员' }).click();
    await page.getByLabel('PIN').fill(MANAGER_PIN);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.locator('.staff-console')).toHaveAttribute('data-role', 'manager');
    await page.getByRole('tab', { name: '实时大厅' }).click();
    await expect(page.locator('.staff-console')).toContainText('社保医保');
    // A citizen or simulator request over the LAN staff bridge is refused by the host, whoever is signed in.
    const refused = await page.evaluate(async (url) => {
      return new Promise<unknown>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => ws.send(JSON.stringify({ t: 'req', id: 1, name: 'sim.placeCard', input: { identityId: 'gz-resident-adult' } }));
        ws.onmessage = (e) => resolve(JSON.parse(String(e.data)));
      });
    }, `${lan.replace('http', 'ws')}/staff/bridge`);
    expect(refused).toMatchObject({ t: 'res', id: 1, result: { ok: false, error: { code: 'AUTH_FORBIDDEN' } } });
  } finally {
    await attachOnFailure(testInfo, host, page);
    await host.stop();
  }
});
