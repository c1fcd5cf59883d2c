import type { Page } from '@playwright/test';
import { allDayTest, expect } from './harness.js';

/** 预约签到 end to end: the simulator's bookings for today, checked in by scanning the code or by the ID card. */
const test = allDayTest;

async function simClick(page: Page, testId: string | RegExp): Promise<void> {
  await page.getByTestId('sim-toggle').click();
  await page.getByTestId(testId).first().click();
  await page.getByTestId('sim-toggle').click();
}

async function lastReceipt(page: Page): Promise<string> {
  await page.getByTestId('sim-toggle').click();
  const text = (await page.getByTestId('sim-receipt').first().locator('pre').textContent()) ?? '';
  await page.getByTestId('sim-toggle').click();
  return text;
}

test('scanning a booking code checks in and prints a priority appointment ticket; a second scan does not issue twice', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
  await page.getByTestId('tile-checkin').click();
  await simClick(page, /^sim-scan-AP-\d{8}-0001$/);
  const number = page.getByTestId('ticket-number');
  await expect(number).toHaveText(/^A\d{3}$/);
  const first = await number.textContent();
  await expect.poll(() => lastReceipt(page)).toContain(first!);
  const receipt = await lastReceipt(page);
  expect(receipt).toContain('预约签到凭条');
  expect(receipt).toMatch(/优先: 预约/);

  // The same code again: the same ticket, marked as already checked in; nothing new is numbered.
  await page.getByRole('button', { name: '完成' }).click();
  await page.getByTestId('tile-checkin').click();
  await simClick(page, /^sim-scan-AP-\d{8}-0001$/);
  await expect(page.getByTestId('ticket-number')).toHaveText(first!);
});

test('a booking outside its check-in window is refused with a sentence, not a code', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
  await page.getByTestId('tile-checkin').click();
  await simClick(page, /^sim-scan-AP-\d{8}-0003$/);
  const refused = page.locator('section[data-flow-state="refused"]');
  await expect(refused).toBeVisible();
  await expect(refused).not.toContainText('QUEUE_');
});

test('the elderly sample card checks in by ID card', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
  await page.getByTestId('tile-checkin').click();
  await simClick(page, 'sim-card-gz-resident-elderly');
  await expect(page.getByTestId('ticket-number')).toHaveText(/^A\d{3}$/);
});
