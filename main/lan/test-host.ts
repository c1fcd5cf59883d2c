import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import { KioskServices } from '../app/kiosk-services.js';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';

/**
 * Test kit for the LAN and browser host servers (tests only): the kiosk's services on simulators with a temporary
 * data dir, the sample hall open around the clock, a stand-in renderer folder whose kiosk page carries a marker,
 * and (re-exported from ./raw-http.ts) a raw HTTP client on node:net.
 */
export const KIOSK_PAGE_MARKER = 'KIOSK-PAGE-ONLY-ON-127.0.0.1';

export interface TestKiosk {
  services: KioskServices;
  rendererDir: string;
  dir: string;
  cleanup(): Promise<void>;
}

export function allDay(config: KioskConfig): KioskConfig {
  return {
    ...config,
    queue: {
      ...config.queue,
      holidays: [],
      categories: config.queue.categories.map((c) => ({ ...c, hours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }] })),
    },
  } as KioskConfig;
}

export async function startTestKiosk(mutate: (c: KioskConfig) => KioskConfig = (c) => c): Promise<TestKiosk> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-lan-'));
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), `<!doctype html><title>kiosk</title>${KIOSK_PAGE_MARKER}`);
  writeFileSync(path.join(rendererDir, 'display.html'), '<!doctype html><title>display</title>DISPLAY');
  writeFileSync(path.join(rendererDir, 'follow.html'), '<!doctype html><title>follow</title>FOLLOW-PAGE');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("asset")');
  const config = mutate(allDay(loadConfigFile(defaultConfigPath())));
  const services = await KioskServices.start({ config, configPath: defaultConfigPath(), dataDir: path.join(dir, 'data'), simulate: true, hostKind: 'browser' });
  return {
    services,
    rendererDir,
    dir,
    cleanup: async () => {
      await services.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { rawGet, rawHttp, upgradeRequest, within, type RawResponse } from './raw-http.js';
