import os from 'node:os';
import path from 'node:path';

/** Where the database, logs and secrets live: `--data-dir`, else $KIOSK_DATA_DIR, else the XDG data home. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KIOSK_DATA_DIR) return env.KIOSK_DATA_DIR;
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'hall-kiosk');
}
