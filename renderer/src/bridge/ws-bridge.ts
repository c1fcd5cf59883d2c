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
 * `window.kiosk` for the browser host: the same KioskApi as the Electron preload, carried over a WebSocket to
 * 127.0.0.1. The per-launch secret arrives in the URL fragment (`#k=…`), is kept in sessionStorage (so a reload
 * keeps working) and removed from the address bar. Requests made while the socket is down wait for it; on
 * reconnect the page says `app.ready` again so queued events are delivered.
 */
export function createWsBridge(location: Location, storage: Storage): KioskApi {
  const fromHash = /[#&]k=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
  if (fromHash) {
    storage.setItem('kiosk.secret', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const secret = storage.getItem('kiosk.secret') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge`;

  let ws: WebSocket | undefined;
  let open = false;
  let nextId = 1;
  let wasReady = false;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const outbox: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  function connect(): void {
    ws = new WebSocket(url, [`kiosk.${secret}`]);
    ws.onopen = () => {
      open = true;
      for (const m of outbox.splice(0)) ws!.send(m);
      if (wasReady) void api.invoke('app.ready', {});
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
      open = false;
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'TRANSPORT_DISCONNECTED', message: 'connection to the kiosk host lost' } });
        pending.delete(id);
      }
      setTimeout(connect, 1000);
    };
  }

  const api: KioskApi = {
    invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>> {
      if (name === 'app.ready') wasReady = true;
      const id = nextId++;
      const msg: BridgeClientMessage = { t: 'req', id, name, input };
      const text = JSON.stringify(msg);
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
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
