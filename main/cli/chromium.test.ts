import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  chromiumKioskArgs,
  chromiumProfileDir,
  KioskBrowser,
  parsePasswdUser,
  profileProcesses,
  resolveBrowserUser,
  type KioskBrowserLogger,
} from './chromium.js';

const FAKE = path.join(__dirname, 'fixtures', 'fake-chromium.mjs');
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nhallkiosk:x:998:997::/var/lib/hallkiosk:/usr/sbin/nologin\n';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
  // a zombie is not alive for our purposes
  return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

describe('KioskBrowser (stand-in Chromium)', () => {
  const browsers: KioskBrowser[] = [];
  afterEach(async () => {
    await Promise.all(browsers.splice(0).map((b) => b.stop()));
  });

  function setup(env: Record<string, string> = {}) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-browser-'));
    const log = path.join(dir, 'launches.log');
    const childLog = path.join(dir, 'children.log');
    const warnings: string[] = [];
    const errors: string[] = [];
    const logger: KioskBrowserLogger = { info: () => undefined, warn: (_f, m) => warnings.push(m), error: (_f, m) => errors.push(m) };
    const make = (over: Partial<ConstructorParameters<typeof KioskBrowser>[0]> = {}) => {
      const b = new KioskBrowser({
        binary: FAKE,
        url: 'http://127.0.0.1:9/#k=x',
        dataDir: path.join(dir, 'data'),
        width: 100,
        height: 100,
        user: undefined,
        logger,
        env: { ...process.env, FAKE_CHROMIUM_LOG: log, FAKE_CHROMIUM_CHILD_LOG: childLog, ...env },
        ...over,
      });
      browsers.push(b);
      return b;
    };
    return { dir, log, childLog, warnings, errors, make };
  }

  it('stop() ends the browser and the processes it started', async () => {
    const t = setup();
    const b = t.make();
    await b.start();
    await until(() => lines(t.childLog).length === 1);
    const browserPid = b.pid!;
    const childPid = Number(lines(t.childLog)[0]);
    expect(alive(browserPid) && alive(childPid)).toBe(true);
    expect(profileProcesses(b.profileDir)).toEqual([browserPid]);
    await b.stop();
    await until(() => !alive(browserPid) && !alive(childPid));
    expect(profileProcesses(b.profileDir)).toEqual([]);
    expect(lines(t.log)).toHaveLength(1); // stopping is not a crash: no relaunch
    await new Promise((r) => setTimeout(r, 300));
    expect(lines(t.log)).toHaveLength(1);
  });

  it('stops a browser an earlier host left with the same profile instead of piling up a second one', async () => {
    const t = setup();
    const first = t.make();
    await first.start();
    const orphan = first.pid!;
    // the earlier host died without stopping its browser (kill -9): a new host starts with the same data dir
    const second = t.make();
    await second.start();
    await until(() => !alive(orphan));
    expect(profileProcesses(second.profileDir)).toEqual([second.pid]);
    expect(t.warnings).toContain('stopped a kiosk Chromium left by an earlier host');
  });

  it('relaunches an exiting browser with growing back-off and gives up after the limit', async () => {
    const t = setup({ FAKE_CHROMIUM_MODE: 'exit' });
    let gaveUp = 0;
    const b = t.make({ backoffMs: 40, maxBackoffMs: 1000, maxRelaunches: 3, onGiveUp: () => gaveUp++ });
    await b.start();
    await until(() => gaveUp === 1, 15_000); // four node start-ups on a loaded machine
    const times = lines(t.log).map((l) => Number(l.split(' ')[1]));
    expect(times).toHaveLength(4); // the launch and 3 relaunches, then no more
    const gaps = times.slice(1).map((x, i) => x - times[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(40);
    expect(gaps[1]).toBeGreaterThanOrEqual(80);
    expect(gaps[2]).toBeGreaterThanOrEqual(160);
    expect(t.errors).toEqual(['kiosk browser keeps exiting; giving up (the host keeps serving)']);
    await new Promise((r) => setTimeout(r, 400));
    expect(lines(t.log)).toHaveLength(4);
  });
});

describe('who runs the kiosk browser', () => {
  it('never root: root hosts use hallkiosk, or refuse with one sentence', () => {
    expect(resolveBrowserUser(1000, () => PASSWD)).toEqual({ user: undefined });
    expect(resolveBrowserUser(0, () => PASSWD)).toEqual({ user: { name: 'hallkiosk', uid: 998, gid: 997, home: '/var/lib/hallkiosk' } });
    const refused = resolveBrowserUser(0, () => 'root:x:0:0:root:/root:/bin/bash\n');
    expect(refused).toEqual({ refused: expect.stringContaining('sudo bash build/setup-system.sh') });
    expect(resolveBrowserUser(0, () => 'hallkiosk:x:0:0::/:/bin/sh\n')).toHaveProperty('refused');
    expect(parsePasswdUser(PASSWD, 'hall')).toBeUndefined();
  });

  it('keeps the profile where that user can write it, one per data dir', () => {
    const user = parsePasswdUser(PASSWD, 'hallkiosk')!;
    expect(chromiumProfileDir('/data/a')).toBe('/data/a/chromium-profile');
    expect(chromiumProfileDir('/root/.local/share/hall-kiosk', user)).toMatch(/^\/var\/lib\/hallkiosk\/profiles\/[0-9a-f]{12}$/);
    expect(chromiumProfileDir('/a', user)).not.toBe(chromiumProfileDir('/b', user));
  });

  it('runs sandboxed unless it must not', () => {
    const base = { url: 'http://127.0.0.1:1/', profileDir: '/p', width: 1, height: 2 };
    expect(chromiumKioskArgs({ ...base, noSandbox: false })).not.toContain('--no-sandbox');
    expect(chromiumKioskArgs({ ...base, noSandbox: true })).toContain('--no-sandbox');
    expect(chromiumKioskArgs({ ...base, noSandbox: false })).toEqual(expect.arrayContaining(['--kiosk', '--app=http://127.0.0.1:1/', '--user-data-dir=/p']));
  });
});
