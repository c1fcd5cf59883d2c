import { test } from '@playwright/test';
import { createServer } from 'node:net';
import { allDayConfig, attachOnFailure, expect, startHost, type KioskHost } from './harness.js';

/**
 * Two hosts: the hall's queue host, and a second kiosk configured as its client. The client takes tickets from the
 * queue host over the LAN API; when the queue host goes away it says 取号暂不可用 and refuses to issue, and it
 * recovers by itself when the queue host is back.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('a client kiosk shows 取号暂不可用 while the queue host is down, and recovers by itself', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const lanPort = await freePort();
  const hostConfig = allDayConfig((c) => {
    (c.network as { apiTokens: unknown[] }).apiTokens.push({ deviceId: 'kiosk-02', role: 'kiosk', token: 'e2e-kiosk-two-token' });
  });
  let queueHost: KioskHost = await startHost(['--config', hostConfig, '--lan-port', String(lanPort)]);
  const clientConfig = allDayConfig((c) => {
    (c.kiosk as { id: string }).id = 'kiosk-02';
    (c.network as Record<string, unknown>).queue = { role: 'client', url: `http://127.0.0.1:${lanPort}`, token: 'e2e-kiosk-two-token' };
  });
  const client = await startHost(['--config', clientConfig]);
  try {
    await page.goto(client.launchUrl);
    await page.getByRole('button', { name: '轻触屏幕开始办理' }).click();
    await expect(page.getByTestId('queue-unavailable')).toBeHidden();

    await queueHost.stop();
    await expect(page.getByTestId('queue-unavailable')).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('tile-ticket')).toHaveAttribute('aria-disabled', 'true');
    await page.getByTestId('tile-ticket').click({ force: true }); // a touch on the disabled tile does nothing
    await expect(page.getByTestId('tile-guide')).toBeVisible(); // still on the home screen

    queueHost = await startHost(['--config', hostConfig, '--lan-port', String(lanPort)]);
    await expect(page.getByTestId('queue-unavailable')).toBeHidden({ timeout: 15_000 });
    await page.getByTestId('tile-ticket').click();
    await expect(page.locator('section[data-flow-state]').first()).toBeVisible();
  } finally {
    await attachOnFailure(testInfo, client, page);
    await client.stop();
    await queueHost.stop();
  }
});
