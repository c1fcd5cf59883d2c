import asar from '@electron/asar';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareImports, dependencyClosure, isLeftover, parseTarget } from '../package-stage.mjs';
import { checkPackage, EXPECTED_FUSES } from './package-check.mjs';
import { makeStandInElectronDist } from './stand-in-electron.mjs';

/**
 * The packaging rules (build/package-stage.mjs) and the package check (build/checks/package-check.mjs), on small
 * packed apps made here with @electron/asar. The full electron-builder run is `npm run package:check` (~35 s).
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const linux = parseTarget('linux-x64');

describe('what the host bundles import', () => {
  it('finds bare package imports in every syntax esbuild leaves, and skips builtins and relative paths', () => {
    const code = [
      'import Database from "better-sqlite3";',
      'const ws = require("ws");',
      'const m = await import("mqtt/dist/mqtt.js");',
      'import "side-effect";',
      'import { x } from "@serialport/stream/sub";',
      'import fs from "node:fs"; import path from "path"; import "./local.js"; require("../up.js");',
      'const from = day(url.searchParams.get("from"), today); const to = day(url.searchParams.get("to"));',
    ].join('\n');
    expect([...bareImports(code)].sort()).toEqual(['@serialport/stream', 'better-sqlite3', 'mqtt', 'side-effect', 'ws']);
  });

  it('follows dependencies through node_modules and leaves out build-only packages', () => {
    const closure = dependencyClosure(root, ['node-hid']);
    expect(closure).toContain('node_modules/node-hid');
    expect(closure.some((p) => p.endsWith('node-addon-api'))).toBe(false);
    expect(dependencyClosure(root, ['react-dom'])).toContain('node_modules/scheduler');
  });
});

describe('pruning for a linux-x64 package', () => {
  it.each([
    ['better-sqlite3', 'deps/sqlite3/sqlite3.c', true],
    ['better-sqlite3', 'src/better_sqlite3.cpp', true],
    ['better-sqlite3', 'build/Release/obj.target/better_sqlite3.node', true],
    ['better-sqlite3', 'build/Release/test_extension.node', true],
    ['better-sqlite3', 'binding.gyp', true],
    ['better-sqlite3', 'build/Release/better_sqlite3.node', false],
    ['better-sqlite3', 'lib/database.js', false],
    ['better-sqlite3', 'LICENSE', false],
    ['@serialport/bindings-cpp', 'prebuilds/win32-x64/@serialport+bindings-cpp.node', true],
    ['@serialport/bindings-cpp', 'prebuilds/darwin-x64+arm64/@serialport+bindings-cpp.node', true],
    ['@serialport/bindings-cpp', 'prebuilds/linux-arm64/@serialport+bindings-cpp.armv8.glibc.node', true],
    ['@serialport/bindings-cpp', 'prebuilds/linux-x64/@serialport+bindings-cpp.musl.node', true],
    ['@serialport/bindings-cpp', 'prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node', false],
    ['@serialport/bindings-cpp', 'src/serialport_linux.cpp', true],
    ['@serialport/bindings-cpp', 'dist/index.js', false],
    ['node-hid', 'prebuilds/HID-linux-x64-musl/node-napi-v4.node', true],
    ['node-hid', 'prebuilds/HID-win32-x64/node-napi-v4.node', true],
    ['node-hid', 'prebuilds/HID_hidraw-linux-x64/node-napi-v4.node', false],
    ['node-hid', 'prebuilds/HID-linux-x64/node-napi-v4.node', false],
    ['node-hid', 'hidapi/linux/hid.c', true],
    ['pdfkit', '.yarn/releases/yarn-4.16.0.cjs', true],
    ['pdfkit', 'js/pdfkit.js.map', true],
    ['pdfkit', 'js/pdfkit.js', false],
    ['zod', 'v4/core/core.d.ts', true],
    ['zod', 'README.md', true],
    ['zod', 'LICENSE.md', false],
  ])('%s/%s → dropped: %s', (pkg, rel, dropped) => {
    const native = ['better-sqlite3', '@serialport/bindings-cpp', 'node-hid'].includes(pkg);
    expect(isLeftover(rel, pkg, native, linux)).toBe(dropped);
  });

  it('keeps the Windows prebuilds, and only those, for a win32-x64 package', () => {
    const win = parseTarget('win32-x64');
    expect(isLeftover('prebuilds/win32-x64/@serialport+bindings-cpp.node', '@serialport/bindings-cpp', true, win)).toBe(false);
    expect(isLeftover('prebuilds/HID-win32-x64/node-napi-v4.node', 'node-hid', true, win)).toBe(false);
    expect(isLeftover('prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node', '@serialport/bindings-cpp', true, win)).toBe(true);
  });
});

describe('package check', () => {
  let base: string;
  const nodeBuiltSqlite = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  /** A minimal ELF x86-64 shared object that names Electron 45's module version, as a correct rebuild would. */
  const electronAbiModule = () => {
    const b = Buffer.alloc(96);
    b.write('\x7fELF', 0, 'latin1');
    b[4] = 2;
    b[5] = 1;
    b.writeUInt16LE(62, 18);
    b.write('node_register_module_v150', 64, 'latin1');
    return b;
  };

  async function pack(name: string, files: Record<string, string | Buffer>, fuses: 'factory' | 'configured') {
    const src = path.join(base, name, 'src');
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
      writeFileSync(path.join(src, rel), content);
    }
    const appOut = path.join(base, name, 'linux-unpacked');
    makeStandInElectronDist(appOut);
    copyFileSync(path.join(appOut, 'electron'), path.join(appOut, 'hall-kiosk'));
    mkdirSync(path.join(appOut, 'resources'), { recursive: true });
    await asar.createPackageWithOptions(src, path.join(appOut, 'resources', 'app.asar'), { unpack: '*.node' });
    if (fuses === 'configured') {
      await flipFuses(path.join(appOut, 'hall-kiosk'), {
        version: FuseVersion.V1,
        [FuseV1Options.RunAsNode]: false,
        [FuseV1Options.EnableCookieEncryption]: true,
        [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
        [FuseV1Options.EnableNodeCliInspectArguments]: false,
        [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
        [FuseV1Options.OnlyLoadAppFromAsar]: true,
        [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      });
    }
    return checkPackage(appOut, { platform: 'linux-x64' });
  }

  const app = {
    'package.json': JSON.stringify({ name: 'hall-kiosk', main: 'dist/main/electron-main.cjs' }),
    'dist/main/electron-main.cjs': 'const Database = require("better-sqlite3"); require("electron");',
    'dist/main/preload.cjs': '"use strict"; const { contextBridge } = require("electron");',
    'dist/renderer/index.html': '<!doctype html>',
    'node_modules/better-sqlite3/package.json': '{"name":"better-sqlite3","main":"lib/index.js"}',
    'node_modules/better-sqlite3/lib/index.js': 'module.exports = 1;',
  };

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'package-check-'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('passes a package with Electron-ABI modules, no leftovers and the configured fuses', async () => {
    const r = await pack('good', { ...app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node': electronAbiModule() }, 'configured');
    expect(r.problems).toEqual([]);
    expect(r.abiProblems).toEqual([]);
    expect(r.fuses).toMatchObject({ RunAsNode: '0', OnlyLoadAppFromAsar: '1', GrantFileProtocolExtraPrivileges: '0' });
  });

  it('refuses the Node-built better-sqlite3, renderer-only packages, leftovers, foreign prebuilds, a Node preload and factory fuses', async () => {
    const r = await pack(
      'bad',
      {
        ...app,
        'dist/main/preload.cjs': "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;",
        'dist/main/electron-main.cjs': 'require("better-sqlite3"); require("ws"); require("electron");',
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node': readFileSync(nodeBuiltSqlite),
        'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c': 'int main;',
        'node_modules/react-dom/package.json': '{"name":"react-dom"}',
        'node_modules/chart.js/package.json': '{"name":"chart.js"}',
        'node_modules/x/prebuilds/win32-x64/x.node': Buffer.from('MZ napi_register_module_v1'),
        'dist/main/start.js.map': '{}',
      },
      'factory',
    );
    const all = r.problems.join('\n');
    expect(all).toContain('preload.cjs requires "node:url"');
    expect(all).toContain('preload.cjs uses __filename');
    expect(all).toContain('node_modules/react-dom is in the package but only the renderer uses it');
    expect(all).toContain('node_modules/chart.js is in the package');
    expect(all).toContain('better-sqlite3 ships 1 source/build files');
    expect(all).toMatch(/sources\/objects\/maps in the package/);
    expect(all).toMatch(/prebuilds for other platforms/);
    expect(all).toMatch(/the packed main bundle cannot load ws: Cannot find module 'ws'/);
    for (const fuse of ['RunAsNode is 1, must be 0', 'EnableNodeOptionsEnvironmentVariable is 1', 'EnableNodeCliInspectArguments is 1', 'OnlyLoadAppFromAsar is 0', 'GrantFileProtocolExtraPrivileges is 1', 'EnableCookieEncryption is 0']) {
      expect(all).toContain(`fuse ${fuse}`);
    }
    expect(r.abiProblems).toEqual([
      expect.stringMatching(/better_sqlite3\.node: exports node_register_module_v\d+ but Electron needs v150/),
      'node_modules/x/prebuilds/win32-x64/x.node: built for win32, the package is for linux-x64',
    ]);
  });

  it('expects exactly the fuses build/electron-builder.yml configures', () => {
    // The electronFuses block: `  name: true|false  # comment` lines below `electronFuses:`.
    const yml = readFileSync(path.join(root, 'build', 'electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?: {2}.*\n)+)/m.exec(yml)![1]!;
    const electronFuses = Object.fromEntries([...block.matchAll(/^ {2}(\w+): (true|false)\b/gm)].map((m) => [m[1], m[2] === 'true']));
    const expected = Object.fromEntries(
      Object.entries(EXPECTED_FUSES)
        .filter(([, v]) => v !== null)
        .map(([name, v]) => [name[0]!.toLowerCase() + name.slice(1), v === '1']),
    );
    expect(electronFuses).toEqual(expected);
  });
});
