// What `npm start` / `npm test` must install before they can run, decided from probes of this machine.
// Node built-ins only: this runs before node_modules exists. The decision (planSetup) is pure and unit-tested with
// injected probes (build/setup-plan.test.ts); the probes below read files directly instead of spawning tools so
// that the all-present case stays far below a second.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The kiosk browser's unprivileged user (build/setup-system.sh and build/deploy/linux/install.sh create it). */
export const KIOSK_BROWSER_USER = 'hallkiosk';

/** Package names from build/system-packages.txt (one per line, `#` comments). */
export function readPackageList(text) {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}

/** The names of installed packages in a dpkg status database (`Status: install ok installed`). */
export function installedFromDpkgStatus(text) {
  const installed = new Set();
  for (const stanza of text.split(/\n\n+/)) {
    const name = /^Package: (\S+)$/m.exec(stanza)?.[1];
    const status = /^Status: (.*)$/m.exec(stanza)?.[1];
    if (name && status && status.trim().endsWith(' installed')) installed.add(name.replace(/:.*/, ''));
  }
  return installed;
}

/**
 * Whether node_modules matches package-lock.json: npm writes the tree it installed to node_modules/.package-lock.json.
 * Every locked package must be there with the locked version, except optional ones npm skips on this platform
 * (esbuild's other-platform binaries). Returns { state: 'ok' } or { state: 'absent' | 'stale', reason }.
 */
export function compareInstalledTree(lock, installed) {
  if (!installed) return { state: 'absent', reason: 'node_modules is missing' };
  const want = lock.packages ?? {};
  const have = installed.packages ?? {};
  for (const [key, entry] of Object.entries(want)) {
    if (key === '' || !key.startsWith('node_modules/')) continue;
    const got = have[key];
    if (!got) {
      if (entry.optional) continue;
      return { state: 'stale', reason: `${key.slice('node_modules/'.length)} is not installed` };
    }
    if (got.version !== entry.version) {
      return { state: 'stale', reason: `${key.slice('node_modules/'.length)} is ${got.version}, the lockfile says ${entry.version}` };
    }
  }
  return { state: 'ok' };
}

/** package.json's dependencies that package-lock.json does not record as its root's (npm ci would refuse). */
export function lockOutOfSync(pkg, lock) {
  const root = lock.packages?.[''] ?? {};
  const differ = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const a = pkg[field] ?? {};
    const b = root[field] ?? {};
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[name] !== b[name]) differ.push(name);
  }
  return differ;
}

/**
 * The decision. `purpose` is 'start' or 'test'. Probes:
 *   debian            a dpkg database exists (other systems: the Debian packages are not our business)
 *   missingPackages   names from system-packages.txt that dpkg does not list as installed
 *   cupsRunning       the CUPS scheduler runs (the A4 tests need it; no systemd starts it in a container)
 *   kioskUserExists   the `hallkiosk` user exists (needed when the host runs as root)
 *   root              this process runs as root
 *   sudo()            `sudo -n true` works (called only when a system step is needed)
 *   tree              compareInstalledTree's answer
 *   lockDrift         lockOutOfSync's answer
 * Returns { steps, advice, fatal }: steps to run in order ('system' = build/setup-system.sh, with or without sudo;
 * 'npm-ci'), advice = one sentence for the user when something cannot be done here, fatal = stop with exit 1.
 */
export function planSetup(purpose, probes) {
  const steps = [];
  const advice = [];
  let fatal = false;
  const systemReasons = [];
  if (probes.debian) {
    if (probes.missingPackages.length > 0) systemReasons.push(`missing Debian packages: ${probes.missingPackages.join(' ')}`);
    if (purpose === 'test' && !probes.cupsRunning) systemReasons.push('the CUPS scheduler is not running');
    if (probes.root && !probes.kioskUserExists) systemReasons.push(`the user ${KIOSK_BROWSER_USER} does not exist`);
  }
  if (systemReasons.length > 0) {
    if (probes.root) steps.push({ kind: 'system', sudo: false, reason: systemReasons.join('; ') });
    else if (probes.sudo()) steps.push({ kind: 'system', sudo: true, reason: systemReasons.join('; ') });
    else {
      advice.push(`hall-kiosk: ${systemReasons.join('; ')}; run \`sudo bash build/setup-system.sh\` once, then npm ${purpose} again.`);
      // Tests would fail for want of them. `npm start` can still serve (it says itself when Chromium is missing),
      // but not without the compiler that builds better-sqlite3 when node_modules must be installed first.
      if (purpose === 'test' || (probes.tree.state !== 'ok' && probes.missingPackages.some((p) => ['python3', 'make', 'g++'].includes(p)))) {
        fatal = true;
      }
    }
  }
  if (probes.lockDrift.length > 0) {
    advice.push(`hall-kiosk: package.json and package-lock.json disagree about ${probes.lockDrift.join(', ')}; run \`npm install\` to update the lockfile.`);
    fatal = true;
  } else if (probes.tree.state !== 'ok' && !fatal) {
    steps.push({ kind: 'npm-ci', reason: probes.tree.reason });
  }
  return { steps, advice, fatal };
}

/** The real probes of this machine; `root` is the project directory. */
export function probeMachine(root, purpose) {
  const dpkgStatus = '/var/lib/dpkg/status';
  const debian = process.platform === 'linux' && existsSync(dpkgStatus);
  const wanted = readPackageList(readFileSync(path.join(root, 'build', 'system-packages.txt'), 'utf8'));
  const installed = debian ? installedFromDpkgStatus(readFileSync(dpkgStatus, 'utf8')) : new Set();
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const hidden = path.join(root, 'node_modules', '.package-lock.json');
  const installedTree = existsSync(hidden) ? JSON.parse(readFileSync(hidden, 'utf8')) : undefined;
  return {
    debian,
    missingPackages: debian ? wanted.filter((p) => !installed.has(p)) : [],
    cupsRunning: debian && purpose === 'test' ? processRunning('cupsd') : true,
    kioskUserExists: debian ? userExists(KIOSK_BROWSER_USER) : true,
    root: process.getuid?.() === 0,
    sudo: () => spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
    tree: compareInstalledTree(lock, installedTree),
    lockDrift: lockOutOfSync(pkg, lock),
  };
}

/** A process with this command name exists (Linux /proc; no `pgrep` spawn). */
export function processRunning(comm, procDir = '/proc') {
  for (const entry of readdirSync(procDir)) {
    if (!/^\d+$/.test(entry)) continue;
    let name;
    try {
      name = readFileSync(path.join(procDir, entry, 'comm'), 'utf8').trim();
    } catch (e) {
      if (e.code === 'ENOENT' || e.code === 'ESRCH') continue; // the process ended while we looked
      throw e;
    }
    if (name === comm) return true;
  }
  return false;
}

export function userExists(name, passwd = '/etc/passwd') {
  if (!existsSync(passwd) || !statSync(passwd).isFile()) return false;
  return readFileSync(passwd, 'utf8').split('\n').some((line) => line.startsWith(`${name}:`));
}
