import { existsSync } from 'node:fs';
import path from 'node:path';
import { KioskConfigSchema, type KioskConfig } from '../../kiosk-config/schema.js';

/** The hall config a provisioned kiosk runs on: written by `npm run diag -- provision` into its data dir. */
export const DATA_DIR_CONFIG = 'hall.json';

/** The sample demo hall a repository checkout starts when nothing else is given. */
export const SAMPLE_HALL = path.join('kiosk-config', 'halls', 'county-center.json');

/**
 * Where this copy of hall-kiosk runs from: a `checkout` of the repository (its TypeScript sources are there) or a
 * `packaged` install (deb/AppImage/asar: built files only). `KIOSK_INSTALL=packaged|checkout` overrides the guess;
 * Electron passes `app.isPackaged`.
 */
export type InstallKind = 'checkout' | 'packaged';

export function installKind(root: string, env: NodeJS.ProcessEnv = process.env, electronPackaged?: boolean): InstallKind {
  if (env.KIOSK_INSTALL === 'packaged' || env.KIOSK_INSTALL === 'checkout') return env.KIOSK_INSTALL;
  if (electronPackaged !== undefined) return electronPackaged ? 'packaged' : 'checkout';
  if (root.split(path.sep).includes('app.asar')) return 'packaged';
  return existsSync(path.join(root, 'main', 'start.ts')) ? 'checkout' : 'packaged';
}

export type ConfigSource =
  | { kind: 'file'; path: string; origin: 'argument' | 'data-dir' | 'sample' }
  | { kind: 'provisioning'; reason: string };

/**
 * Which hall config the host runs, in this order:
 * 1. `--config <file>`;
 * 2. `<data dir>/hall.json` (a provisioned kiosk);
 * 3. a repository checkout: the sample demo hall (the README's quick start);
 * 4. a packaged install: none — the kiosk starts in provisioning (no device, no LAN API, no demo data) and its
 *    screen tells the technician how to provision it. A package never runs the sample hall with its public tokens.
 */
export function chooseConfigSource(o: { configArg?: string | undefined; dataDir: string; root: string; install: InstallKind }): ConfigSource {
  if (o.configArg) return { kind: 'file', path: path.resolve(o.configArg), origin: 'argument' };
  const provisioned = path.join(o.dataDir, DATA_DIR_CONFIG);
  if (existsSync(provisioned)) return { kind: 'file', path: provisioned, origin: 'data-dir' };
  if (o.install === 'checkout') return { kind: 'file', path: path.join(o.root, SAMPLE_HALL), origin: 'sample' };
  return { kind: 'provisioning', reason: `no --config and no ${provisioned}` };
}

/** What the kiosk screen shows while provisioning (plain text; the technician reads it). */
export const PROVISIONING_SCREEN = {
  title: '本机尚未配置 · This kiosk has no hall configuration',
  lines: [
    '请联系技术人员完成开通。 Please ask a technician to provision this kiosk.',
    'Technician: copy the hall file to this machine, then run',
    'npm run diag -- provision --config <hall.json> --data-dir <data dir>',
    'It writes <data dir>/hall.json with fresh LAN tokens and counter PINs, sets the manager and technician PINs and',
    'prints the new secrets once. Then restart the kiosk.',
  ],
};

/**
 * The placeholder the services run on while provisioning: it names no real hall, has no devices (the device plan
 * starts none), no tokens and no counters.
 */
export function provisioningPlaceholderConfig(): KioskConfig {
  const hours = [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }];
  const text = { 'zh-CN': '未配置', 'zh-TW': '未配置', en: 'not configured' };
  return KioskConfigSchema.parse({
    configVersion: 1,
    name: 'provisioning: no hall configuration',
    hall: { id: 'unprovisioned', name: { 'zh-CN': '未配置政务服务中心', 'zh-TW': '未配置政務服務中心', en: 'Unprovisioned kiosk' }, level: 'center', address: text, phone: '000' },
    kiosk: { id: 'unprovisioned' },
    openingHours: { weekly: hours },
    queue: { categories: [{ id: 'none', prefix: 'A', name: text, windows: ['1'], hours }] },
    network: { queue: { role: 'host' }, apiTokens: [], counters: [] },
  });
}
