import type { KioskApi } from '../../../main/contract/index.js';
import { createWsBridge } from './ws-bridge.js';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in the browser host, where the WebSocket bridge is used. */
    kiosk?: KioskApi;
  }
}

let api: KioskApi | undefined;

/** The one way the UI reaches the host, whichever host it runs in. */
export function kiosk(): KioskApi {
  api ??= window.kiosk ?? createWsBridge(window.location, window.sessionStorage);
  return api;
}

/** Tests inject a fake. */
export function setKioskApi(fake: KioskApi): void {
  api = fake;
}
