import type {
  BridgeClientMessage,
  BridgeServerMessage,
  EventName,
  EventPayload,
  KioskApi,
  RequestInput,
  RequestName,
  RequestOutput,
  Result,
} from '../../../main/contract/index.js';

/**
 * `KioskApi` for staff.html opened from a LAN browser: the same envelopes as the kiosk bridge, over the LAN
 * server's `/staff/bridge` WebSocket, without a per-launch secret (the host accepts only `auth.*` and staff requests
 * there, and binds the staff session to this socket). A dropped socket ends the session: the console returns to
 * its sign-in form (onDisconnect), it does not silently resume.
 */
export function createStaffBridge(location: Location, onDisconnect: () => void): KioskApi {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/staff/bridge`;
  let ws: WebSocket | undefined;
  let open = false;
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const outbox: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  function connect(): void {
    ws = new WebSocket(url);
    ws.onopen = () => {
      open = true;
      for (const m of outbox.splice(0)) ws!.send(m);
    };
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data)) as BridgeServerMessage;
      if (msg.t === 'res') {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      } else {
        for (const fn of listeners.get(msg.name) ?? []) fn(msg.payload);
      }
    };
    ws.onclose = () => {
      const wasOpen = open;
      open = false;
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'TRANSPORT_DISCONNECTED', message: 'connection to the kiosk lost' } });
        pending.delete(id);
      }
      if (wasOpen) onDisconnect();
      setTimeout(connect, 2000);
    };
  }

  connect();
  return {
    invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>> {
      const msg: BridgeClientMessage = { t: 'req', id: nextId++, name, input };
      const text = JSON.stringify(msg);
      return new Promise((resolve) => {
        pending.set(msg.id, resolve as (r: Result<unknown>) => void);
        if (open) ws!.send(text);
        else outbox.push(text);
      });
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const fn = listener as (p: unknown) => void;
      set.add(fn);
      return () => set!.delete(fn);
    },
  };
}
