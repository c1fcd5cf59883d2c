import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, isEventName, isRequestName, type KioskApi } from '../contract/index.js';

/**
 * The only thing the kiosk page gets from Electron: `window.kiosk`, the contract's KioskApi. Request names and
 * event names are checked against the contract here too, so the page cannot reach any other IPC channel.
 */
export function createPreloadApi(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): KioskApi {
  return {
    invoke(name, input) {
      if (!isRequestName(name)) {
        return Promise.resolve({ ok: false as const, error: { code: 'UNKNOWN_REQUEST', message: 'unknown request' } });
      }
      return ipc.invoke(IPC_REQUEST_CHANNEL, name, input);
    },
    on(name, listener) {
      if (!isEventName(name)) return () => undefined;
      const handler = (_e: unknown, evt: unknown, payload: unknown) => {
        if (evt === name) (listener as (p: unknown) => void)(payload);
      };
      ipc.on(IPC_EVENT_CHANNEL, handler);
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, handler);
      };
    },
  };
}

/**
 * Dropped files and links are ignored: Chromium would otherwise navigate to them (navigateOnDragDrop is off as
 * well) and the page would receive File objects from whatever a passer-by plugged in. Capture phase on the window,
 * so no page listener sees the drop.
 */
export function ignoreDrops(target: Pick<EventTarget, 'addEventListener'>): void {
  const stop = (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
  };
  target.addEventListener('dragover', stop, true);
  target.addEventListener('drop', stop, true);
}

if (process.type === 'renderer' && contextBridge) {
  contextBridge.exposeInMainWorld('kiosk', createPreloadApi(ipcRenderer));
  // The sandboxed preload shares the page's DOM window (its global); main/ has no DOM types, hence the cast.
  ignoreDrops(globalThis as unknown as EventTarget);
}
