import { expect, test } from './harness.js';

test('the attract screen shows the sample hall and /healthz answers', async ({ page, host }) => {
  const health = await (await fetch(`${host.url}/healthz`)).json();
  expect(health.host).toBe('browser');
  expect(health.config.hall).toBe('conghua-center');
  expect(health.simulation).toBe(true);
  expect(health.storage).toMatchObject({ status: 'ok' });
  expect(health.devices.map((d: { id: string }) => d.id)).toEqual(['idCard', 'scanner', 'receiptPrinter', 'callDisplay', 'a4Printer']);

  await page.goto(host.launchUrl);
  await expect(page.locator('.attract-hall')).toHaveText('从化区政务服务中心');
  await expect(page.getByRole('button', { name: '轻触屏幕开始办理' })).toBeVisible();
  // The secret is taken out of the address bar once read.
  expect(page.url()).not.toContain('#k=');
});

test('the bridge refuses a connection without the secret or from another origin', async ({ page, host }) => {
  await page.goto(`${host.url}/healthz`);
  const refused = await page.evaluate(async (origin) => {
    const tryOpen = (protocols: string[]) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`${origin.replace('http', 'ws')}/bridge`, protocols);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
    return [await tryOpen(['kiosk.wrong-secret']), await tryOpen([])];
  }, host.url);
  expect(refused).toEqual(['refused', 'refused']);
});

test('language switch and elderly mode are always reachable', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByRole('button', { name: '繁體中文' }).click();
  await expect(page.getByRole('button', { name: '輕觸螢幕開始辦理' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: 'Touch the screen to start' })).toBeVisible();
  await page.getByRole('button', { name: 'Senior mode' }).click();
  await expect(page.locator('.kiosk')).toHaveClass(/elderly/);
});

test('a card placed on the simulated reader travels driver → host → bridge → screen, masked', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  await page.getByTestId('sim-toggle').click();
  await page.getByTestId('sim-card-gz-resident-adult').click();
  // The real GA/T 467 driver polls the simulator over the in-memory link, parses the 1295-byte answer, and the
  // host sends only the masked view to the page.
  await expect(page.getByTestId('masked-name')).toHaveText('张*明');
  await expect(page.getByTestId('masked-id')).toHaveText(/^440104\*+17$/);
  const html = await page.content();
  expect(html).not.toContain('张三明');
  expect(html).not.toContain('440104199003070017');
  const health = await (await fetch(`${host.url}/healthz`)).json();
  expect(health.devices.find((d: { id: string }) => d.id === 'idCard').state).toBe('ok');
});
