import { EventEmitter } from 'node:events';
import { APP_ORIGIN, type ElectronModule } from './wiring.js';

/**
 * A fake of the `electron` module for the host's unit tests (the binary cannot run on the build machines): it
 * records what the wiring asked for and lets a test fire the events Electron would. Test-only; nothing in the
 * product imports it.
 */
export class FakeWebContents extends EventEmitter {
  static next = 1;
  id = FakeWebContents.next++;
  mainFrame = { url: `${APP_ORIGIN}/index.html` };
  sent: unknown[][] = [];
  windowOpenHandler: (() => { action: string }) | undefined;
  reloads = 0;
  crashes = 0;
  setWindowOpenHandler(fn: () => { action: string }) {
    this.windowOpenHandler = fn;
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  reload() {
    this.reloads++;
  }
  forcefullyCrashRenderer() {
    this.crashes++;
  }
}

export class FakeWindow extends EventEmitter {
  static last: FakeWindow | undefined;
  webContents = new FakeWebContents();
  loaded: string | undefined;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.last = this;
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  show() {}
}

/** A cancellable Electron event: `prevented` tells whether the wiring called preventDefault(). */
export function fakeEvent(extra: Record<string, unknown> = {}): { prevented: boolean; preventDefault(): void } & Record<string, unknown> {
  return {
    ...extra,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

type ProtocolHandler = (request: Request) => Promise<Response>;

export function fakeElectron(options: { fetchFile?: (url: string) => Promise<Response> } = {}) {
  const handlers = new Map<string, (...a: unknown[]) => unknown>();
  const session = {
    permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | (() => boolean),
    deviceCheck: undefined as undefined | (() => boolean),
    setPermissionRequestHandler(fn: (wc: unknown, p: string, cb: (ok: boolean) => void) => void) {
      this.permissionRequest = fn;
    },
    setPermissionCheckHandler(fn: () => boolean) {
      this.permissionCheck = fn;
    },
    setDevicePermissionHandler(fn: () => boolean) {
      this.deviceCheck = fn;
    },
  };
  const protocol = {
    privileged: [] as { scheme: string; privileges: Record<string, unknown> }[],
    handlers: new Map<string, ProtocolHandler>(),
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, unknown> }[]) {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, fn: ProtocolHandler) {
      this.handlers.set(scheme, fn);
    },
  };
  const fetched: string[] = [];
  const net = {
    fetch: async (url: string) => {
      fetched.push(url);
      if (!options.fetchFile) throw new Error(`net.fetch(${url}) not expected`);
      return options.fetchFile(url);
    },
  };
  const menus: unknown[] = [];
  const app = new EventEmitter();
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn),
      removeHandler: (ch: string) => handlers.delete(ch),
    },
    session: { defaultSession: session },
    protocol,
    net,
    Menu: { setApplicationMenu: (menu: unknown) => menus.push(menu) },
  } as unknown as ElectronModule;
  return { electron, handlers, session, protocol, fetched, menus, app };
}
