import { closeSync, fchmodSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The kiosk page's launch URL carries the per-launch bridge secret in its fragment (`#k=…`). It never goes to
 * stdout, a log or a journal. When the host does not open the kiosk window itself (`--no-window`, no Chromium, no
 * display), a person or a service manager opens it from this file: `<data-dir>/kiosk-url`, mode 0600, rewritten
 * at every start and removed at a clean stop.
 */
export const KIOSK_URL_FILE = 'kiosk-url';

export function kioskUrlPath(dataDir: string): string {
  return path.join(dataDir, KIOSK_URL_FILE);
}

/** Writes the URL (one line) with mode 0600, also when a file of that name existed with a wider mode. */
export function writeKioskUrlFile(dataDir: string, launchUrl: string): string {
  const file = kioskUrlPath(dataDir);
  const fd = openSync(file, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, `${launchUrl}\n`);
  } finally {
    closeSync(fd);
  }
  return file;
}

export function removeKioskUrlFile(dataDir: string): void {
  rmSync(kioskUrlPath(dataDir), { force: true });
}
