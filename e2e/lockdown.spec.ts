import { test, expect } from '@playwright/test';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumProfileDir, parsePasswdUser, profileProcesses, KIOSK_BROWSER_USER } from '../main/cli/chromium.js';

/**
 * The browser host's kiosk window under Xvfb, attacked with REAL key events (xdotool: XSendEvent to the window and
 * XTEST through the server), with the deployment kit's managed Chromium policy installed the way
 * build/deploy/linux/install.sh installs it (its template, in /etc/chromium/policies/managed/, kiosk origin allowed,
 * everything else blocked; this run's file is hall-kiosk-e2e-<pid>.json). Needs root (the policy directory, and the host then runs Chromium as `hallkiosk`), Xvfb,
 * xdotool, imagemagick and Chromium: `sudo bash build/setup-system.sh`. The policy file is removed afterwards (and a
 * deployed hall-kiosk.json put back): it applies to every Chromium on the machine while it is there.
 *
 * LOCKDOWN_SKIP_POLICY=1 runs the same checks without the policy file (to show which checks depend on it).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POLICY_DIR = '/etc/chromium/policies/managed';
/** The deployment kit's file name; this run writes its own file next to it and removes it afterwards. */
const KIT_POLICY_FILE = path.join(POLICY_DIR, 'hall-kiosk.json');
const POLICY_FILE = path.join(POLICY_DIR, `hall-kiosk-e2e-${process.pid}.json`);
const KIOSK_TITLE = '政务服务自助终端';
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = ['Xvfb', 'xdotool', 'import', 'compare', 'chromium', '/usr/bin/python3'].filter((c) => !have(c));
const isRoot = process.getuid?.() === 0;
const kioskUser = existsSync('/etc/passwd') ? parsePasswdUser(readFileSync('/etc/passwd', 'utf8'), KIOSK_BROWSER_USER) : undefined;

test.describe.configure({ mode: 'serial' });
// In CI (root, after build/setup-system.sh) a missing prerequisite is a failure, not a silent skip.
test.skip(!process.env.CI && (process.platform !== 'linux' || missing.length > 0 || !isRoot || !kioskUser), `needs Linux, root, the ${KIOSK_BROWSER_USER} user and ${missing.join(', ') || 'its tools'}: sudo bash build/setup-system.sh`);
test.setTimeout(120_000);

let display = '';
let xvfb: ChildProcess | undefined;
let port = 0;
let dataDir = '';
let previousPolicy: string | undefined;
let host: Host | undefined;

interface Host {
  child: ChildProcess;
  output: () => string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

const x = (args: string[]) => execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' }).trim();
function kioskWindows(): { id: string; title: string }[] {
  // Every visible top-level window with a title: Chromium's task manager, DevTools or print dialogs carry no
  // WM_CLASS at first, so the class is not a filter. No window manager runs, so each is a child of the root.
  const r = spawnSync('xdotool', ['search', '--onlyvisible', '--maxdepth', '1', '--name', '.+'], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  const windows: { id: string; title: string }[] = [];
  for (const id of r.stdout.split('\n').filter(Boolean)) {
    const name = spawnSync('xdotool', ['getwindowname', id], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
    if (name.status === 0) windows.push({ id, title: name.stdout.trim() }); // else it closed since the search
  }
  return windows;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, get: () => T | undefined, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) {
    const v = get();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

function screenshot(file: string): void {
  execFileSync('import', ['-display', display, '-window', 'root', file]);
}
/** Pixels that differ by more than 10 % between two screenshots (ImageMagick's AE metric). */
function changedPixels(a: string, b: string): number {
  const r = spawnSync('compare', ['-metric', 'AE', '-fuzz', '10%', a, b, 'null:'], { encoding: 'utf8' });
  // compare exits 0 (same) or 1 (different) with the count on stderr; 2 or no number is an error, never "unchanged".
  const n = Number.parseFloat(r.stderr.trim());
  if (r.status === 2 || r.status === null || !Number.isFinite(n)) throw new Error(`compare failed (${r.status}): ${r.stderr.trim()}`);
  return n;
}

async function startHost(): Promise<Host> {
  const child = spawn(process.execPath, ['dist/main/start.js', '--port', String(port), '--lan-port', '0', '--data-dir', dataDir, '--simulate'], {
    cwd: root,
    env: { ...process.env, DISPLAY: display, WAYLAND_DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  await until('the host to open its window', () => (out.includes('kiosk window opened') ? true : child.exitCode !== null ? fail(out) : undefined));
  return { child, output: () => out };
}
function fail(out: string): never {
  throw new Error(`host exited:\n${out}`);
}
async function stopHost(h: Host): Promise<void> {
  if (h.child.exitCode !== null) return;
  const exited = new Promise((r) => h.child.once('exit', r));
  h.child.kill('SIGTERM');
  await exited;
}
const kioskProfile = () => chromiumProfileDir(dataDir, kioskUser);

test.beforeAll(async () => {
  for (let n = 90 + Math.floor(Math.random() * 50); ; n++) {
    if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) {
      display = `:${n}`;
      break;
    }
  }
  xvfb = spawn('Xvfb', [display, '-screen', '0', '1080x1920x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  await until('Xvfb', () => (existsSync(`/tmp/.X11-unix/X${display.slice(1)}`) ? true : undefined), 10_000);
  port = await freePort();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-lockdown-'));
  // A run that was killed leaves its policy file behind, and it would lock every later Chromium here: remove those.
  if (existsSync(POLICY_DIR)) {
    for (const f of readdirSync(POLICY_DIR)) {
      const pid = /^hall-kiosk-e2e-(\d+)\.json$/.exec(f)?.[1];
      if (pid && !existsSync(`/proc/${pid}`)) rmSync(path.join(POLICY_DIR, f), { force: true });
    }
  }
  // A deployed kiosk's own policy (another port) would block this test's origin: set it aside for the run.
  previousPolicy = existsSync(KIT_POLICY_FILE) ? readFileSync(KIT_POLICY_FILE, 'utf8') : undefined;
  rmSync(KIT_POLICY_FILE, { force: true });
  if (process.env.LOCKDOWN_SKIP_POLICY !== '1') {
    const template = readFileSync(path.join(root, 'build', 'deploy', 'linux', 'chromium-policy.json.in'), 'utf8');
    mkdirSync(path.dirname(POLICY_FILE), { recursive: true });
    writeFileSync(POLICY_FILE, template.replaceAll('@KIOSK_ORIGIN@', `http://127.0.0.1:${port}`));
  }
  process.once('exit', restorePolicy);
});

function restorePolicy(): void {
  rmSync(POLICY_FILE, { force: true });
  if (previousPolicy !== undefined) writeFileSync(KIT_POLICY_FILE, previousPolicy);
  previousPolicy = undefined;
}

test.afterAll(async () => {
  if (host) await stopHost(host);
  restorePolicy();
  xvfb?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

// Each one did something in the report or is a browser shortcut of the same kind.
const ESCAPES = [
  'ctrl+n', 'ctrl+t', 'ctrl+shift+n', 'ctrl+p', 'ctrl+shift+p', 'ctrl+o', 'ctrl+s', 'ctrl+u', 'ctrl+h', 'ctrl+j', 'ctrl+l',
  'F12', 'ctrl+shift+i', 'ctrl+shift+j', 'ctrl+shift+c', 'F11', 'F6', 'alt+Left', 'alt+Home', 'alt+F4', 'ctrl+shift+Delete',
  'ctrl+shift+b', 'ctrl+d', 'ctrl+shift+o', 'shift+Escape', 'ctrl+shift+q', 'ctrl+w',
];

test('real key events and a dropped file: one kiosk window, kiosk page shown, no print preview or DevTools', async () => {
  test.setTimeout(300_000); // 27 keys, each with two screenshots' worth of work; slow on a loaded machine
  host = await startHost();
  const win = await until('the kiosk window with the kiosk page', () => {
    const w = kioskWindows();
    return w.length === 1 && w[0]!.title === KIOSK_TITLE ? w[0] : undefined;
  });
  await sleep(1500); // let the first screen settle before the baseline screenshot
  const shots = mkdtempSync(path.join(os.tmpdir(), 'lockdown-shots-'));
  const baseline = path.join(shots, 'baseline.png');
  screenshot(baseline);
  const failures: string[] = [];
  for (const key of ESCAPES) {
    x(['key', '--window', win.id, key]); // XSendEvent straight to the kiosk window
    x(['key', key]); // XTEST: as a keyboard (or a keyboard-wedge scanner) would type it
    await sleep(900);
    const after = kioskWindows();
    const shot = path.join(shots, `${key.replace(/\W/g, '_')}.png`);
    screenshot(shot);
    const changed = changedPixels(baseline, shot);
    if (after.length !== 1 || after[0]!.id !== win.id) failures.push(`${key}: windows ${JSON.stringify(after)}`);
    else if (after[0]!.title !== KIOSK_TITLE) failures.push(`${key}: the kiosk window shows "${after[0]!.title}"`);
    // Print preview, DevTools or a browser page cover the window; the idle screen only changes its clock.
    else if (changed > 0.03 * 1080 * 1920) failures.push(`${key}: ${changed} pixels changed (print preview, DevTools or another page)`);
  }
  expect(failures).toEqual([]);
  rmSync(shots, { recursive: true, force: true });

  // A file dragged onto the kiosk with a real X11 drag-and-drop (XDND, text/uri-list) from a GTK window, as from a
  // file manager. On a page without the guard, Chromium opens the file in a new tabbed window ("passwd - Chromium").
  const source = spawn('/usr/bin/python3', [path.join(root, 'e2e', 'fixtures', 'xdnd-file-source.py'), '400', '1600', 'file:///etc/passwd'], {
    env: { ...process.env, DISPLAY: display },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const src = await until('the drag source window', () => kioskWindows().find((w) => w.title === 'xdnd-file-source'));
    x(['windowraise', src.id]);
    await sleep(300);
    x(['mousemove', '500', '1660']);
    await sleep(200);
    x(['mousedown', '1']);
    for (let i = 1; i <= 10; i++) {
      x(['mousemove', String(500 + 4 * i), String(1660 - 76 * i)]);
      await sleep(80);
    }
    await sleep(400);
    x(['mouseup', '1']);
    await sleep(2500);
    const others = kioskWindows().filter((w) => !w.title.startsWith('xdnd-file-source'));
    expect(others, 'after the drop: only the kiosk window, still on the kiosk page').toEqual([{ id: win.id, title: KIOSK_TITLE }]);
  } finally {
    source.kill('SIGTERM');
  }
});

test('policy: file://, other local services and browser pages are blocked for the kiosk browser', async () => {
  // The page guard cannot help when the page is not the kiosk's (an error page, a dropped file being opened): the
  // policy must. A second Chromium with the kiosk's flags, as the kiosk user, opened straight at forbidden URLs.
  const profile = path.join(kioskUser!.home, 'profiles', `lockdown-test-${process.pid}`);
  mkdirSync(profile, { recursive: true });
  chownSync(profile, kioskUser!.uid, kioskUser!.gid);
  const titles: Record<string, string> = {};
  try {
    for (const url of ['file:///etc/', 'http://127.0.0.1:631/', 'chrome://version/']) {
      const child = spawn('chromium', ['--kiosk', `--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-gpu', '--window-position=0,0', '--window-size=1080,1920'], {
        env: { ...process.env, DISPLAY: display, HOME: kioskUser!.home },
        uid: kioskUser!.uid,
        gid: kioskUser!.gid,
        stdio: 'ignore',
        detached: true,
      });
      try {
        const win = await until(`a window for ${url}`, () => kioskWindows().find((w) => w.title !== KIOSK_TITLE && w.title !== '' && w.title !== 'chromium'));
        await sleep(1500);
        titles[url] = kioskWindows().find((w) => w.id === win.id)?.title ?? '(closed)';
      } finally {
        process.kill(-child.pid!, 'SIGKILL');
        await until('the test browser to end', () => (profileProcesses(profile).length === 0 ? true : undefined), 10_000);
      }
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  // Chromium's "blocked by your administrator" page is titled with the URL or host; the real pages are not.
  const seen = JSON.stringify(titles);
  expect(titles['file:///etc/'], seen).not.toMatch(/Index of/);
  expect(titles['http://127.0.0.1:631/'], seen).not.toMatch(/CUPS/);
  expect(titles['chrome://version/'], seen).not.toMatch(/About Version/i);
});

test('stopping the host stops its Chromium; a host after a crashed one leaves exactly one window for 40 s', async () => {
  test.setTimeout(180_000);
  expect(host, 'the first test started the host').toBeDefined();
  await stopHost(host!);
  host = undefined;
  await until('no Chromium with the kiosk profile', () => (profileProcesses(kioskProfile()).length === 0 ? true : undefined), 10_000);
  expect(kioskWindows()).toEqual([]);

  // A host killed without a chance to clean up (kill -9) leaves its Chromium; the next host must not pile up windows.
  const crashed = await startHost();
  await until('the second host window', () => (kioskWindows().length === 1 ? true : undefined));
  crashed.child.kill('SIGKILL');
  await new Promise((r) => crashed.child.once('exit', r));
  expect(profileProcesses(kioskProfile()).length).toBeGreaterThan(0); // its Chromium outlived it
  host = await startHost();
  await until('the third host window', () => {
    const w = kioskWindows(); // one snapshot: the old Chromium's window may close between two calls
    return w.length === 1 && w[0]!.title === KIOSK_TITLE ? true : undefined;
  });
  const counts: number[] = [];
  for (let i = 0; i < 40; i++) {
    counts.push(kioskWindows().length);
    await sleep(1000);
  }
  expect(counts.every((c) => c === 1), `window counts over 40 s: ${counts.join(' ')}`).toBe(true);
  expect(host.output()).not.toContain('relaunching');
  await stopHost(host);
  host = undefined;
  await until('no Chromium left', () => (profileProcesses(kioskProfile()).length === 0 ? true : undefined), 10_000);
});
