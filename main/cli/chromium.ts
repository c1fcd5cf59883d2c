import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KIOSK_CHROMIUM && existsSync(env.KIOSK_CHROMIUM)) return env.KIOSK_CHROMIUM;
  return CANDIDATES.find((p) => existsSync(p));
}

export interface ChromiumKioskOptions {
  binary: string;
  url: string;
  profileDir: string;
  width: number;
  height: number;
  /** Relaunch when the browser exits unexpectedly (a kiosk recovers by itself). */
  onExit: (code: number | null) => void;
}

/**
 * Chromium as the kiosk window: `--kiosk --app`, its own profile, no background networking (these machines have no
 * internet and a public terminal must not phone home), no translate bar, no pinch zoom, no swipe navigation.
 * No window manager may be running (Xvfb, bare X): position and size are set explicitly.
 */
export function launchChromiumKiosk(o: ChromiumKioskOptions): ChildProcess {
  disableTranslateInProfile(o.profileDir);
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
    '--disable-features=Translate,TranslateUI,MediaRouter',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--disable-session-crashed-bubble',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const child = spawn(o.binary, args, { stdio: 'ignore', env: { ...process.env } });
  child.on('exit', (code) => o.onExit(code));
  return child;
}

export function chromiumProfileDir(dataDir: string): string {
  return path.join(dataDir, 'chromium-profile');
}

/**
 * Chromium offers to translate a page whose language differs from its UI language, as a bubble over the kiosk; the
 * pages say `translate="no"`, and the kiosk profile turns the feature off too (its Preferences file is JSON).
 */
export function disableTranslateInProfile(profileDir: string): void {
  const dir = path.join(profileDir, 'Default');
  const file = path.join(dir, 'Preferences');
  let prefs: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      prefs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      prefs = {}; // a damaged Preferences file is rewritten; Chromium would reset it anyway
    }
  }
  prefs.translate = { ...(prefs.translate as object | undefined), enabled: false };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(prefs));
}
