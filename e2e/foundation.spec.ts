import { allDayConfig, expect, startHost, test } from './harness.js';

test('the attract screen shows the sample hall and /healthz answers', async ({ page, host }) => {
  const health = await (await fetch(`${host.url}/healthz`)).json();
  expect(health.host).toBe('browser');
  expect(health.config.hall).toBe('conghua-center');
  expect(health.simulation).toBe(true);
  expect(health.mode).toBe('demo');
  expect(health.lan).toMatchObject({ state: 'off' });
  // The reader really in use: the simulator's link, with bytes both ways and a last good answer.
  const reader = health.devices.find((d: { id: string }) => d.id === 'idCard');
  expect(reader).toMatchObject({ simulated: true, link: { kind: 'simulator', open: true } });
  expect(reader.link.bytesIn).toBeGreaterThan(0);
  expect(reader.link.lastGoodAt).toBeGreaterThan(0);
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
  await expect(page.getByRole('button', { name: '輕觸屏幕開始辦理' })).toBeVisible();
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

test('npm start refuses a bad config with one sentence per wrong field, and bad options with one line', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-badcfg-'));
  const cfg = JSON.parse(readFileSync('kiosk-config/halls/village-station.json', 'utf8'));
  cfg.hall.name['zh-CN'] = '钱岗村服务点';
  cfg.queue.categories[0].prefix = 'AA';
  const file = path.join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify(cfg));
  const r = spawnSync(process.execPath, ['dist/main/start.js', '--config', file, '--no-window', '--data-dir', dir], { encoding: 'utf8' });
  expect(r.status).toBe(3);
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(/hall\.name\.zh-CN: must end with 便民服务站/);
  expect(r.stderr).toMatch(/queue\.categories\[0\]\.prefix: must be one capital letter A-Z/);
  const u = spawnSync(process.execPath, ['dist/main/start.js', '--port', 'x'], { encoding: 'utf8' });
  expect(u.status).toBe(2);
  expect(u.stderr.trim().split('\n')).toHaveLength(1);
});

test('a package without a hall config starts in provisioning: a screen for the technician, no demo, no LAN API', async ({ page }) => {
  const host = await startHost([], { KIOSK_INSTALL: 'packaged' });
  try {
    const health = await (await fetch(`${host.url}/healthz`)).json();
    expect(health).toMatchObject({ mode: 'provisioning', simulation: false, status: 'degraded', lan: { state: 'provisioning' } });
    await page.goto(host.launchUrl);
    await expect(page.getByTestId('provisioning')).toContainText('npm run diag -- provision');
    await expect(page.getByTestId('sim-toggle')).toHaveCount(0);
    expect(host.output()).toMatch(/mode provisioning/);
  } finally {
    await host.stop();
  }
});

test('an installation on the sample tokens runs the kiosk but refuses the LAN API with one sentence', async ({ page }) => {
  const { spawn } = await import('node:child_process');
  const net = await import('node:net');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const config = allDayConfig((c) => {
    c.demo = false;
  });
  const free = net.createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
  const lanPort = (free.address() as { port: number }).port;
  await new Promise<void>((r) => free.close(() => r()));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-install-'));
  const child = spawn(process.execPath, ['dist/main/start.js', '--no-window', '--port', '0', '--lan-port', String(lanPort), '--data-dir', dataDir, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  try {
    await expect.poll(() => /kiosk page URL \(with its per-launch secret\) in (\S+);/.exec(out)?.[1], { timeout: 20_000 }).toBeTruthy();
    const launchUrl = readFileSync(/kiosk page URL \(with its per-launch secret\) in (\S+);/.exec(out)![1]!, 'utf8').trim();
    expect(out).toMatch(/The hall LAN API is not started: network\.apiTokens .* sample tokens .*provision/);
    const health = await (await fetch(`${new URL(launchUrl).origin}/healthz`)).json();
    expect(health).toMatchObject({ mode: 'installation', lan: { state: 'refused' } });
    expect(health.lan.reason).toContain('network.apiTokens');
    await expect(fetch(`http://127.0.0.1:${lanPort}/api/v1/queue`)).rejects.toThrow();
    // The kiosk itself runs, without the simulator panel.
    await page.goto(launchUrl);
    await expect(page.locator('.attract-hall')).toHaveText('从化区政务服务中心');
    await expect(page.getByTestId('sim-toggle')).toHaveCount(0);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
