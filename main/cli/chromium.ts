import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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
