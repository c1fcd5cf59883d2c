import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../contract/index.js';
import { EventHub } from '../core/event-hub.js';
import { createLogger } from '../core/logger.js';
import type { KioskServices } from '../app/kiosk-services.js';
import { createPreloadApi } from './preload.js';
import { FakeWebContents, fakeElectron, type FakeWindow } from './fake-electron.js';
import { APP_ORIGIN, createKioskWindow, denyPermissions, setupIpc, watchRenderer } from './wiring.js';

// The real `electron` package tries to download its binary when imported in plain Node; the preload's import of
// it is replaced by an empty module (the preload's API factory takes ipcRenderer as a parameter).
vi.mock('electron', () => ({ contextBridge: undefined, ipcRenderer: undefined }));

function fakeServices() {
  const hub = new EventHub();
  const call = vi.fn(async (name: unknown) => ({ ok: true as const, value: `did ${String(name)}` }));
  return { services: { hub, call } as unknown as KioskServices, hub, call };
}

describe('Electron kiosk window', () => {
  it('is sandboxed, isolated, without Node, on the app:// origin, with DevTools off in production', () => {
    const { electron } = fakeElectron();
    const win = createKioskWindow(electron, { preloadPath: '/p/preload.cjs', rendererDir: '/r', orientation: 'portrait', development: false }) as unknown as FakeWindow;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false, preload: '/p/preload.cjs' });
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true, width: 1080, height: 1920 });
    expect(win.loaded).toBe(`${APP_ORIGIN}/index.html`);
  });

  it('denies window.open, foreign navigation and reload/DevTools shortcuts', () => {
    const { electron } = fakeElectron();
    const win = createKioskWindow(electron, { preloadPath: 'p', rendererDir: 'r', orientation: 'landscape', development: false }) as unknown as FakeWindow;
    const wc = win.webContents;
    expect(wc.windowOpenHandler!()).toEqual({ action: 'deny' });
    const nav = (url: string) => {
      const e = { prevented: false, preventDefault() { this.prevented = true; } };
      wc.emit('will-navigate', e, url);
      return e.prevented;
    };
    expect(nav('https://example.com/')).toBe(true);
    expect(nav(`${APP_ORIGIN}/index.html#home`)).toBe(false);
    const key = (input: Record<string, unknown>) => {
      const e = { prevented: false, preventDefault() { this.prevented = true; } };
      wc.emit('before-input-event', e, { control: false, meta: false, shift: false, alt: false, ...input });
      return e.prevented;
    };
    expect(key({ key: 'F5' })).toBe(true);
    expect(key({ key: 'r', control: true })).toBe(true);
    expect(key({ key: 'I', control: true, shift: true })).toBe(true);
    expect(key({ key: 'F4', alt: true })).toBe(true);
    expect(key({ key: 'a' })).toBe(false);
  });

  it('keeps DevTools in development', () => {
    const { electron } = fakeElectron();
    const win = createKioskWindow(electron, { preloadPath: 'p', rendererDir: 'r', orientation: 'portrait', development: true }) as unknown as FakeWindow;
    expect((win.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
    expect(win.options.kiosk).toBe(false);
  });

  it('denies every permission request', () => {
    const { electron, session } = fakeElectron();
    denyPermissions(electron);
    let granted: boolean | undefined;
    session.permissionRequest!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(session.permissionCheck!()).toBe(false);
    expect(session.deviceCheck!()).toBe(false);
  });

  it('reloads a crashed or hung renderer and counts it', () => {
    const { electron } = fakeElectron();
    const win = createKioskWindow(electron, { preloadPath: 'p', rendererDir: 'r', orientation: 'portrait', development: false }) as unknown as FakeWindow;
    const counters = { renderCrashes: 0, hangs: 0 };
    const onReload = vi.fn();
    watchRenderer(win as never, createLogger('test'), counters, onReload);
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    win.emit('unresponsive');
    expect(counters).toEqual({ renderCrashes: 1, hangs: 1 });
    expect(win.webContents.reloads).toBe(2);
    expect(win.webContents.crashes).toBe(1);
    expect(onReload).toHaveBeenCalledTimes(2);
  });
});

describe('Electron IPC', () => {
  it('answers only the kiosk window main frame on the app origin', async () => {
    const { electron, handlers } = fakeElectron();
    const { services, call } = fakeServices();
    const win = createKioskWindow(electron, { preloadPath: 'p', rendererDir: 'r', orientation: 'portrait', development: false }) as unknown as FakeWindow;
    setupIpc(electron, services, () => win as never, createLogger('test'));
    const handle = handlers.get(IPC_REQUEST_CHANNEL)!;
    const wc = win.webContents;
    const own = { sender: wc, senderFrame: wc.mainFrame };
    expect(await handle(own, 'app.bootstrap', {})).toEqual({ ok: true, value: 'did app.bootstrap' });
    expect(call).toHaveBeenCalledWith('app.bootstrap', {}, { via: 'electron', connectionId: `wc-${wc.id}` });

    const other = new FakeWebContents();
    expect(await handle({ sender: other, senderFrame: other.mainFrame }, 'app.bootstrap', {})).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });
    const iframe = { url: `${APP_ORIGIN}/index.html` };
    expect(await handle({ sender: wc, senderFrame: iframe }, 'app.bootstrap', {})).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });
    const foreign = { url: 'https://evil.example/' };
    wc.mainFrame = foreign;
    expect(await handle({ sender: wc, senderFrame: foreign }, 'app.bootstrap', {})).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('pushes host events to the window on one channel', () => {
    const { electron } = fakeElectron();
    const { services, hub } = fakeServices();
    const win = createKioskWindow(electron, { preloadPath: 'p', rendererDir: 'r', orientation: 'portrait', development: false }) as unknown as FakeWindow;
    setupIpc(electron, services, () => win as never, createLogger('test'));
    hub.markReady();
    hub.emit('card-removed', {});
    expect(win.webContents.sent).toEqual([[IPC_EVENT_CHANNEL, 'card-removed', {}]]);
  });
});

describe('preload', () => {
  it('forwards only contract requests and filters events by name', async () => {
    const listeners: ((e: unknown, name: unknown, payload: unknown) => void)[] = [];
    const ipc = {
      invoke: vi.fn(async () => ({ ok: true, value: 1 })),
      on: vi.fn((_ch: string, fn: (e: unknown, name: unknown, payload: unknown) => void) => listeners.push(fn)),
      removeListener: vi.fn(),
    };
    const api = createPreloadApi(ipc as never);
    expect(await api.invoke('app.bootstrap', {})).toEqual({ ok: true, value: 1 });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_REQUEST_CHANNEL, 'app.bootstrap', {});
    expect(await api.invoke('shell.openExternal' as never, {} as never)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
    expect(ipc.invoke).toHaveBeenCalledTimes(1);
    const got: unknown[] = [];
    const off = api.on('card-removed', (p) => got.push(p));
    listeners[0]!({}, 'card-read', { x: 1 });
    listeners[0]!({}, 'card-removed', { y: 2 });
    expect(got).toEqual([{ y: 2 }]);
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, listeners[0]);
    // A name outside the contract gets no IPC listener at all.
    api.on('shell.anything' as never, () => got.push('leak'));
    expect(ipc.on).toHaveBeenCalledTimes(1);
  });
});
