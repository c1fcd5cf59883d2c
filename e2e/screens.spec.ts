import { test as base, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allDayConfig, attachOnFailure, expect, startHost, type KioskHost } from './harness.js';

/**
 * Every citizen screen in portrait (1080x1920) and landscape (1920x1080): a screenshot into artifacts/screens/ and an
 * axe-core scan (WCAG 2 A/AA rules) with no violations. The simulator panel (simulation mode only) is excluded.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shots = path.join(root, 'artifacts', 'screens');
const axePath = path.join(root, 'node_modules', 'axe-core', 'axe.min.js');

const test = base.extend<{ host: KioskHost }>({
  host: async ({ page }, use, testInfo) => {
    const host = await startHost(['--config', allDayConfig()]);
    await use(host);
    await attachOnFailure(testInfo, host, page);
    await host.stop();
  },
});

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

async function check(page: Page, testInfo: TestInfo, orientation: string, name: string): Promise<void> {
  await page.waitForTimeout(150); // let the screen settle (spinners, images)
  mkdirSync(shots, { recursive: true });
  const file = path.join(shots, `${orientation}-${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(`${orientation}-${name}`, { path: file, contentType: 'image/png' });
  // The kiosk's CSP forbids inline scripts (so addScriptTag fails); evaluate runs outside the page's CSP.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(axePath, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run({ exclude: [['.sim-root']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations;
  });
  const summary = (violations as AxeViolation[]).map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `${orientation} ${name}`).toEqual([]);
  // Touch targets: every button of the screen is at least 44 px each way.
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('.kiosk button:not(.sim-root button)')]
      .filter((b) => !b.closest('.sim-root'))
      .map((b) => ({ text: (b.textContent ?? '').slice(0, 20), r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
      .map(({ text, r }) => `${text} ${Math.round(r.width)}x${Math.round(r.height)}`),
  );
  expect(small, `${orientation} ${name} targets`).toEqual([]);
}

async function sim(page: Page, testId: string) {
  await page.getByTestId('sim-toggle').click();
  await page.getByTestId(testId).click();
  await page.getByTestId('sim-toggle').click();
}

for (const [orientation, viewport] of [
  ['portrait', { width: 1080, height: 1920 }],
  ['landscape', { width: 1920, height: 1080 }],
] as const) {
  test(`every screen in ${orientation}: screenshot and axe scan`, async ({ page, host }, testInfo) => {
    test.setTimeout(180_000);
    await page.setViewportSize(viewport);
    await page.goto(host.launchUrl);
    await expect(page.locator('.attract')).toBeVisible();
    await check(page, testInfo, orientation, '01-attract');
    await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
    await check(page, testInfo, orientation, '02-home');

    await page.getByTestId('tile-ticket').click();
    await check(page, testInfo, orientation, '03-ticket-identify');
    await sim(page, 'sim-card-gz-resident-elderly');
    await expect(page.getByTestId('masked-name')).toBeVisible();
    await check(page, testInfo, orientation, '04-ticket-confirm');
    await page.getByTestId('confirm-identity').click();
    await expect(page.getByTestId('category-social-security')).toBeVisible();
    await check(page, testInfo, orientation, '05-ticket-categories');
    await page.getByTestId('category-social-security').click();
    await check(page, testInfo, orientation, '06-ticket-priority');
    await page.getByTestId('take-ticket').click();
    await expect(page.getByTestId('ticket-printed')).toBeVisible();
    await check(page, testInfo, orientation, '07-ticket-done');
    await page.getByTestId('ticket-done').click();

    await page.getByTestId('tile-ticket').click();
    await page.getByTestId('category-housing-fund').click();
    await sim(page, 'sim-fault-paper-end');
    await page.getByTestId('take-ticket').click();
    await expect(page.getByTestId('retry-print')).toBeVisible();
    await check(page, testInfo, orientation, '08-ticket-print-failed');
    await sim(page, 'sim-fault-none');
    await page.getByTestId('ticket-done').click();

    await page.getByTestId('tile-checkin').click();
    await check(page, testInfo, orientation, '09-checkin');
    await page.getByRole('button', { name: '返回' }).first().click();

    await page.getByTestId('tile-guide').click();
    await expect(page.locator('.group').first()).toBeVisible();
    await check(page, testInfo, orientation, '10-guide-browse');
    await page.getByTestId('guide-search').click();
    for (const k of 'SBK') await page.getByTestId(`key-${k}`).click();
    await expect(page.locator('.item-list .item').first()).toBeVisible();
    await check(page, testInfo, orientation, '11-guide-search');
    await page.locator('.item-list .item').first().click();
    await expect(page.getByTestId('item-detail')).toBeVisible();
    await check(page, testInfo, orientation, '12-guide-item');
    await page.getByTestId('help-button').click();
    await expect(page.getByTestId('help-sent')).toBeVisible();
    await check(page, testInfo, orientation, '13-help');
    await page.getByRole('button', { name: '返回首页' }).click();

    await page.getByTestId('tile-print').click();
    await check(page, testInfo, orientation, '14-print-list');
    await page.getByTestId('doc-form:sb-card-application').click();
    await expect(page.getByTestId('preview-pages').locator('img').first()).toBeVisible({ timeout: 20_000 });
    await check(page, testInfo, orientation, '15-print-preview');
    await page.getByRole('button', { name: '返回' }).first().click();
    await page.getByRole('button', { name: '返回' }).first().click();

    await page.getByTestId('tile-rating').click();
    await check(page, testInfo, orientation, '16-rating');
    await page.getByRole('button', { name: '返回' }).first().click();

    await page.getByRole('button', { name: '长者模式' }).click();
    await check(page, testInfo, orientation, '17-home-elderly');
    await page.getByRole('button', { name: 'English' }).click();
    await check(page, testInfo, orientation, '18-home-english');
    await page.getByRole('button', { name: '繁體中文' }).click();
    await page.getByTestId('tile-ticket').click();
    await expect(page.getByTestId('category-social-security')).toBeVisible();
    await check(page, testInfo, orientation, '19-categories-elderly-zh-TW');
  });
}
