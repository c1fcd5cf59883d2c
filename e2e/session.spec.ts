import type { Page } from '@playwright/test';
import { allDayConfig, allDayTest, attachOnFailure, expect, simPanel, startHost } from './harness.js';

/**
 * Issue 10, end to end in Chromium against the browser host on simulators. The card events come from the reader:
 * the simulator panel's place/remove buttons send `sim.placeCard` / `sim.removeCard` to the device-side simulator,
 * which the real GA/T 467 driver polls; nothing here tells the UI a card was read or removed.
 */
const test = allDayTest;


async function start(page: Page): Promise<void> {
  await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
  await expect(page.getByTestId('tile-ticket')).toBeVisible();
}

test('a reload after identification starts with no identity: the next person is asked for a card and gets no priority', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await start(page);
  await page.getByTestId('tile-ticket').click();
  await simPanel(page, 'sim-card-gz-resident-elderly');
  await expect(page.getByTestId('masked-name')).toHaveText('李*芳');

  await page.reload();
  await expect(page.locator('.kiosk[data-screen="attract"]')).toBeVisible();
  // The card still lies on the reader, but it is no longer anybody's identity on this page.
  await expect(page.getByTestId('card-reminder')).toHaveText('请取回身份证');
  await start(page);
  await expect(page.getByTestId('identity-chip')).toHaveCount(0);
  await page.getByTestId('tile-ticket').click();
  await expect(page.locator('section[data-flow-state="identify"]')).toBeVisible();
  await page.getByTestId('without-id').click();
  await page.getByTestId('category-social-security').click();
  await expect(page.locator('section[data-flow-state="priority"]')).toBeVisible();
  await expect(page.getByTestId('elderly-priority')).toHaveCount(0);
  await page.getByTestId('take-ticket').click();
  await expect(page.getByTestId('ticket-number')).toHaveText(/^A\d{3}$/);
});

test('removing the card ends the identity: after the ticket and 完成, home names nobody and 取号 issues an anonymous ticket', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await start(page);
  await simPanel(page, 'sim-card-gz-resident-elderly');
  await page.getByTestId('confirm-identity').click();
  await expect(page.getByTestId('identity-chip')).toContainText('李*芳');
  await page.getByTestId('tile-ticket').click();
  await page.getByTestId('category-social-security').click();
  await expect(page.getByTestId('elderly-priority')).toBeVisible();
  await page.getByTestId('take-ticket').click();
  await expect(page.getByTestId('ticket-printed')).toBeVisible();
  // The final screen reminds the citizen while the card is still on the reader.
  await expect(page.getByTestId('card-reminder')).toHaveText('请取回身份证');

  await simPanel(page, 'sim-card-remove');
  await expect(page.getByTestId('card-reminder')).toHaveCount(0);
  await page.getByTestId('ticket-done').click();
  await expect(page.locator('.kiosk[data-screen="home"]')).toBeVisible();
  await expect(page.getByTestId('identity-chip')).toHaveCount(0);

  await page.getByTestId('tile-ticket').click();
  await expect(page.locator('section[data-flow-state="identify"]')).toBeVisible();
  await page.getByTestId('without-id').click();
  await page.getByTestId('category-social-security').click();
  await expect(page.getByTestId('elderly-priority')).toHaveCount(0);
  await page.getByTestId('take-ticket').click();
  await expect(page.getByTestId('ticket-printed')).toBeVisible();
  await expect(page.getByTestId('ticket-number')).toHaveText(/^A\d{3}$/);
});

test('a card left on the reader for more than 3 s after its read keeps the identity', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await start(page);
  await simPanel(page, 'sim-card-gz-resident-adult');
  await page.getByTestId('confirm-identity').click();
  await expect(page.getByTestId('identity-chip')).toContainText('张*明');
  await page.waitForTimeout(3500);
  await expect(page.getByTestId('identity-chip')).toContainText('张*明');
  await expect(page.getByTestId('card-reminder')).toBeVisible();
  await page.getByTestId('tile-ticket').click();
  await expect(page.locator('section[data-flow-state="categories"]')).toBeVisible();
});

test('printer out of paper: home says so before the citizen starts, and the number is shown on screen instead of printed', async ({ page, host }, testInfo) => {
  await page.goto(host.launchUrl);
  await simPanel(page, 'sim-fault-paper-end');
  await start(page);
  await expect(page.getByTestId('printer-down')).toContainText('小票打印机缺纸');
  await expect(page.getByTestId('printer-down')).toContainText('请记下或拍照');
  await testInfo.attach('home-printer-down', { body: await page.screenshot(), contentType: 'image/png' });
  await page.getByTestId('tile-ticket').click();
  await page.getByTestId('without-id').click();
  await expect(page.getByTestId('printer-down-note')).toBeVisible();
  await page.getByTestId('category-social-security').click();
  await page.getByTestId('take-ticket').click();
  await expect(page.locator('section[data-flow-state="screenTicket"]')).toBeVisible();
  await expect(page.locator('section[data-flow-state="screenTicket"]').getByTestId('ticket-number')).toHaveText(/^A\d{3}$/);
  await testInfo.attach('screen-ticket', { body: await page.screenshot(), contentType: 'image/png' });
  await expect(page.getByText('号已取到，但小票没有打印出来')).toHaveCount(0);
});

test('an unplugged ticket printer is named as such on home, never as a network fault', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await simPanel(page, 'sim-unplug-receiptPrinter');
  await start(page);
  await expect(page.getByTestId('printer-down')).toContainText('小票打印机未连接');
  await expect(page.getByText('终端连接中断')).toHaveCount(0);
});

test('check-in without a booking offers 取号 right there', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await start(page);
  await page.getByTestId('tile-checkin').click();
  await page.getByTestId('sim-toggle').click();
  await page.getByTestId('sim-scan-input').fill('AP-20991231-9999');
  await page.getByTestId('sim-scan').click();
  await page.getByTestId('sim-toggle').click();
  await expect(page.getByTestId('checkin-not-found')).toBeVisible();
  await page.getByTestId('checkin-take-ticket').click();
  await expect(page.locator('.kiosk[data-screen="ticket"]')).toBeVisible();
  await expect(page.locator('section[data-flow-state="identify"]')).toBeVisible();
});

test('呼叫帮办 shows a reference number and can be cancelled', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await start(page);
  await page.getByTestId('tile-help').click();
  await expect(page.getByTestId('help-reference')).toHaveText(/求助编号：\d+/);
  await page.getByTestId('help-cancel').click();
  await expect(page.getByTestId('help-cancelled')).toBeVisible();
});

test('after hours the attract screen says the hall is closed and when it opens next, in hall time', async ({ page }, testInfo) => {
  // A one-hour opening period about twelve hours from now (hall time +08:00): closed whenever the test runs.
  const hallHour = (new Date().getUTCHours() + 8) % 24;
  let openHour = (hallHour + 12) % 24;
  if (openHour === 23) openHour = 22;
  const hh = (n: number) => `${String(n).padStart(2, '0')}:00`;
  const config = allDayConfig((c) => {
    // Not the demo's "open all day" (kiosk-config/demo.ts): this hall keeps its configured hours.
    (c as { demoOpenAllDay: boolean }).demoOpenAllDay = false;
    (c as { openingHours: unknown }).openingHours = { weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], open: hh(openHour), close: hh(openHour + 1) }], holidays: [] };
  });
  const host = await startHost(['--config', config]);
  try {
    await page.goto(host.launchUrl);
    await expect(page.getByTestId('hall-closed')).toContainText('本大厅现在不办公');
    await expect(page.getByTestId('hall-opens-next')).toHaveText(`下次办公：${openHour > hallHour ? '今天' : '明天'} ${hh(openHour)}`);
  } finally {
    await attachOnFailure(testInfo, host, page);
    await host.stop();
  }
});
