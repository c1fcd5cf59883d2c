import type * as Electron from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type Result } from '../contract/index.js';
import type { KioskServices } from '../app/kiosk-services.js';
import type { Logger } from '../core/logger.js';
import { contentSecurityPolicy } from '../browser-host/static.js';

/**
 * The Electron host's wiring, as functions of the `electron` module so unit tests run them against a fake (the
 * binary cannot run on the build machines). Order of `setup*` calls: see main/electron/main.ts.
 */
export type ElectronModule = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session' | 'powerSaveBlocker' | 'net' | 'Menu'>;

/** The renderer is served from this origin through a privileged custom protocol, never from file://. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://kiosk`;

export interface KioskWindowOptions {
  preloadPath: string;
  rendererDir: string;
  orientation: 'portrait' | 'landscape';
  development: boolean;
}

/** Must run before `app.ready`. */
export function registerAppScheme(electron: ElectronModule): void {
  electron.protocol.registerSchemesAsPrivileged([
    // secure: the page is a secure context (no mixed-content, powerful APIs behave as on https); never bypassCSP.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, bypassCSP: false } },
  ]);
}

/** Serves dist/renderer on app://kiosk/ with the kiosk CSP; refuses paths outside it. */
export function serveRenderer(electron: ElectronModule, rendererDir: string): void {
  electron.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'kiosk') return new Response('not found', { status: 404 });
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const { pathToFileURL } = await import('node:url');
    const path = await import('node:path');
    const file = path.resolve(rendererDir, '.' + rel);
    if (!file.startsWith(path.resolve(rendererDir) + path.sep)) return new Response('forbidden', { status: 403 });
    const res = await electron.net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy(''));
    return new Response(res.body, { status: res.status, headers });
  });
}

/**
 * App-wide lockdown, after `app.ready`: no application menu (its accelerators — Ctrl+M minimise, Alt → File ▸ Quit,
 * Ctrl+Shift+I — work even in kiosk mode), and every web contents ever created (not only the kiosk window's) refuses
 * <webview>, window.open and navigation off the app:// origin.
 */
export function lockDownApp(electron: ElectronModule): void {
  electron.Menu.setApplicationMenu(null);
  electron.app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (e, url) => {
      if (!isOwnUrl(url)) e.preventDefault();
    });
  });
}

/**
 * Keyboard shortcuts Chromium/Electron would act on in the kiosk window (the application menu is gone, but the
 * web contents still handles reload, DevTools, print, zoom, find, close and new-window keys itself). A keyboard-wedge
 * scanner is a keyboard too, so these are cancelled before the page sees them. `key` is compared lower-cased.
 */
export interface ShortcutInput {
  key: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}
/** Function keys: F1 help, F3 find, F5 reload, F6 address, F7 caret browsing, F10 menu, F11 full screen, F12 DevTools. */
const BLOCKED_FUNCTION_KEYS = ['f1', 'f3', 'f5', 'f6', 'f7', 'f10', 'f11', 'f12'];
/** With Ctrl (or Meta): reload, close, quit, print, new window/tab, open, save, view source, find, zoom. */
const BLOCKED_CTRL_KEYS = ['r', 'w', 'q', 'p', 'n', 't', 'o', 's', 'u', 'f', 'g', 'h', 'j', 'm', '+', '-', '=', '0'];
/** With Ctrl+Shift: DevTools (I, J, C), hard reload, reopen tab, new incognito window. */
const BLOCKED_CTRL_SHIFT_KEYS = ['i', 'j', 'c', 'r', 't', 'n', 'w', 'q', 'delete'];

export function isBlockedShortcut(input: ShortcutInput): boolean {
  const key = input.key.toLowerCase();
  const mod = input.control || input.meta;
  if (BLOCKED_FUNCTION_KEYS.includes(key)) return true;
  if (mod && input.shift && BLOCKED_CTRL_SHIFT_KEYS.includes(key)) return true;
  if (mod && BLOCKED_CTRL_KEYS.includes(key)) return true;
  if (input.alt && (key === 'f4' || key === 'home' || key === 'arrowleft' || key === 'arrowright')) return true;
  return false;
}

/** Deny every permission request (camera, microphone, geolocation, notifications, HID/serial from the page...). */
export function denyPermissions(electron: ElectronModule): void {
  const ses = electron.session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

export function isOwnUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

/**
 * The kiosk window: context isolation, sandbox, no Node integration, navigation and window.open denied,
 * DevTools and reload shortcuts disabled outside development, full-screen kiosk mode.
 */
export function createKioskWindow(electron: ElectronModule, o: KioskWindowOptions): Electron.BrowserWindow {
  const portrait = o.orientation === 'portrait';
  const win = new electron.BrowserWindow({
    width: portrait ? 1080 : 1920,
    height: portrait ? 1920 : 1080,
    kiosk: !o.development,
    fullscreen: !o.development,
    autoHideMenuBar: true,
    backgroundColor: '#f4f7fb',
    show: false,
    webPreferences: {
      preload: o.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: o.development,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  const wc = win.webContents;
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', (e, url) => {
    if (!isOwnUrl(url)) e.preventDefault();
  });
  // Subframes navigate without will-navigate; will-frame-navigate sees the main frame and every iframe.
  wc.on('will-frame-navigate', (details) => {
    if (!isOwnUrl(details.url)) details.preventDefault();
  });
  wc.on('will-redirect', (e, url) => {
    if (!isOwnUrl(url)) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());
  if (!o.development) {
    wc.on('before-input-event', (e, input) => {
      if (isBlockedShortcut(input)) e.preventDefault();
    });
  }
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

export interface RecoveryCounters {
  renderCrashes: number;
  hangs: number;
}

/** Reloads a crashed or hung renderer, counts it, and logs it (a kiosk must recover by itself). */
export function watchRenderer(win: Electron.BrowserWindow, logger: Logger, counters: RecoveryCounters, onReload: () => void): void {
  const wc = win.webContents;
  wc.on('render-process-gone', (_e, details) => {
    counters.renderCrashes++;
    logger.error({ reason: details.reason, exitCode: details.exitCode, count: counters.renderCrashes }, 'renderer gone; reloading');
    onReload();
    wc.reload();
  });
  win.on('unresponsive', () => {
    counters.hangs++;
    logger.warn({ count: counters.hangs }, 'renderer unresponsive; reloading');
    onReload();
    wc.forcefullyCrashRenderer();
    wc.reload();
  });
}

/**
 * The IPC side of the contract: one request channel, answered only for the kiosk window's own main frame on the
 * app:// origin; everything else gets AUTH_FORBIDDEN and is logged. Events go out on one channel.
 */
export function setupIpc(electron: ElectronModule, services: KioskServices, getWindow: () => Electron.BrowserWindow | undefined, logger: Logger): () => void {
  electron.ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, name: unknown, input: unknown): Promise<Result<unknown>> => {
    const win = getWindow();
    const frameUrl = event.senderFrame?.url ?? '';
    if (!win || event.sender.id !== win.webContents.id || !isOwnUrl(frameUrl) || event.senderFrame !== event.sender.mainFrame) {
      logger.warn({ frame: frameUrl.slice(0, 80) }, 'IPC from a foreign frame refused');
      return { ok: false, error: { code: 'AUTH_FORBIDDEN', message: 'not the kiosk window' } };
    }
    return services.call(name, input, { via: 'electron', connectionId: `wc-${event.sender.id}` });
  });
  const remove = services.hub.addSink((name, payload) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    remove();
    electron.ipcMain.removeHandler(IPC_REQUEST_CHANNEL);
  };
}
