import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The unprivileged user the kiosk Chromium runs as when the host runs as root (build/setup-system.sh creates it). */
export const KIOSK_BROWSER_USER = 'hallkiosk';

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KIOSK_CHROMIUM && existsSync(env.KIOSK_CHROMIUM)) return env.KIOSK_CHROMIUM;
  return CANDIDATES.find((p) => existsSync(p));
}

export interface BrowserUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** A user from an /etc/passwd text, or undefined. */
export function parsePasswdUser(passwd: string, name: string): BrowserUser | undefined {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 7) return { name, uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' };
  }
  return undefined;
}

/**
 * Who runs the kiosk Chromium. Never root: a browser that can be escaped (a new window, a file:// page) would read the
 * installation key and the database. When the host is root, Chromium runs as `hallkiosk`; when that user does not
 * exist the window is refused with one sentence. `{ user: undefined }` = the host's own (unprivileged) user.
 */
export function resolveBrowserUser(
  uid: number | undefined = process.getuid?.(),
  readPasswd: () => string = () => readFileSync('/etc/passwd', 'utf8'),
): { user: BrowserUser | undefined } | { refused: string } {
  if (uid !== 0) return { user: undefined };
  const user = parsePasswdUser(readPasswd(), KIOSK_BROWSER_USER);
  if (!user) {
    return {
      refused: `the host runs as root and the kiosk browser must not; create its user with \`sudo bash build/setup-system.sh\` (or run the host as an unprivileged user)`,
    };
  }
  if (user.uid === 0) return { refused: `the user ${KIOSK_BROWSER_USER} has uid 0; the kiosk browser must not run as root` };
  return { user };
}

/**
 * The Chromium profile. The host's own user keeps it in the data dir; the `hallkiosk` user cannot enter root's data
 * dir, so it gets one profile per data dir under its home.
 */
export function chromiumProfileDir(dataDir: string, user?: BrowserUser): string {
  if (!user) return path.join(dataDir, 'chromium-profile');
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  return path.join(user.home, 'profiles', id);
}

/**
 * The command line. `--kiosk --app` (full screen, no tabs or address bar), its own profile, no background networking
 * (no internet here, and a public terminal must not phone home), no translate bar, pinch zoom, swipe navigation,
 * crash bubble or default-browser prompt. The managed policy (build/deploy/linux/chromium-policy.json.in) does the
 * rest: URL allowlist, no printing, downloads, DevTools, incognito, guest or file dialogs.
 * No window manager may be running (Xvfb, cage): position and size are set explicitly.
 */
export function chromiumKioskArgs(o: { url: string; profileDir: string; width: number; height: number; noSandbox: boolean }): string[] {
  const args = [
    '--kiosk',
    `--app=${o.url}`,
    `--user-data-dir=${o.profileDir}`,
    '--window-position=0,0',
    `--window-size=${o.width},${o.height}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--noerrdialogs',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    '--disable-features=Translate,TranslateUI,MediaRouter,GlobalMediaControls,DownloadBubble,HttpsUpgrades',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--disable-session-crashed-bubble',
    '--disable-infobars',
    '--password-store=basic',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (o.noSandbox) args.push('--no-sandbox');
  return args;
}

export interface KioskBrowserLogger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

export interface KioskBrowserOptions {
  binary: string;
  url: string;
  dataDir: string;
  width: number;
  height: number;
  logger: KioskBrowserLogger;
  /** From resolveBrowserUser; undefined = the host's own user. */
  user: BrowserUser | undefined;
  /** Relaunches in a row (each after a short life) before giving up. Default 8. */
  maxRelaunches?: number;
  /** A window that lived this long (ms) resets the count. Default 60 000. */
  stableAfterMs?: number;
  /** First back-off (ms), doubled per relaunch up to maxBackoffMs. Defaults 1000 and 30 000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Called once when the relaunch limit is reached (the host keeps serving; /healthz shows no page). */
  onGiveUp?: () => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * The kiosk window's Chromium, supervised: before a launch, a Chromium left by an earlier host with the same profile
 * is stopped (a new Chromium would hand its URL to it and exit 0, and the host would take that for a crash and open
 * one more window every few seconds); Chromium runs in its own process group, which stop() and the host's exit kill
 * as a whole; an unexpected exit is relaunched with exponential back-off and a limit.
 */
export class KioskBrowser {
  private child: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private relaunches = 0;
  private launchedAt = 0;
  private readonly onProcessExit = () => this.killGroup('SIGKILL');
  readonly profileDir: string;

  constructor(private readonly o: KioskBrowserOptions) {
    this.profileDir = chromiumProfileDir(o.dataDir, o.user);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times it has been relaunched since the last stable window. */
  get relaunchCount(): number {
    return this.relaunches;
  }

  async start(): Promise<void> {
    process.on('exit', this.onProcessExit);
    await this.launch();
  }

  private async launch(): Promise<void> {
    if (this.stopping) return;
    const stale = await stopProfileProcesses(this.profileDir);
    if (stale.length > 0) this.o.logger.warn({ pids: stale }, 'stopped a kiosk Chromium left by an earlier host');
    prepareProfile(this.profileDir, this.o.user);
    const env = { ...(this.o.env ?? process.env) };
    if (this.o.user) {
      env.HOME = this.o.user.home;
      env.USER = env.LOGNAME = this.o.user.name;
      delete env.XAUTHORITY; // root's cookie file is unreadable for the kiosk user; Xvfb/cage need none
      delete env.XDG_RUNTIME_DIR;
    }
    const noSandbox = (process.getuid?.() === 0 && !this.o.user) || env.KIOSK_CHROMIUM_NO_SANDBOX === '1';
    const args = chromiumKioskArgs({ url: this.o.url, profileDir: this.profileDir, width: this.o.width, height: this.o.height, noSandbox });
    const child = spawn(this.o.binary, args, {
      stdio: 'ignore',
      env,
      detached: true, // its own process group: stop() kills the browser with its zygote, GPU and renderer children
      ...(this.o.user ? { uid: this.o.user.uid, gid: this.o.user.gid } : {}),
    });
    this.child = child;
    this.launchedAt = Date.now();
    child.on('error', (e) => this.o.logger.error({ err: e.message }, 'kiosk browser could not be started'));
    child.on('exit', (code, signal) => this.exited(child, code, signal));
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.stopping) return;
    // The group may still hold renderer or GPU processes of the browser that died: they go with it.
    if (child.pid) killGroupOf(child.pid, 'SIGKILL');
    const lived = Date.now() - this.launchedAt;
    if (lived >= (this.o.stableAfterMs ?? 60_000)) this.relaunches = 0;
    this.relaunches++;
    const max = this.o.maxRelaunches ?? 8;
    if (this.relaunches > max) {
      this.o.logger.error({ code, signal, relaunches: max }, 'kiosk browser keeps exiting; giving up (the host keeps serving)');
      this.o.onGiveUp?.();
      return;
    }
    const delay = Math.min(this.o.maxBackoffMs ?? 30_000, (this.o.backoffMs ?? 1000) * 2 ** (this.relaunches - 1));
    this.o.logger.warn({ code, signal, livedMs: lived, relaunch: this.relaunches, delayMs: delay }, 'kiosk browser exited; relaunching');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.launch().catch((e: unknown) => this.o.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'kiosk browser relaunch failed'));
    }, delay);
  }

  /** Stops the browser and everything it started; resolves when the browser process has exited (≤ 5 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      this.killGroup('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), delay(4000).then(() => true)]);
      if (timedOut) this.killGroup('SIGKILL');
      await Promise.race([exited, delay(1000)]);
    }
    // Chromium's children may outlive the browser process for a moment; the group goes as a whole.
    if (child?.pid) killGroupOf(child.pid, 'SIGKILL');
    this.child = undefined;
    process.off('exit', this.onProcessExit);
  }

  private killGroup(signal: NodeJS.Signals): void {
    if (this.child?.pid) killGroupOf(this.child.pid, signal);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function killGroupOf(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e; // ESRCH: the group is already gone
  }
}

/** Pids whose command line holds exactly `--user-data-dir=<profileDir>` (Linux /proc; elsewhere none). */
export function profileProcesses(profileDir: string, procDir = '/proc'): number[] {
  if (!existsSync(procDir)) return [];
  const wanted = `--user-data-dir=${profileDir}`;
  const pids: number[] = [];
  for (const entry of readdirSync(procDir)) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(path.join(procDir, entry, 'cmdline'), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES') continue; // gone while we looked, or not ours
      throw e;
    }
    if (cmdline.split('\0').includes(wanted)) pids.push(Number(entry));
  }
  return pids;
}

/** Stops every process using this profile: SIGTERM, then SIGKILL after 3 s. Returns the pids found. */
export async function stopProfileProcesses(profileDir: string, procDir = '/proc'): Promise<number[]> {
  const found = profileProcesses(profileDir, procDir);
  if (found.length === 0) return found;
  const signalAll = (signal: NodeJS.Signals) => {
    for (const pid of profileProcesses(profileDir, procDir)) {
      try {
        process.kill(pid, signal);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    }
  };
  signalAll('SIGTERM');
  for (let waited = 0; waited < 3000 && profileProcesses(profileDir, procDir).length > 0; waited += 100) await delay(100);
  signalAll('SIGKILL');
  for (let waited = 0; waited < 2000 && profileProcesses(profileDir, procDir).length > 0; waited += 100) await delay(100);
  return found;
}

/** Creates the profile (owned by the browser's user) with translation off. */
function prepareProfile(profileDir: string, user: BrowserUser | undefined): void {
  if (user) {
    for (const dir of [path.dirname(profileDir), profileDir]) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chownSync(dir, user.uid, user.gid);
    }
  }
  const written = disableTranslateInProfile(profileDir);
  if (user) for (const p of written) chownSync(p, user.uid, user.gid);
}

/**
 * Chromium offers to translate a page whose language differs from its UI language, as a bubble over the kiosk; the
 * pages say `translate="no"`, the policy says TranslateEnabled=false, and the profile turns the feature off too
 * (its Preferences file is JSON). Returns the paths it created or wrote.
 */
export function disableTranslateInProfile(profileDir: string): string[] {
  const dir = path.join(profileDir, 'Default');
  const file = path.join(dir, 'Preferences');
  let prefs: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      prefs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      prefs = {}; // a damaged Preferences file is rewritten; Chromium would reset it anyway
    }
  }
  prefs.translate = { ...(prefs.translate as object | undefined), enabled: false };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(prefs));
  return [dir, file];
}
