// The staging app folder electron-builder packs (its "two package.json" layout): only what the kiosk runs.
//   - package.json with the host bundles' runtime dependencies only. They are read from the built bundles
//     (dist/main/*.js|cjs keep bare imports external), so everything only the renderer imports (react, react-dom,
//     chart.js, i18next, xstate ... already inside dist/renderer) stays out without a list to maintain.
//   - dist/main (no source maps), dist/renderer, dist/voice and the sample configuration.
//   - node_modules: the dependency closure of those packages, copied from the project's node_modules (which stays
//     as it is: built for Node, for the tests and the browser host). Native modules are rebuilt for Electron here,
//     then pruned: sources, build leftovers and prebuilds for other platforms go.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/** Packages needed only to compile native modules, never at run time: not copied (nor their dependencies). */
export const BUILD_ONLY_PACKAGES = ['node-addon-api', 'nan', 'prebuild-install', 'node-gyp'];

/** Bare package names imported by a bundle (`from "x"`, `import("x")`, `require("x")`, `import "x"`). */
export function bareImports(code) {
  const names = new Set();
  // A specifier is a package name with an optional subpath: no spaces or punctuation that code around a string
  // containing "from" could put between two quotes.
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(["'])([@\w][\w@.~+/-]*)\1/g)) {
    const spec = m[2];
    if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  return names;
}

/** The runtime dependencies of the host bundles in dist/main (Electron itself excluded: it is the runtime). */
export function runtimeRoots(root) {
  const dir = path.join(root, 'dist', 'main');
  const names = new Set();
  for (const f of readdirSync(dir)) {
    if (!/\.(c?js|mjs)$/.test(f) || f.startsWith('preload.')) continue;
    for (const n of bareImports(readFileSync(path.join(dir, f), 'utf8'))) names.add(n);
  }
  names.delete('electron');
  return [...names].sort();
}

function readJson(p) {
  return JSON.parse(readFileSync(p, 'utf8'));
}

/** Node's lookup: <dir>/node_modules/<name> for <from> and each of its parents up to the project root. */
function resolvePackageDir(root, fromDir, name) {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.resolve(root) || dir === path.dirname(dir)) return undefined;
  }
}

/** Package folders (relative to root) that `roots` need at run time, following dependencies and optional ones. */
export function dependencyClosure(root, roots) {
  const seen = new Map();
  const queue = roots.map((name) => ({ name, from: root, optional: false }));
  while (queue.length > 0) {
    const { name, from, optional } = queue.shift();
    if (BUILD_ONLY_PACKAGES.includes(name)) continue;
    const dir = resolvePackageDir(root, from, name);
    if (!dir) {
      if (optional) continue;
      throw new Error(`package: ${name} (needed by ${path.relative(root, from) || 'the host bundles'}) is not in node_modules; run npm ci`);
    }
    const rel = path.relative(root, dir);
    if (seen.has(rel)) continue;
    const pkg = readJson(path.join(dir, 'package.json'));
    seen.set(rel, pkg.version);
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true });
  }
  return [...seen.keys()].sort();
}

const NATIVE_LEFTOVER = /\.(c|cc|cpp|cxx|h|hh|hpp|gyp|gypi|o|a|obj|lib|pdb|exp|ilk|mk|tlog|d)$/i;
const TEXT_LEFTOVER = /\.(map|md|markdown|ts|mts|cts|tsbuildinfo)$/i;
const LICENSE_FILE = /^(licen[cs]e|copying|notice)/i;
/** Folders no package needs at run time (pdfkit alone ships a 2.9 MB yarn release in .yarn/). */
const LEFTOVER_DIRS = new Set(['test', 'tests', '__tests__', '.github', '.yarn', '.vscode', '.idea', '.husky', '.nyc_output', 'coverage']);
/** Folders of native packages that only serve compiling them. */
const NATIVE_LEFTOVER_DIRS = new Set(['example', 'examples', 'benchmark', 'benchmarks', 'obj.target', '.deps', 'deps', 'src', 'hidapi']);
const PLATFORM_DIR = /(?:^|[-_])(linux|win32|darwin|android|freebsd|openbsd|sunos)-([a-z0-9+]+?)(-musl)?$/;

/**
 * Whether a file of an installed package is dead weight in a package for `target` ({ platform, arch, libc }).
 * `rel` is the path inside the package folder, `pkgName` the package's name, `native` whether it has binding.gyp.
 */
export function isLeftover(rel, pkgName, native, target) {
  const parts = rel.split('/');
  const base = parts.at(-1);
  if (LICENSE_FILE.test(base)) return false;
  if (pkgName === 'better-sqlite3') {
    // Only the loader and the one compiled module: deps/ (SQLite's amalgamation), src/, build/Release/obj.target ...
    return !(rel === 'package.json' || rel.startsWith('lib/') || rel === 'build/Release/better_sqlite3.node');
  }
  const dirs = parts.slice(0, -1);
  if (dirs.some((p) => LEFTOVER_DIRS.has(p))) return true;
  if (native && dirs.some((p) => NATIVE_LEFTOVER_DIRS.has(p))) return true;
  if (native && (base === 'binding.gyp' || base === 'Makefile' || base === 'config.gypi')) return true;
  if (NATIVE_LEFTOVER.test(base) || TEXT_LEFTOVER.test(base)) return true;
  return isForeignPrebuild(rel, target);
}

/**
 * Whether `rel` lies in a prebuilds/<platform>-<arch>[-musl]/ folder (serialport, node-hid) for another target than
 * `target` ({ platform, arch, libc }), or is a musl build on a glibc target.
 */
export function isForeignPrebuild(rel, target) {
  const parts = rel.split('/');
  const pre = parts.indexOf('prebuilds');
  if (pre < 0 || parts.length <= pre + 2) return false;
  const m = PLATFORM_DIR.exec(parts[pre + 1]);
  if (!m) return true;
  const [, platform, arches, musl] = m;
  if (platform !== target.platform || !arches.split('+').includes(target.arch)) return true;
  return target.libc === 'glibc' && Boolean(musl || /\.musl\./.test(parts.at(-1)));
}

/** 'linux-x64' → { platform: 'linux', arch: 'x64', libc: 'glibc' } (the kiosks run glibc distributions). */
export function parseTarget(s) {
  const [platform, arch] = s.split('-');
  return { platform, arch, libc: platform === 'linux' ? 'glibc' : undefined };
}

function walkFiles(dir, rel = '') {
  const out = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name === 'node_modules') continue;
      out.push(...walkFiles(dir, r));
    } else out.push(r);
  }
  return out;
}

/** Removes leftovers from every staged package; returns { files, bytes } removed. */
export function prunePackages(stageDir, packages, target) {
  let files = 0;
  let bytes = 0;
  for (const rel of packages) {
    const dir = path.join(stageDir, rel);
    const pkg = readJson(path.join(dir, 'package.json'));
    const native = existsSync(path.join(dir, 'binding.gyp'));
    for (const f of walkFiles(dir)) {
      if (!isLeftover(f, pkg.name, native, target)) continue;
      const p = path.join(dir, f);
      bytes += statSync(p).size;
      files++;
      rmSync(p);
    }
    removeEmptyDirs(dir);
  }
  return { files, bytes };
}

function removeEmptyDirs(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    removeEmptyDirs(p);
    if (readdirSync(p).length === 0) rmSync(p, { recursive: true });
  }
}

/** What the app folder holds besides node_modules (relative to the project root). */
export const APP_FILES = ['dist/main', 'dist/renderer', 'dist/voice', 'kiosk-config/halls', 'kiosk-config/catalog/items.json'];

/**
 * Builds the staging app folder from a built project. Native modules are NOT rebuilt here (see build/package.mjs);
 * call prunePackages after the rebuild.
 */
export function stageApp(root, stageDir) {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  const rootPkg = readJson(path.join(root, 'package.json'));
  const roots = runtimeRoots(root);
  const missing = roots.filter((n) => !rootPkg.dependencies?.[n]);
  if (missing.length > 0) throw new Error(`package: the host bundles import ${missing.join(', ')}, which package.json does not list in dependencies`);
  const appPkg = {
    name: rootPkg.name,
    version: rootPkg.version,
    description: rootPkg.description,
    homepage: rootPkg.homepage,
    author: rootPkg.author,
    license: rootPkg.license,
    private: true,
    type: rootPkg.type,
    main: 'dist/main/electron-main.cjs',
    dependencies: Object.fromEntries(roots.map((n) => [n, rootPkg.dependencies[n]])),
  };
  writeFileSync(path.join(stageDir, 'package.json'), JSON.stringify(appPkg, null, 2) + '\n');
  for (const rel of APP_FILES) {
    const src = path.join(root, rel);
    if (!existsSync(src)) {
      if (rel === 'dist/voice') continue; // voice clips are optional (espeak-ng missing): calls are shown as text
      throw new Error(`package: ${rel} is missing; run node build/build.mjs first`);
    }
    cpSync(src, path.join(stageDir, rel), { recursive: true, filter: (s) => !s.endsWith('.map') });
  }
  const packages = dependencyClosure(root, roots);
  for (const rel of packages) {
    cpSync(path.join(root, rel), path.join(stageDir, rel), {
      recursive: true,
      dereference: true,
      filter: (s) => path.relative(path.join(root, rel), s).split(path.sep)[0] !== 'node_modules',
    });
  }
  const excluded = Object.keys(rootPkg.dependencies ?? {}).filter((n) => !roots.includes(n)).sort();
  return { roots, packages, excluded };
}
