import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds the Electron binary without triggering the `electron` package's lazy download (which needs GitHub and
 * fails on these machines). Returns the path, or a reason why there is none.
 */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): { path: string } | { reason: string } {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(pkgDir)) return { reason: 'the electron package is not installed' };
  const pathFile = path.join(pkgDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, name || 'electron');
    return existsSync(p) ? { path: p } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${p}` };
  }
  if (!name) return { reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  const p = path.join(pkgDir, 'dist', name);
  return existsSync(p) ? { path: p } : { reason: `the Electron binary is missing at ${p}` };
}
