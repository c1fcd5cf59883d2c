import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../browser-host/static.js';
import { FakeWebContents, fakeElectron, fakeEvent, type FakeWindow } from './fake-electron.js';
import { APP_ORIGIN, createKioskWindow, isBlockedShortcut, lockDownApp, registerAppScheme, serveRenderer } from './wiring.js';

/**
 * Each protection of the Electron host has a test here that goes red when that protection is removed
 * (build/checks/mutation-sweep.mjs removes them one at a time and checks).
 */
const production = { preloadPath: 'p', rendererDir: 'r', orientation: 'portrait' as const, development: false };

function kioskWindow(development = false) {
  const { electron } = fakeElectron();
  return createKioskWindow(electron, { ...production, development }) as unknown as FakeWindow;
}

describe('app:// scheme', () => {
  it('is registered standard and secure, supports fetch, and never bypasses the CSP', () => {
    const { electron, protocol } = fakeElectron();
    registerAppScheme(electron);
    expect(protocol.privileged).toHaveLength(1);
    const [scheme] = protocol.privileged;
    expect(scheme!.scheme).toBe('app');
    expect(scheme!.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(scheme!.privileges.bypassCSP).toBeFalsy();
  });

  describe('serving dist/renderer', () => {
    let base: string;
    let rendererDir: string;
    beforeAll(() => {
      base = mkdtempSync(path.join(tmpdir(), 'app-scheme-'));
      rendererDir = path.join(base, 'renderer');
      mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
      writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
      writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(path.join(base, 'secret.txt'), 'outside');
      // A sibling whose name starts with the renderer folder's name: a bare startsWith() check would let it through.
      mkdirSync(path.join(base, 'renderer-evil'));
      writeFileSync(path.join(base, 'renderer-evil', 'secret.txt'), 'outside');
    });
    afterAll(() => rmSync(base, { recursive: true, force: true }));

    function serve() {
      const fake = fakeElectron({ fetchFile: async (url) => new Response(readFileSync(fileURLToPath(url)), { status: 200, headers: { 'content-type': 'text/plain' } }) });
      serveRenderer(fake.electron, rendererDir);
      const handler = fake.protocol.handlers.get('app')!;
      return { get: (url: string) => handler(new Request(url)), fetched: fake.fetched };
    }

    it('serves the page and its assets with the kiosk CSP', async () => {
      const { get } = serve();
      for (const url of [`${APP_ORIGIN}/`, `${APP_ORIGIN}/index.html`, `${APP_ORIGIN}/assets/app.js`]) {
        const res = await get(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy(''));
      }
      expect(contentSecurityPolicy('')).toMatch(/script-src 'self'(;|$)/);
      expect(contentSecurityPolicy('')).toContain("object-src 'none'");
      expect(await (await get(`${APP_ORIGIN}/`)).text()).toContain('<title>kiosk</title>');
    });

    // The URL parser already resolves literal and %2e%2e dot segments; an encoded slash survives it and is decoded
    // afterwards, so these reach the handler as paths outside the folder.
    it.each([
      `${APP_ORIGIN}/..%2fsecret.txt`,
      `${APP_ORIGIN}/assets/..%2f..%2fsecret.txt`,
      `${APP_ORIGIN}/..%2frenderer-evil%2fsecret.txt`,
      `${APP_ORIGIN}/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
    ])('refuses %s, which escapes dist/renderer, without reading it', async (url) => {
      const { get, fetched } = serve();
      const res = await get(url);
      expect(res.status).toBe(403);
      expect(fetched).toEqual([]);
    });

    it('answers only the kiosk host', async () => {
      const { get, fetched } = serve();
      expect((await get('app://other/index.html')).status).toBe(404);
      expect(fetched).toEqual([]);
    });
  });
});

describe('app-wide lockdown', () => {
  it('removes the application menu (its accelerators work even in kiosk mode)', () => {
    const { electron, menus } = fakeElectron();
    lockDownApp(electron);
    expect(menus).toEqual([null]);
  });

  it('makes every new web contents refuse <webview>, window.open and foreign navigation', () => {
    const { electron, app } = fakeElectron();
    lockDownApp(electron);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', fakeEvent(), contents);
    const attach = fakeEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.prevented).toBe(true);
    expect(contents.windowOpenHandler!()).toEqual({ action: 'deny' });
    const nav = fakeEvent();
    contents.emit('will-navigate', nav, 'https://example.com/');
    expect(nav.prevented).toBe(true);
    const own = fakeEvent();
    contents.emit('will-navigate', own, `${APP_ORIGIN}/index.html`);
    expect(own.prevented).toBe(false);
  });
});

describe('kiosk window', () => {
  it('gives no Node to workers and subframes, no <webview> tag, and no navigation on drag and drop', () => {
    const prefs = kioskWindow().options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      sandbox: true,
      contextIsolation: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('denies attaching a <webview>', () => {
    const e = fakeEvent();
    kioskWindow().webContents.emit('will-attach-webview', e, {}, {});
    expect(e.prevented).toBe(true);
  });

  it('cancels redirects off the app:// origin and keeps its own', () => {
    const wc = kioskWindow().webContents;
    const away = fakeEvent();
    wc.emit('will-redirect', away, 'https://evil.example/');
    expect(away.prevented).toBe(true);
    const own = fakeEvent();
    wc.emit('will-redirect', own, `${APP_ORIGIN}/index.html`);
    expect(own.prevented).toBe(false);
  });

  it('cancels any frame navigating off the app:// origin (iframes do not raise will-navigate)', () => {
    const wc = kioskWindow().webContents;
    const sub = fakeEvent({ url: 'file:///etc/passwd', isMainFrame: false });
    wc.emit('will-frame-navigate', sub);
    expect(sub.prevented).toBe(true);
    const own = fakeEvent({ url: `${APP_ORIGIN}/index.html#x`, isMainFrame: true });
    wc.emit('will-frame-navigate', own);
    expect(own.prevented).toBe(false);
  });
});

describe('keyboard shortcuts', () => {
  const keys = { control: false, meta: false, shift: false, alt: false };
  function pressed(wc: FakeWebContents, input: Partial<typeof keys> & { key: string }): boolean {
    const e = fakeEvent();
    wc.emit('before-input-event', e, { ...keys, type: 'keyDown', ...input });
    return e.prevented;
  }

  it.each([
    ['F12 (DevTools)', { key: 'F12' }],
    ['F5 (reload)', { key: 'F5' }],
    ['F11 (leave full screen)', { key: 'F11' }],
    ['F3 (find)', { key: 'F3' }],
    ['Ctrl+W (close window)', { key: 'w', control: true }],
    ['Ctrl+Q (quit)', { key: 'q', control: true }],
    ['Ctrl+P (print dialog)', { key: 'p', control: true }],
    ['Ctrl+N (new window)', { key: 'n', control: true }],
    ['Ctrl+T (new tab)', { key: 't', control: true }],
    ['Ctrl+R (reload)', { key: 'r', control: true }],
    ['Ctrl+M (minimise)', { key: 'm', control: true }],
    ['Ctrl+Shift+I (DevTools)', { key: 'I', control: true, shift: true }],
    ['Ctrl+Shift+J (console)', { key: 'J', control: true, shift: true }],
    ['Ctrl+Shift+R (hard reload)', { key: 'R', control: true, shift: true }],
    ['Ctrl++ (zoom)', { key: '+', control: true }],
    ['Meta+Q (quit, macOS style)', { key: 'q', meta: true }],
    ['Alt+F4 (close)', { key: 'F4', alt: true }],
    ['Alt+Left (back)', { key: 'ArrowLeft', alt: true }],
  ])('blocks %s in production', (_name, input) => {
    expect(pressed(kioskWindow().webContents, input)).toBe(true);
  });

  it.each([
    ['a letter', { key: 'a' }],
    ['a digit (scanner)', { key: '7' }],
    ['Shift+X (scanner upper case)', { key: 'X', shift: true }],
    ['Enter (scanner suffix)', { key: 'Enter' }],
    ['Tab', { key: 'Tab' }],
    ['Backspace', { key: 'Backspace' }],
  ])('lets %s through', (_name, input) => {
    expect(pressed(kioskWindow().webContents, input)).toBe(false);
  });

  it('blocks nothing in development (DevTools and reload are wanted there)', () => {
    expect(pressed(kioskWindow(true).webContents, { key: 'F12' })).toBe(false);
    expect(isBlockedShortcut({ ...keys, key: 'F12' })).toBe(true);
  });
});
