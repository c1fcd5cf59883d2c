import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { allDayConfig, attachOnFailure, freePort, startHost, startLanHost, type KioskHost } from './harness.js';

/**
 * The queue host as an installer and a citizen meet it (issues #9 and #10): the kiosk URL file instead of a secret
 * on stdout, a config save that keeps the hall display live, a host that stops after a bad upgrade, and the ticket
 * follow page on a phone.
 */

const MANAGER_TOKEN = 'sample-manager-token-0001';
const DISPLAY_TOKEN = 'sample-display-token-0001';
const MANAGER_PIN = '246810';

async function api<T>(lan: string, method: 'GET' | 'POST', p: string, body?: unknown, token = MANAGER_TOKEN): Promise<T> {
  const res = await fetch(lan + p, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!json.ok) throw new Error(`${method} ${p}: ${json.error?.code} ${json.error?.message}`);
  return json.value as T;
}

/** The staff bridge staff.html uses (/staff/bridge on the LAN port, same-origin only), from the test. */
async function staffBridge(lan: string): Promise<{ call<T>(name: string, input?: unknown): Promise<T>; close(): void }> {
  const ws = new WebSocket(`${lan.replace('http', 'ws')}/staff/bridge`, { origin: lan });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const pending = new Map<number, (r: { ok: boolean; value?: unknown; error?: { code: string; message: string } }) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { t: string; id: number; result: { ok: boolean } };
    if (m.t === 'res') pending.get(m.id)?.(m.result);
  });
  return {
    call: async <T,>(name: string, input: unknown = {}) => {
      const n = ++id;
      const r = await new Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>((resolve) => {
        pending.set(n, resolve);
        ws.send(JSON.stringify({ t: 'req', id: n, name, input }));
      });
      if (!r.ok) throw new Error(`${name}: ${r.error?.code} ${r.error?.message}`);
      return r.value as T;
    },
    close: () => ws.close(),
  };
}

test.describe('the kiosk URL never reaches stdout', () => {
  let host: KioskHost;
  test.afterEach(async ({ page }, testInfo) => {
    if (host) {
      await attachOnFailure(testInfo, host, page);
      await host.stop();
    }
  });

  test('--no-window writes the URL to a 0600 file in the data dir, prints only its path, and the URL opens the kiosk', async ({ page }) => {
    host = await startHost();
    const secret = new URL(host.launchUrl).hash.replace('#k=', '');
    expect(secret.length).toBeGreaterThanOrEqual(20);
    const file = path.join(host.dataDir, 'kiosk-url');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(host.launchUrl);
    expect(host.output()).toContain(file);
    expect(host.output()).not.toContain(secret);
    expect(host.output()).not.toContain('#k=');
    // nor does it reach the log file (the diagnostic bundle's source)
    expect(readFileSync(path.join(host.dataDir, 'logs', 'kiosk.log'), 'utf8')).not.toContain(secret);
    await page.goto(host.launchUrl);
    await expect(page.locator('.attract-hall, .attract h1').first()).toBeVisible();
    await expect(page.getByText('终端连接中断')).toHaveCount(0);
  });
});

test('SIGTERM stops the host after an upgrade to an unknown path on the LAN port', async () => {
  const lanPort = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-stop-'));
  const child = spawn(process.execPath, ['dist/main/start.js', '--no-window', '--port', '0', '--lan-port', String(lanPort), '--data-dir', dataDir, '--simulate'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  try {
    await expect.poll(() => out.includes('hall LAN API and pages on port'), { timeout: 20_000 }).toBe(true);
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect(lanPort, '127.0.0.1');
      let data = '';
      s.on('data', (d) => (data += String(d)));
      s.on('close', () => resolve(data));
      s.on('error', reject);
      s.write(`GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    // a second client holds an idle keep-alive connection while the host stops
    const idle = net.connect(lanPort, '127.0.0.1');
    idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    const code = await Promise.race([new Promise<number | null>((r) => child.once('exit', (c) => r(c))), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 8000))]);
    expect(code, out).toBe(0);
    idle.destroy();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.describe.serial('a live configuration change and the follow page', () => {
  let host: KioskHost;
  let lan: string;
  const publicBase = { url: '' };

  test.beforeAll(async () => {
    const lanPort = await freePort();
    publicBase.url = `http://127.0.0.1:${lanPort}/`;
    const config = allDayConfig((c) => {
      (c.network as Record<string, unknown>).publicBaseUrl = publicBase.url;
    });
    ({ host, lan } = await startLanHost(lanPort, config));
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('after a manager saves the configuration, a call still reaches the hall display', async ({ page }, testInfo) => {
    try {
      await page.goto(`${lan}/display.html#token=${DISPLAY_TOKEN}`);
      await expect(page.getByText('暂无叫号，请留意屏幕和广播')).toBeVisible();

      const staff = await staffBridge(lan);
      await staff.call('auth.signIn', { role: 'manager', pin: MANAGER_PIN });
      const current = await staff.call<{ config: Record<string, unknown> }>('config.current');
      await staff.call('config.save', { config: { ...current.config, name: `${String(current.config.name)} (saved)` }, comment: 'e2e: live save' });
      staff.close();

      const ticket = await api<{ number: string }>(lan, 'POST', '/api/v1/tickets', { categoryId: 'social-security' });
      await api(lan, 'POST', '/api/v1/counters/1/call-next', {});
      await expect(page.getByTestId('current-call')).toContainText(ticket.number);
      await expect(page.getByText('连接中断')).toHaveCount(0);
      // a display opened after the save connects too (before the fix: 503 until restart)
      const later = await page.context().newPage();
      await later.goto(`${lan}/display.html#token=${DISPLAY_TOKEN}`);
      await expect(later.getByTestId('current-call')).toContainText(ticket.number);
      await later.close();
    } finally {
      await attachOnFailure(testInfo, host, page);
    }
  });

  test('a phone follows its ticket at /t/<token>, is called, and rates the service', async ({ browser }, testInfo) => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await phone.newPage();
    try {
      const ticket = await api<{ number: string; token: string }>(lan, 'POST', '/api/v1/tickets', { categoryId: 'business' });
      await page.goto(`${lan}/t/${ticket.token}`);
      await expect(page.getByTestId('follow-number')).toHaveText(ticket.number);
      await expect(page.getByTestId('follow-status')).toContainText('等候叫号中');
      await expect(page.getByTestId('follow-wait')).not.toContainText('0 分钟');
      await expect(page.getByText('当日有效')).toBeVisible();
      // no identity on the page (the API sends none); nothing wider than the phone
      const text = await page.locator('body').innerText();
      expect(text).not.toMatch(/\d{17}[\dX]|张三明/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.getByRole('button', { name: '繁體' }).click();
      await expect(page.getByTestId('follow-status')).toContainText('等候叫號中');
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.getByTestId('follow-status')).toContainText('Waiting');
      await page.getByRole('button', { name: '简体' }).click();

      // called at a window: the page says where to go (after its next refresh; a reload is the same request)
      const win = '10';
      const called = await api<{ ticket: { number: string } | null }>(lan, 'POST', `/api/v1/counters/${win}/call-next`, {});
      expect(called.ticket?.number).toBe(ticket.number);
      await page.reload();
      await expect(page.getByTestId('follow-status')).toHaveText(`已叫号，请到 ${win} 号窗口`);

      await api(lan, 'POST', `/api/v1/counters/${win}/start`, {});
      await api(lan, 'POST', `/api/v1/counters/${win}/finish`, { outcome: 'completed' });
      await page.reload();
      await expect(page.getByTestId('follow-status')).toHaveText('办理完成');
      await page.getByLabel('不满意', { exact: true }).check();
      await page.getByRole('button', { name: '提交评价' }).click();
      await expect(page.getByText('请填写不满意的原因')).toBeVisible();
      await page.getByLabel('非常满意').check();
      await page.getByRole('button', { name: '提交评价' }).click();
      await expect(page.getByTestId('follow-thanks')).toHaveText('感谢您的评价');
      await page.reload();
      await expect(page.getByTestId('follow-thanks')).toBeVisible();
      await expect(page.getByTestId('follow-rating')).toHaveCount(0);

      // an unknown token: a plain "not found", the same as a malformed one
      await page.goto(`${lan}/t/NoSuchTicketToken0000`);
      await expect(page.getByTestId('follow-not-found')).toBeVisible();
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('phone', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
      await phone.close();
    }
  });

  test('the kiosk issues tickets whose QR code is the follow URL, and its scanner path accepts that URL', async () => {
    // the kiosk's own bridge on 127.0.0.1, as its page uses it (origin + per-launch secret)
    const secret = new URL(host.launchUrl).hash.replace('#k=', '');
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/bridge`, [`kiosk.${secret}`], { origin: host.url });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    let id = 0;
    const call = (name: string, input: unknown) =>
      new Promise<{ ok: boolean; value?: { qrPayload?: string; number?: string; ticketId?: number }; error?: { code: string } }>((resolve) => {
        const n = ++id;
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as { t: string; id: number; result: never };
          if (m.t === 'res' && m.id === n) resolve(m.result);
        });
        ws.send(JSON.stringify({ t: 'req', id: n, name, input }));
      });
    try {
      const taken = await call('ticket.take', { categoryId: 'housing-fund', requestId: 'e2e-follow-0001', lang: 'zh-CN' });
      expect(taken.ok, JSON.stringify(taken)).toBe(true);
      const base = publicBase.url.replace(/\/$/, '');
      expect(taken.value!.qrPayload).toMatch(new RegExp(`^${base.replace(/[.]/g, '\\.')}/t/[0-9A-Za-z_-]{20,}$`));
      // served at window 4, then scanned back at the kiosk (rating flow): the URL finds the ticket, so does HKT:
      await api(lan, 'POST', '/api/v1/counters/4/call-next', {});
      await api(lan, 'POST', '/api/v1/counters/4/start', {});
      await api(lan, 'POST', '/api/v1/counters/4/finish', { outcome: 'completed' });
      const byUrl = await call('rating.ticket', { ticket: { code: taken.value!.qrPayload } });
      expect(byUrl.ok && byUrl.value!.number).toBe(taken.value!.number);
      const token = taken.value!.qrPayload!.split('/t/')[1]!;
      const byCode = await call('rating.ticket', { ticket: { code: `HKT:${token}` } });
      expect(byCode.ok && byCode.value!.number).toBe(taken.value!.number);
      const notATicket = await call('rating.ticket', { ticket: { code: 'https://example.com/news' } });
      expect(notATicket.error?.code).toBe('QUEUE_TICKET_UNKNOWN');
    } finally {
      ws.close();
    }
  });
});
