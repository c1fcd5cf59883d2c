import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preloadBuildOptions, sandboxedPreloadProblems } from '../../build/preload.mjs';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, REQUEST_NAMES, type KioskApi } from '../contract/index.js';

/**
 * Runs the BUILT preload (the esbuild options build/build.mjs uses for dist/main/preload.cjs) the way Electron's
 * sandboxed preload runner does: the script is wrapped in a function of (require, process, Buffer, global,
 * setImmediate, clearImmediate, exports, module) and evaluated in a context that has the page's window as its
 * global and nothing of Node — no __filename, no __dirname, no import.meta, and a `require` that only knows
 * electron, events, timers and url.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'preload-'));
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

async function buildPreload(extra: Record<string, unknown> = {}): Promise<string> {
  const dir = mkdtempSync(path.join(outdir, 'b-'));
  await build({ ...preloadBuildOptions(root, dir), ...extra });
  return readFileSync(path.join(dir, 'preload.cjs'), 'utf8');
}

interface Recorded {
  exposed: Map<string, unknown>;
  invoked: unknown[][];
  ipcListeners: ((e: unknown, name: unknown, payload: unknown) => void)[];
  windowListeners: { type: string; fn: (e: unknown) => void; capture: unknown }[];
}

function runInSandboxedPreload(code: string): Recorded {
  const rec: Recorded = { exposed: new Map(), invoked: [], ipcListeners: [], windowListeners: [] };
  const electronStub = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => rec.exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        rec.invoked.push(args);
        return Promise.resolve({ ok: true, value: null });
      },
      on: (_ch: string, fn: (e: unknown, name: unknown, payload: unknown) => void) => rec.ipcListeners.push(fn),
      removeListener: () => undefined,
    },
  };
  const allowed: Record<string, unknown> = { electron: electronStub, events: {}, timers: {}, url: {} };
  const preloadRequire = (name: string): unknown => {
    if (!(name in allowed)) throw new Error(`module not found: ${name}`);
    return allowed[name];
  };
  // The page's window: the sandboxed preload's global object.
  const windowGlobal = vm.createContext({
    addEventListener: (type: string, fn: (e: unknown) => void, capture: unknown) => rec.windowListeners.push({ type, fn, capture }),
    console,
  });
  const wrapper = vm.runInContext(
    `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {${code}\n})`,
    windowGlobal,
    { filename: 'preload.cjs' },
  ) as (...a: unknown[]) => void;
  const module = { exports: {} };
  const preloadProcess = { type: 'renderer', platform: 'linux', env: {}, versions: { electron: '45.4.1' } };
  wrapper(preloadRequire, preloadProcess, Buffer, windowGlobal, setImmediate, clearImmediate, module.exports, module);
  return rec;
}

describe('the built preload in an emulation of the sandboxed preload runner', () => {
  it('exposes window.kiosk, forwards every contract request and delivers every contract event', async () => {
    const code = await buildPreload();
    expect(sandboxedPreloadProblems(code)).toEqual([]);
    const rec = runInSandboxedPreload(code);
    expect([...rec.exposed.keys()]).toEqual(['kiosk']);
    const api = rec.exposed.get('kiosk') as KioskApi;
    expect(REQUEST_NAMES.length).toBeGreaterThan(10);
    for (const name of REQUEST_NAMES) await api.invoke(name, {} as never);
    expect(rec.invoked).toEqual(REQUEST_NAMES.map((name) => [IPC_REQUEST_CHANNEL, name, {}]));
    expect(await api.invoke('shell.openExternal' as never, {} as never)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
    expect(rec.invoked).toHaveLength(REQUEST_NAMES.length);

    for (const name of EVENT_NAMES) {
      const got: unknown[] = [];
      api.on(name, (p) => got.push(p));
      const listener = rec.ipcListeners.at(-1)!;
      listener({}, name, { for: name });
      expect(got).toEqual([{ for: name }]);
    }
    expect(IPC_EVENT_CHANNEL).toBeTruthy();
  });

  it('ignores dropped files: dragover and drop are cancelled in the capture phase before the page sees them', async () => {
    const rec = runInSandboxedPreload(await buildPreload());
    expect(rec.windowListeners.map((l) => [l.type, l.capture])).toEqual([
      ['dragover', true],
      ['drop', true],
    ]);
    for (const l of rec.windowListeners) {
      const e = { prevented: false, stopped: false, preventDefault() { this.prevented = true; }, stopPropagation() { this.stopped = true; } };
      l.fn(e);
      expect(e).toMatchObject({ prevented: true, stopped: true });
    }
  });

  it('refuses a preload built like the Electron main bundle (the old banner needs __filename)', async () => {
    const old = await buildPreload({
      banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      define: { 'import.meta.url': '__importMetaUrl' },
    });
    expect(sandboxedPreloadProblems(old)).toEqual(expect.arrayContaining([expect.stringContaining('node:url'), expect.stringContaining('__filename')]));
    expect(() => runInSandboxedPreload(old)).toThrow(/module not found: node:url|__filename is not defined/);
  });
});
