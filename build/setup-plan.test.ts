import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  compareInstalledTree,
  installedFromDpkgStatus,
  lockOutOfSync,
  planSetup,
  processRunning,
  readPackageList,
  userExists,
  type SetupProbes,
} from './setup-plan.mjs';

function probes(over: Partial<SetupProbes> = {}): SetupProbes {
  return {
    debian: true,
    missingPackages: [],
    cupsRunning: true,
    kioskUserExists: true,
    root: false,
    sudo: () => {
      throw new Error('sudo probed although nothing needs it');
    },
    tree: { state: 'ok' },
    lockDrift: [],
    ...over,
  };
}

describe('planSetup', () => {
  it('does nothing and never probes sudo when everything is there', () => {
    for (const purpose of ['start', 'test'] as const) {
      expect(planSetup(purpose, probes())).toEqual({ steps: [], advice: [], fatal: false });
    }
  });

  it('runs npm ci when node_modules is absent or stale', () => {
    const plan = planSetup('start', probes({ tree: { state: 'absent', reason: 'node_modules is missing' } }));
    expect(plan.steps).toEqual([{ kind: 'npm-ci', reason: 'node_modules is missing' }]);
    expect(planSetup('test', probes({ tree: { state: 'stale', reason: 'x is 1, the lockfile says 2' } })).steps[0]?.kind).toBe('npm-ci');
  });

  it('installs Debian packages before npm ci (node-gyp needs the compiler), as root without sudo', () => {
    const plan = planSetup('test', probes({ root: true, missingPackages: ['g++', 'xdotool'], tree: { state: 'absent', reason: 'r' } }));
    expect(plan.steps.map((s) => s.kind)).toEqual(['system', 'npm-ci']);
    expect(plan.steps[0]).toMatchObject({ kind: 'system', sudo: false });
    expect(plan.steps[0]?.reason).toContain('g++ xdotool');
    expect(plan.fatal).toBe(false);
  });

  it('uses sudo -n when it works without a password', () => {
    const sudo = vi.fn(() => true);
    const plan = planSetup('start', probes({ missingPackages: ['wmctrl'], sudo }));
    expect(plan.steps).toEqual([expect.objectContaining({ kind: 'system', sudo: true })]);
    expect(sudo).toHaveBeenCalledTimes(1);
  });

  it('names the exact command when it cannot install, and stops the tests', () => {
    const plan = planSetup('test', probes({ missingPackages: ['mosquitto'], sudo: () => false }));
    expect(plan.steps).toEqual([]);
    expect(plan.fatal).toBe(true);
    expect(plan.advice).toHaveLength(1);
    expect(plan.advice[0]).toContain('mosquitto');
    expect(plan.advice[0]).toContain('sudo bash build/setup-system.sh');
  });

  it('lets npm start serve without an optional package but not build without the compiler', () => {
    const soft = planSetup('start', probes({ missingPackages: ['wmctrl'], sudo: () => false }));
    expect(soft.fatal).toBe(false);
    expect(soft.advice).toHaveLength(1);
    const hard = planSetup('start', probes({ missingPackages: ['g++'], sudo: () => false, tree: { state: 'absent', reason: 'r' } }));
    expect(hard.fatal).toBe(true);
    expect(hard.steps).toEqual([]);
  });

  it('starts CUPS for tests only and creates the kiosk user only for root', () => {
    expect(planSetup('start', probes({ cupsRunning: false })).steps).toEqual([]);
    expect(planSetup('test', probes({ cupsRunning: false, root: true })).steps[0]?.reason).toContain('CUPS');
    expect(planSetup('start', probes({ kioskUserExists: false })).steps).toEqual([]);
    expect(planSetup('start', probes({ kioskUserExists: false, root: true })).steps[0]?.reason).toContain('hallkiosk');
  });

  it('leaves non-Debian systems alone', () => {
    expect(planSetup('test', probes({ debian: false, missingPackages: [], cupsRunning: false, root: true, kioskUserExists: false })).steps).toEqual([]);
  });

  it('refuses to npm ci over a lockfile that disagrees with package.json', () => {
    const plan = planSetup('start', probes({ lockDrift: ['mqtt'], tree: { state: 'stale', reason: 'r' } }));
    expect(plan.fatal).toBe(true);
    expect(plan.steps).toEqual([]);
    expect(plan.advice[0]).toContain('npm install');
  });
});

describe('probes', () => {
  it('reads the package list without comments and blanks', () => {
    expect(readPackageList('# a\nchromium\n\n  socat  # pty pairs\n')).toEqual(['chromium', 'socat']);
    const real = readPackageList(readFileSync(path.join(__dirname, 'system-packages.txt'), 'utf8'));
    expect(real).toEqual(expect.arrayContaining(['chromium', 'mosquitto', 'mosquitto-clients', 'xdotool', 'wmctrl']));
  });

  it('takes only fully installed packages from the dpkg database', () => {
    const status = [
      'Package: socat\nStatus: install ok installed\nVersion: 1',
      'Package: wmctrl\nStatus: deinstall ok config-files\nVersion: 1',
      'Package: libc6:amd64\nStatus: install ok installed',
      'Package: xdotool\nStatus: install ok half-configured',
    ].join('\n\n');
    expect([...installedFromDpkgStatus(status)].sort()).toEqual(['libc6', 'socat']);
  });

  it('compares node_modules with the lockfile, skipping optional packages of other platforms', () => {
    const lock = {
      packages: {
        '': { dependencies: { a: '1.0.0' } },
        'node_modules/a': { version: '1.0.0' },
        'node_modules/@esbuild/darwin-arm64': { version: '0.27.7', optional: true },
      },
    };
    expect(compareInstalledTree(lock, undefined).state).toBe('absent');
    expect(compareInstalledTree(lock, { packages: { 'node_modules/a': { version: '1.0.0' } } })).toEqual({ state: 'ok' });
    expect(compareInstalledTree(lock, { packages: { 'node_modules/a': { version: '0.9.0' } } })).toEqual({
      state: 'stale',
      reason: 'a is 0.9.0, the lockfile says 1.0.0',
    });
    expect(compareInstalledTree(lock, { packages: {} })).toEqual({ state: 'stale', reason: 'a is not installed' });
    expect(lockOutOfSync({ dependencies: { a: '1.0.0' } }, lock)).toEqual([]);
    expect(lockOutOfSync({ dependencies: { a: '1.0.0', b: '2.0.0' } }, lock)).toEqual(['b']);
  });

  it('finds processes and users from /proc and /etc/passwd files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'setup-plan-'));
    mkdirSync(path.join(dir, '42'));
    writeFileSync(path.join(dir, '42', 'comm'), 'cupsd\n');
    mkdirSync(path.join(dir, 'self'));
    expect(processRunning('cupsd', dir)).toBe(true);
    expect(processRunning('mosquitto', dir)).toBe(false);
    writeFileSync(path.join(dir, 'passwd'), 'root:x:0:0::/root:/bin/bash\nhallkiosk:x:999:996::/var/lib/hallkiosk:/usr/sbin/nologin\n');
    expect(userExists('hallkiosk', path.join(dir, 'passwd'))).toBe(true);
    expect(userExists('hall', path.join(dir, 'passwd'))).toBe(false);
  });
});
