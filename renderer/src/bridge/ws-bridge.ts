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

export interface SocketBridgeOptions {
  /** ws:// or wss:// URL of the bridge endpoint. */
  url: string;
  /** WebSocket sub-protocols (the kiosk bridge carries its per-launch secret as `kiosk.<secret>`). */
  protocols?: string[];
  /** Reconnect delay after a drop, ms. */
  reconnectMs: number;
  /** Called after the socket reconnects (the kiosk says `app.ready` again so queued events are delivered). */
  onReconnect?: (api: KioskApi) => void;
  /** Called when an open socket drops (the staff console returns to its sign-in form). */
  onDisconnect?: () => void;
}

/**
 * The contract's KioskApi over a WebSocket speaking the bridge envelopes: requests made while the socket is down
 * wait for it, requests in flight when it drops resolve as TRANSPORT_DISCONNECTED (never hang), events fan out to
 * listeners. Used by the kiosk page on the browser host and by the staff console on the LAN.
 */
export function createSocketBridge(options: SocketBridgeOptions): KioskApi {
  let ws: WebSocket | undefined;
  let open = false;
  let everOpen = false;
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const outbox: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  function connect(): void {
    ws = new WebSocket(options.url, options.protocols ?? []);
    ws.onopen = () => {
      open = true;
      for (const m of outbox.splice(0)) ws!.send(m);
      if (everOpen) options.onReconnect?.(api);
      everOpen = true;
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
        resolve({ ok: false, error: { code: 'TRANSPORT_DISCONNECTED', message: 'connection to the kiosk host lost' } });
        pending.delete(id);
      }
      if (wasOpen) options.onDisconnect?.();
      setTimeout(connect, options.reconnectMs);
    };
  }

  const api: KioskApi = {
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
  connect();
  return api;
}

/**
 * `window.kiosk` for the browser host: the per-launch secret arrives in the URL fragment (`#k=…`), is kept in
 * sessionStorage (so a reload keeps working) and removed from the address bar; after a reconnect the page says
 * `app.ready` again so the events queued meanwhile are delivered.
 */
export function createWsBridge(location: Location, storage: Storage): KioskApi {
  const fromHash = /[#&]k=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
  if (fromHash) {
    storage.setItem('kiosk.secret', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const secret = storage.getItem('kiosk.secret') ?? '';
  let ready = false;
  const api = createSocketBridge({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge`,
    protocols: [`kiosk.${secret}`],
    reconnectMs: 1000,
    onReconnect: (a) => {
      if (ready) void a.invoke('app.ready', {});
    },
  });
  return {
    ...api,
    invoke(name, input) {
      if (name === 'app.ready') ready = true;
      return api.invoke(name, input);
    },
  };
}
