import { test as base, type Page } from '@playwright/test';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allDayConfig, attachOnFailure, expect, startHost, type KioskHost } from './harness.js';

/** 办事指南, 材料打印, 评价, 呼叫帮办, idle reset, elderly mode and languages, through the browser host on simulators. */
const COUNTER_TOKEN = 'e2e-counter-token-0123456789';
const lanPort = 41000 + Math.floor(Math.random() * 2000);

const test = base.extend<{ host: KioskHost }>({
  host: async ({ page }, use, testInfo) => {
    const config = allDayConfig((c) => {
      c.network = { queue: { role: 'host' }, apiTokens: [{ deviceId: 'counter-e2e', role: 'counter', token: COUNTER_TOKEN }] };
      (c.kiosk as { idle: unknown }).idle = { timeoutSeconds: 30, elderlyTimeoutSeconds: 60, warningSeconds: 20 };
    });
    const host = await startHost(['--config', config, '--lan-port', String(lanPort + testInfo.workerIndex * 10 + testInfo.retry)]);
    await use(host);
    await attachOnFailure(testInfo, host, page);
    await host.stop();
  },
});

async function start(page: Page, host: KioskHost) {
  await page.goto(host.launchUrl);
  await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
}

async function sim(page: Page, testId: string) {
  await page.getByTestId('sim-toggle').click();
  await page.getByTestId(testId).click();
  await page.getByTestId('sim-toggle').click();
}

test('guide: search by pinyin initials on the keypad finds 社保卡, the item page has every element, the checklist prints', async ({ page, host }) => {
  await start(page, host);
  await page.getByTestId('tile-guide').click();
  await page.getByTestId('guide-search').click();
  for (const k of 'SBK') await page.getByTestId(`key-${k}`).click();
  await expect(page.getByTestId('search-query')).toHaveText('sbk');
  const first = page.locator('.item-list .item').first();
  await expect(first).toContainText('社会保障卡');
  await first.click();
  const detail = page.getByTestId('item-detail');
  for (const label of ['实施部门', '办件类型', '法定办结时限', '承诺办结时限', '收费标准', '办理地点', '咨询电话', '受理条件', '申请材料', '办理流程']) {
    await expect(detail).toContainText(label);
  }
  await expect(detail).toContainText('居民身份证');
  await page.getByTestId('print-checklist').click();
  await expect(page.getByTestId('checklist-printed')).toBeVisible();
  await page.getByTestId('sim-toggle').click();
  await expect(page.getByTestId('sim-receipt').first().locator('pre')).toContainText('材料清单');
});

test('guide: browse by life event (一件事)', async ({ page, host }) => {
  await start(page, host);
  await page.getByTestId('tile-guide').click();
  await page.getByRole('tab', { name: '一件事' }).click();
  await page.getByTestId('group-retirement').click();
  await expect(page.locator('.item-list')).toContainText('退休');
});

test('材料打印: preview, two copies, the CUPS job completes and cups-pdf writes a PDF', async ({ page, host }) => {
  const outDir = path.join(os.homedir(), 'PDF');
  const before = new Set(safeList(outDir));
  await start(page, host);
  await page.getByTestId('tile-print').click();
  await page.getByTestId('doc-form:sb-card-application').click();
  await expect(page.getByTestId('preview-pages').locator('img').first()).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: '增加一份' }).click();
  await expect(page.getByTestId('copies')).toHaveText('2');
  await page.getByTestId('print-a4').click();
  await expect(page.locator('section[data-flow-state="finished"]')).toHaveAttribute('data-job-state', 'completed', { timeout: 45_000 });
  await expect(page.getByTestId('print-result')).toContainText('已打印 2 份');
  await expect.poll(() => safeList(outDir).filter((f) => !before.has(f) && f.endsWith('.pdf')).length, { timeout: 15_000 }).toBeGreaterThan(0);
  const fresh = safeList(outDir).filter((f) => !before.has(f) && f.endsWith('.pdf'));
  expect(statSync(path.join(outDir, fresh[0]!)).size).toBeGreaterThan(1000);
});

test('评价: the ticket taken in this session is rated after service; 非常不满意 needs a reason; one rating per ticket', async ({ page, host }) => {
  await start(page, host);
  await page.getByTestId('tile-ticket').click();
  await page.getByTestId('without-id').click();
  await page.getByTestId('category-housing-fund').click();
  await page.getByTestId('take-ticket').click();
  await expect(page.getByTestId('ticket-number')).toHaveText('B001');
  await page.getByTestId('ticket-done').click();

  // Before service the ticket cannot be rated: explained in words.
  await page.getByTestId('tile-rating').click();
  await page.getByTestId('rate-ticket-B001').click();
  await expect(page.getByTestId('error-message')).toContainText('还没有办理完成');

  // Serve it at window 4 through the hall's LAN API.
  const api = `http://127.0.0.1:${lanPort}/api/v1/counters/4`;
  const headers = { authorization: `Bearer ${COUNTER_TOKEN}`, 'content-type': 'application/json' };
  for (const [step, body] of [['call-next', {}], ['start', {}], ['finish', { outcome: 'completed' }]] as const) {
    const r = await fetch(`${api}/${step}`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(r.status, step).toBe(200);
  }

  await page.getByRole('button', { name: '评价其他号码' }).click();
  await page.getByTestId('rate-ticket-B001').click();
  await page.getByTestId('level-1').click();
  await expect(page.getByTestId('submit-rating')).toBeDisabled();
  await page.getByTestId('reason-wait').click();
  await page.getByTestId('submit-rating').click();
  await expect(page.getByTestId('rating-thanks')).toContainText('整改');
  await page.getByRole('button', { name: '完成' }).click();

  await page.getByTestId('tile-rating').click();
  await page.getByTestId('rate-ticket-B001').click();
  await page.getByTestId('level-5').click();
  await expect(page.getByTestId('error-message')).toContainText('已经评价过');
});

test('呼叫帮办 raises a help request from any screen', async ({ page, host }) => {
  await start(page, host);
  await page.getByTestId('tile-guide').click();
  await page.getByTestId('help-button').click();
  await expect(page.getByTestId('help-sent')).toBeVisible();
});

test('idle reset: warning ≥ 20 s before, a touch extends, then every trace of the citizen is wiped', async ({ page, host }) => {
  await page.clock.install();
  await start(page, host);
  await page.getByTestId('tile-ticket').click();
  await sim(page, 'sim-card-gz-resident-elderly');
  await expect(page.getByTestId('masked-name')).toHaveText('李*芳');
  await page.getByTestId('confirm-identity').click();
  await page.getByTestId('category-social-security').click();
  await expect(page.getByTestId('elderly-priority')).toBeVisible();
  await page.getByTestId('take-ticket').click();
  await expect(page.getByTestId('ticket-number')).toHaveText('A001');

  // Idle 30 s, warning 20 s (test config): the warning shows after 10 s, and the reset does not come before 20 s more.
  await page.mouse.click(5, 300);
  await page.clock.runFor(10_500);
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await page.clock.runFor(19_000);
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await expect(page.getByTestId('ticket-number')).toBeVisible();
  await page.mouse.click(5, 300);
  await expect(page.getByTestId('idle-warning')).toBeHidden();

  await page.clock.runFor(31_000);
  await expect(page.locator('.attract')).toBeVisible();
  await expect(page.getByText('李*芳')).toHaveCount(0);
  await expect(page.getByText('A001')).toHaveCount(0);
  await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
  await expect(page.getByTestId('identity-chip')).toHaveCount(0);
  // The host forgot the identity too (session.end): 取号 asks for identification again instead of confirming 李*芳.
  await page.getByTestId('tile-ticket').click();
  await expect(page.getByTestId('without-id')).toBeVisible();
  await expect(page.getByTestId('masked-name')).toHaveCount(0);
  await page.getByTestId('nav-back').click();
  await page.getByTestId('tile-rating').click();
  await expect(page.locator('[data-testid^="rate-ticket-"]')).toHaveCount(0);
});

test('elderly mode: larger text and targets, voice state shown; every language', async ({ page, host }) => {
  await start(page, host);
  const size = () => page.locator('.tile-label').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  const normal = await size();
  await page.getByRole('button', { name: '长者模式' }).click();
  await expect(page.locator('.kiosk')).toHaveClass(/elderly/);
  expect(await size()).toBeGreaterThan(normal);
  const body = await page.locator('.tile-sub').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(body).toBeGreaterThanOrEqual(18);
  const h1 = await page.locator('h1').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(h1).toBeGreaterThanOrEqual(30);
  for (const b of await page.locator('.screen button').all()) {
    const box = (await b.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(60);
  }
  // Headless Chromium has no voices: the kiosk says so on screen and still shows the prompt as text.
  await expect(page.getByTestId('voice-unavailable')).toBeVisible();
  await expect(page.getByTestId('voice-prompt')).toHaveText('请选择要办理的事项');

  await page.getByRole('button', { name: '繁體中文' }).click();
  await expect(page.getByTestId('tile-ticket')).toContainText('取號');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('tile-ticket')).toContainText('Take a ticket');
  await page.getByTestId('tile-guide').click();
  await expect(page.getByRole('tab', { name: 'Life events' })).toBeVisible();
});

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
