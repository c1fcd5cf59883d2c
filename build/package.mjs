// Packages the Electron host with electron-builder (build/electron-builder.yml), the way that keeps the project's
// node_modules built for Node (tests, browser host) and gives the package modules built for Electron:
//   1. build (build/build.mjs)
//   2. stage dist/package-stage/app: the host bundles' runtime dependencies only (build/package-stage.mjs)
//   3. rebuild better-sqlite3 there for Electron's ABI with @electron/rebuild (node-hid and serialport are
//      Node-API with prebuilds: not rebuilt — node-hid's rebuild needs libusb headers and would abort packaging)
//   4. prune sources, build leftovers and other platforms' prebuilds
//   5. electron-builder `dir` on the staged app (npmRebuild off: step 3 did it; fuses flipped here)
//   6. build/checks/package-check.mjs on the unpacked app: refuses wrong-ABI modules, renderer-only packages,
//      leftovers, packages that fail to load, an unsandboxable preload, unset fuses
//   7. only if it passed: the installers (deb, AppImage / nsis) from that checked app (--prepackaged).
//      Exit 1 when anything was refused.
//
//   node build/package.mjs                       Linux deb + AppImage (on a connected Linux build machine)
//   node build/package.mjs --win                 Windows nsis (on a Windows build machine: no cross-compiling)
//   node build/package.mjs --linux dir --stand-in --no-rebuild   (npm run package:check) smoke run on a machine
//        that cannot download Electron or its headers: a stand-in Electron distribution, `dir` only, better-sqlite3
//        left as npm built it for Node — so the ABI check must refuse it and the run must exit 1
//   options: --electron-dist <dir>  --no-build  --no-rebuild
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackage, formatReport } from './checks/package-check.mjs';
import { makeStandInElectronDist } from './checks/stand-in-electron.mjs';
import { parseTarget, prunePackages, stageApp } from './package-stage.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stageDir = path.join(root, 'dist', 'package-stage', 'app');
const outDir = path.join(root, 'dist', 'packages');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] && !args[i + 1].startsWith('--') ? args[i + 1] : undefined;
};
const platform = flag('--win') ? 'win32' : 'linux';
const targets = (value(platform === 'win32' ? '--win' : '--linux') ?? (platform === 'win32' ? 'nsis' : 'deb,AppImage')).split(',');
const target = `${platform}-${process.arch}`;
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const started = Date.now();

if (platform !== process.platform) {
  console.error(`package: native modules cannot be cross-compiled; build the ${platform} package on a ${platform} machine`);
  process.exit(2);
}

if (!flag('--no-build')) {
  const r = spawnSync(process.execPath, [path.join(root, 'build', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const staged = stageApp(root, stageDir);
console.log(`package: staged ${staged.packages.length} packages for ${staged.roots.join(', ')}`);
console.log(`package: left out (renderer bundle has them, or unused by the host): ${staged.excluded.join(', ') || 'nothing'}`);

// Rebuild better-sqlite3 for Electron. npm exports ~/.npmrc's nodedir to scripts as npm_config_nodedir; node-gyp
// then builds against that Node's headers whatever target it is given (a Node-ABI module labelled "electron").
for (const k of Object.keys(process.env)) {
  if (k.toLowerCase() === 'npm_config_nodedir') {
    console.warn(`package: ignoring ${k}=${process.env[k]} for the Electron rebuild (it would build against Node's headers)`);
    delete process.env[k];
  }
}
let rebuildFailed = false;
if (flag('--no-rebuild')) {
  console.warn('package: --no-rebuild: native modules stay as npm built them for Node (the package check will say so)');
} else {
  try {
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({ buildPath: stageDir, electronVersion, arch: process.arch, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
    console.log(`package: better-sqlite3 rebuilt for Electron ${electronVersion}`);
  } catch (e) {
    // Not fatal yet: packaging goes on so that the package check below reports every problem; the exit code is 1.
    rebuildFailed = true;
    console.error(`package: FAIL rebuilding better-sqlite3 for Electron ${electronVersion}: ${String(e.message ?? e).split('\n')[0]}`);
  }
}

const pruned = prunePackages(stageDir, staged.packages, parseTarget(target));
console.log(`package: pruned ${pruned.files} files (${mb(pruned.bytes)}): sources, build leftovers, other platforms' prebuilds`);

let electronDist = value('--electron-dist');
if (flag('--stand-in')) {
  if (targets.some((t) => t !== 'dir')) {
    console.error('package: --stand-in packs only `dir` (a stand-in Electron must never reach an installer)');
    process.exit(2);
  }
  electronDist = path.join(root, 'dist', 'package-stage', 'electron-stand-in');
  rmSync(electronDist, { recursive: true, force: true });
  makeStandInElectronDist(electronDist, electronVersion);
}

rmSync(path.join(outDir, `${platform === 'win32' ? 'win' : 'linux'}-unpacked`), { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// First the unpacked app only; the installers are made from it (--prepackaged) after it passed the check, so a
// refused app never becomes an installer.
const builderCli = path.join(root, 'node_modules', 'electron-builder', 'cli.js');
const platformFlag = platform === 'win32' ? '--win' : '--linux';
const common = ['--config', path.join(root, 'build', 'electron-builder.yml'), `-c.electronVersion=${electronVersion}`];
const builder = spawnSync(process.execPath, [builderCli, ...common, platformFlag, 'dir', ...(electronDist ? [`-c.electronDist=${path.resolve(electronDist)}`] : [])], { cwd: root, stdio: 'inherit' });
const unpacked = path.join(outDir, `${platform === 'win32' ? 'win' : 'linux'}-unpacked`);
if (builder.status !== 0) console.error(`package: FAIL electron-builder exited ${builder.status} (the unpacked app is still checked if it was written)`);

const report = await checkPackage(unpacked, { platform: target });
console.log(formatReport(report));
let failed = rebuildFailed || builder.status !== 0 || report.problems.length > 0 || report.abiProblems.length > 0;
const installers = targets.filter((t) => t !== 'dir');
if (!failed && installers.length > 0) {
  const r = spawnSync(process.execPath, [builderCli, ...common, platformFlag, ...installers, '--prepackaged', unpacked], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: FAIL electron-builder (${installers.join(', ')}) exited ${r.status}`);
    failed = true;
  }
} else if (installers.length > 0) {
  console.error(`package: no ${installers.join(' / ')} made: the unpacked app was refused`);
}
console.log(`package: ${failed ? 'FAILED — do not ship this package' : `ok: ${outDir}`} (${Math.round((Date.now() - started) / 1000)} s)`);
process.exit(failed ? 1 : 0);
