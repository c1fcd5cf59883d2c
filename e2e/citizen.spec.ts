import type { Page } from '@playwright/test';
import { allDayTest, expect, simPanel } from './harness.js';

/** Citizen flows end to end: browser host on simulators, a hall that issues tickets all day. */
const test = allDayTest;



async function lastReceiptText(page: Page): Promise<string> {
  await page.getByTestId('sim-toggle').click();
  const receipt = page.getByTestId('sim-receipt').first();
  await expect(receipt).toBeVisible();
  const text = (await receipt.locator('pre').textContent()) ?? '';
  await page.getByTestId('sim-toggle').click();
  return text;
}

test('card on the reader → confirm → category → the ticket is printed without name or ID number', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
  await page.getByTestId('tile-ticket').click();
  await expect(page.locator('section[data-flow-state="identify"]')).toBeVisible();
  await simPanel(page, 'sim-card-gz-resident-adult');
  await expect(page.getByTestId('masked-name')).toHaveText('张*明');
  await expect(page.getByTestId('masked-id')).not.toContainText('199003070017');
  await page.getByTestId('confirm-identity').click();
  await page.getByTestId('category-social-security').click();
  await page.getByTestId('take-ticket').click();
  await expect(page.getByTestId('ticket-printed')).toBeVisible();
  await expect(page.getByTestId('ticket-number')).toHaveText('A001');
  // Nobody waits ahead of A001: the screen says so instead of "约 0 分钟".
  await expect(page.locator('.ticket-facts')).toContainText('无需等待');
  await expect(page.locator('.ticket-facts')).not.toContainText('0 分钟');

  const text = await lastReceiptText(page);
  expect(text).toContain('A001');
  expect(text).toContain('社保医保');
  expect(text).toContain('从化区政务服务中心');
  expect(text).toMatch(/前面等候\s+0 人/);
  expect(text).not.toContain('张三明');
  expect(text).not.toContain('张*明');
  expect(text).not.toContain('440104199003070017');
});
