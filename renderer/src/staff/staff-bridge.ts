import type { KioskApi } from '../../../main/contract/index.js';
import { createSocketBridge } from '../bridge/ws-bridge.js';

/**
 * `KioskApi` for staff.html opened from a LAN browser: the kiosk bridge's envelopes over the LAN server's
 * `/staff/bridge` WebSocket, without a per-launch secret (the host accepts only `auth.*` and staff requests there,
 * and binds the staff session to this socket). A dropped socket ends the session: the console returns to its
 * sign-in form (onDisconnect), it does not silently resume.
 */
export function createStaffBridge(location: Location, onDisconnect: () => void): KioskApi {
  return createSocketBridge({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/staff/bridge`,
    reconnectMs: 2000,
    onDisconnect,
  });
}
