// Inspects a packed app (electron-builder's linux-unpacked / win-unpacked folder) and refuses what would ship a
// broken or bloated kiosk:
//   - native modules not built for the bundled Electron's ABI (build/checks/native-abi.mjs), or for another platform
//   - renderer-only packages (react, chart.js, i18next ... already inside dist/renderer) in node_modules
//   - better-sqlite3 sources and build leftovers, C/C++ sources, object files, source maps
//   - a preload that cannot run in Electron's sandboxed preload runner
//   - Electron fuses not set as build/electron-builder.yml asks (read back from the packed executable)
//   node build/checks/package-check.mjs <appOutDir> [--platform linux-x64]
import asar from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bareImports, isForeignPrebuild, parseTarget } from '../package-stage.mjs';
import { sandboxedPreloadProblems } from '../preload.mjs';
import { checkNativeModules, electronAbi, formatVerdict } from './native-abi.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Fuse states the package must carry, in @electron/fuses FuseV1Options order ('0' off, '1' on). */
export const EXPECTED_FUSES = {
  RunAsNode: '0',
  EnableCookieEncryption: '1',
  EnableNodeOptionsEnvironmentVariable: '0',
  EnableNodeCliInspectArguments: '0',
  EnableEmbeddedAsarIntegrityValidation: '1',
  OnlyLoadAppFromAsar: '1',
  LoadBrowserProcessSpecificV8Snapshot: null, // not set: Electron's default
  GrantFileProtocolExtraPrivileges: '0',
};

/** Packages the renderer bundle already contains; they must never be in the package's node_modules. */
export const RENDERER_ONLY = ['react', 'react-dom', 'scheduler', 'chart.js', 'react-chartjs-2', 'i18next', 'react-i18next', 'xstate', '@xstate/react'];

export const ABI_ADVICE =
  'Package on a connected build machine (npm run package there): @electron/rebuild must download the Electron headers, ' +
  'and ~/.npmrc must not set nodedir (node-gyp would build against the system Node and the module would not load in Electron).';

function dirSize(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
}

async function readFuses(executable) {
  const wire = await getCurrentFuseWire(executable);
  const names = Object.keys(EXPECTED_FUSES);
  const out = {};
  for (const [i, state] of Object.entries(wire)) {
    if (i === 'version') continue;
    out[names[Number(i)] ?? `fuse${i}`] = String.fromCharCode(state);
  }
  return out;
}

/**
 * Checks a packed app folder. Returns { problems, abiProblems, abiVerdicts, fuses, sizes }; `problems` are
 * packaging defects, `abiProblems` native modules that would not load in the bundled Electron.
 */
export async function checkPackage(appOutDir, { platform = `${process.platform}-${process.arch}`, executableName = 'hall-kiosk' } = {}) {
  const problems = [];
  const resources = path.join(appOutDir, 'resources');
  const asarFile = path.join(resources, 'app.asar');
  if (!existsSync(asarFile)) return { problems: [`no ${path.relative(root, asarFile)}: the app was not packed into an asar`], abiProblems: [], abiVerdicts: [], fuses: {}, sizes: {} };
  const entries = asar.listPackage(asarFile, { isPack: false }).map((e) => e.replace(/\\/g, '/'));
  const files = entries.filter((e) => {
    const st = asar.statFile(asarFile, e.slice(1), false);
    return st && !('files' in st);
  });

  const appPkg = JSON.parse(asar.extractFile(asarFile, 'package.json').toString('utf8'));
  if (appPkg.main !== 'dist/main/electron-main.cjs') problems.push(`package.json main is ${appPkg.main}, not dist/main/electron-main.cjs`);
  for (const must of ['/dist/main/electron-main.cjs', '/dist/main/preload.cjs', '/dist/renderer/index.html']) {
    if (!files.includes(must)) problems.push(`${must.slice(1)} is missing from app.asar`);
  }
  if (files.includes('/dist/main/preload.cjs')) {
    for (const p of sandboxedPreloadProblems(asar.extractFile(asarFile, 'dist/main/preload.cjs').toString('utf8'))) problems.push(`dist/main/preload.cjs ${p}`);
  }

  // Renderer-only packages: the fixed list, plus any dependency of the project the host bundles do not import.
  const hostImports = new Set();
  for (const f of files.filter((f) => /^\/dist\/main\/[^/]+\.(c?js|mjs)$/.test(f) && !f.includes('preload'))) {
    for (const n of bareImports(asar.extractFile(asarFile, f.slice(1)).toString('utf8'))) hostImports.add(n);
  }
  const rootDeps = Object.keys(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies ?? {});
  const notForHost = new Set([...RENDERER_ONLY, ...rootDeps.filter((d) => !hostImports.has(d))]);
  const packaged = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/').slice(2, f.split('/')[2].startsWith('@') ? 4 : 3).join('/')));
  for (const name of [...notForHost].sort()) if (packaged.has(name)) problems.push(`node_modules/${name} is in the package but only the renderer uses it`);

  const allowedSqlite = /^\/node_modules\/better-sqlite3\/(package\.json|LICENSE|lib\/.*|build\/Release\/better_sqlite3\.node)$/;
  const sqliteExtra = files.filter((f) => f.startsWith('/node_modules/better-sqlite3/') && !allowedSqlite.test(f));
  if (sqliteExtra.length > 0) problems.push(`better-sqlite3 ships ${sqliteExtra.length} source/build files (e.g. ${sqliteExtra.slice(0, 3).join(', ')})`);
  const leftovers = files.filter((f) => /\.(c|cc|cpp|h|hpp|gyp|gypi|o|obj|a|lib|pdb|map)$/i.test(f) || f.includes('/obj.target/'));
  if (leftovers.length > 0) problems.push(`${leftovers.length} sources/objects/maps in the package (e.g. ${leftovers.slice(0, 3).join(', ')})`);
  const foreignPrebuilds = files.filter((f) => isForeignPrebuild(f.slice(1), parseTarget(platform)));
  if (foreignPrebuilds.length > 0) problems.push(`${foreignPrebuilds.length} prebuilds for other platforms (e.g. ${foreignPrebuilds.slice(0, 3).join(', ')})`);

  // Native modules: all must be unpacked (dlopen cannot read inside an asar) and built for this Electron.
  const packedNative = files.filter((f) => f.endsWith('.node') && !asar.statFile(asarFile, f.slice(1), false).unpacked);
  for (const f of packedNative) problems.push(`${f.slice(1)} is inside app.asar, not unpacked: it cannot be loaded`);
  const { abi, version } = electronAbi(root);
  const unpacked = path.join(resources, 'app.asar.unpacked');
  const abiVerdicts = existsSync(unpacked) ? checkNativeModules(unpacked, abi, platform) : [];
  const abiProblems = abiVerdicts.filter((v) => !v.ok).map((v) => `${path.relative(unpacked, v.file)}: ${v.reason}`);
  if (!abiVerdicts.some((v) => v.file.endsWith('better_sqlite3.node'))) problems.push('better_sqlite3.node is not in app.asar.unpacked');

  // Fuses, read back from the packed executable.
  const exe = path.join(appOutDir, platform.startsWith('win32') ? `${executableName}.exe` : executableName);
  let fuses = {};
  try {
    fuses = await readFuses(exe);
  } catch (e) {
    problems.push(`cannot read the fuses of ${path.relative(root, exe)}: ${e.message}`);
  }
  for (const [name, want] of Object.entries(EXPECTED_FUSES)) {
    if (want !== null && fuses[name] !== undefined && fuses[name] !== want) problems.push(`fuse ${name} is ${fuses[name]}, must be ${want}`);
  }

  // Every package the Electron main bundle requires must load from the packed node_modules (pruning must not have
  // removed a file some package needs). Run in Node: a native module built for Electron fails to load here with
  // a NODE_MODULE_VERSION error, which is what it should do (the ABI check above vouches for it).
  problems.push(...loadCheck(asarFile));

  const sizes = { asar: statSync(asarFile).size, unpacked: existsSync(unpacked) ? dirSize(unpacked) : 0, files: files.length };
  return { problems, abiProblems, abiVerdicts, fuses, sizes, electron: { version, abi } };
}

/** Extracts the asar and requires each package the main bundle requires, from the main bundle's folder. */
export function loadCheck(asarFile) {
  const dir = mkdtempSync(path.join(tmpdir(), 'package-load-'));
  try {
    asar.extractAll(asarFile, dir);
    const main = path.join(dir, 'dist', 'main', 'electron-main.cjs');
    if (!existsSync(main)) return [];
    const names = [...bareImports(readFileSync(main, 'utf8'))].filter((n) => n !== 'electron');
    const script = `
      const req = require('node:module').createRequire(${JSON.stringify(main)});
      for (const name of ${JSON.stringify(names)}) {
        try { req(name); }
        catch (e) {
          if (e.code === 'ERR_DLOPEN_FAILED' && /NODE_MODULE_VERSION/.test(e.message)) continue;
          console.log(name + ': ' + String(e.message).split('\\n')[0]);
        }
      }`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    const failures = r.stdout.split('\n').filter(Boolean).map((l) => `the packed main bundle cannot load ${l}`);
    if (r.status !== 0) failures.push(`load check crashed: ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
    return failures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatReport(r) {
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  const lines = [
    `package-check: app.asar ${mb(r.sizes.asar ?? 0)} + app.asar.unpacked ${mb(r.sizes.unpacked ?? 0)} (${r.sizes.files ?? 0} files)`,
    `package-check: fuses ${Object.entries(r.fuses).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    ...r.abiVerdicts.map((v) => `package-check: native ${formatVerdict(v, v.file.split('app.asar.unpacked/')[1])}`),
    ...r.problems.map((p) => `package-check: FAIL ${p}`),
    ...r.abiProblems.map((p) => `package-check: FAIL native module ${p}`),
  ];
  if (r.abiProblems.length > 0) lines.push(`package-check: native modules are not built for Electron ${r.electron.version} (NODE_MODULE_VERSION ${r.electron.abi}). ${ABI_ADVICE}`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: node build/checks/package-check.mjs <appOutDir> [--platform linux-x64]');
    process.exit(2);
  }
  const pi = args.indexOf('--platform');
  const r = await checkPackage(path.resolve(dir), pi >= 0 ? { platform: args[pi + 1] } : {});
  console.log(formatReport(r));
  process.exit(r.problems.length + r.abiProblems.length > 0 ? 1 : 0);
}
