import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNativeModule, checkNativeModules, electronAbi } from './native-abi.mjs';

/**
 * The packaging ABI check, on real binaries from node_modules: better-sqlite3 as npm compiled it here (against
 * this machine's Node headers: exactly what a "rebuild for Electron" produces with nodedir=/usr), and the Node-API
 * prebuilds of serialport and node-hid.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const nodeBuiltSqlite = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const serialportNapi = path.join(root, 'node_modules', '@serialport', 'bindings-cpp', 'prebuilds', 'linux-x64', '@serialport+bindings-cpp.glibc.node');
const nodeHidNapi = path.join(root, 'node_modules', 'node-hid', 'prebuilds', 'HID_hidraw-linux-x64', 'node-napi-v4.node');
const electron = electronAbi(root);
const nodeAbi = Number(process.versions.modules);

describe('native module ABI check', () => {
  it("knows Electron 45's NODE_MODULE_VERSION, which is not Node's", () => {
    expect(electron.version).toMatch(/^45\./);
    expect(electron.abi).toBe(150);
    expect(electron.abi).not.toBe(nodeAbi);
  });

  it('refuses the Node-built better-sqlite3 for Electron, naming both versions and the likely cause', () => {
    const v = checkNativeModule(nodeBuiltSqlite, electron.abi, 'linux-x64');
    expect(v.registration).toEqual({ kind: 'abi', versions: [nodeAbi] });
    expect(v.ok).toBe(false);
    expect(v.reason).toContain(`node_register_module_v${nodeAbi} but Electron needs v${electron.abi}`);
    expect(v.reason).toContain('nodedir');
  });

  it("accepts the same file for the ABI it was built for (the check reads the binary, it does not refuse everything)", () => {
    expect(checkNativeModule(nodeBuiltSqlite, nodeAbi, 'linux-x64').ok).toBe(true);
  });

  it.each([
    ['serialport (exports napi_register_module_v1)', serialportNapi],
    ['node-hid (registers through napi_module_register)', nodeHidNapi],
  ])('accepts the Node-API module %s for any ABI', (_name, file) => {
    const v = checkNativeModule(file, electron.abi, 'linux-x64');
    expect(v).toMatchObject({ ok: true, registration: { kind: 'napi' }, format: 'linux-x64' });
  });

  describe('on a folder', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'native-abi-'));
      mkdirSync(path.join(dir, 'a', 'build', 'Release'), { recursive: true });
      mkdirSync(path.join(dir, 'b', 'prebuilds', 'win32-x64'), { recursive: true });
      copyFileSync(nodeBuiltSqlite, path.join(dir, 'a', 'build', 'Release', 'better_sqlite3.node'));
      copyFileSync(serialportNapi, path.join(dir, 'b', 'serial.node'));
      copyFileSync(path.join(root, 'node_modules', '@serialport', 'bindings-cpp', 'prebuilds', 'win32-x64', '@serialport+bindings-cpp.node'), path.join(dir, 'b', 'prebuilds', 'win32-x64', 'serial.node'));
      writeFileSync(path.join(dir, 'b', 'mystery.node'), Buffer.from('\x7fELF not a real module'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses the wrong ABI, a foreign platform and an unrecognisable module; passes the N-API one', () => {
      const verdicts = checkNativeModules(dir, electron.abi, 'linux-x64');
      const byFile = Object.fromEntries(verdicts.map((v) => [path.relative(dir, v.file), v]));
      expect(Object.keys(byFile).sort()).toEqual(['a/build/Release/better_sqlite3.node', 'b/mystery.node', 'b/prebuilds/win32-x64/serial.node', 'b/serial.node']);
      expect(byFile['b/serial.node']!.ok).toBe(true);
      expect(byFile['a/build/Release/better_sqlite3.node']!.ok).toBe(false);
      expect(byFile['b/prebuilds/win32-x64/serial.node']!).toMatchObject({ ok: false, format: 'win32' });
      expect(byFile['b/mystery.node']!).toMatchObject({ ok: false, registration: { kind: 'unknown' } });
    });

    it('as a command, exits 1 and says which file and why', async () => {
      const run = promisify(execFile);
      const err = (await run(process.execPath, [path.join(root, 'build', 'checks', 'native-abi.mjs'), path.join(dir, 'a')]).catch((e: unknown) => e)) as { code: number; stdout: string };
      expect(err.code).toBe(1);
      expect(err.stdout).toContain(`REFUSED build/Release/better_sqlite3.node: abi v${nodeAbi}`);
      expect(err.stdout).toContain('1 refused (Electron NODE_MODULE_VERSION 150)');
    });
  });
});
