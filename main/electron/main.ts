import * as electron from 'electron';
import path from 'node:path';
import { parseStartArgs, UsageError } from '../cli/args.js';
import { ConfigLoadError, defaultConfigPath, loadConfigFile, projectRoot } from '../config/load.js';
import { KioskServices } from '../core/kiosk-services.js';
import { createLogger } from '../core/logger.js';
import { startLanServer } from '../lan/server.js';
import { defaultDataDir } from '../cli/data-dir.js';
import {
  createKioskWindow,
  denyPermissions,
  registerAppScheme,
  serveRenderer,
  setupIpc,
  watchRenderer,
  type RecoveryCounters,
} from './wiring.js';

/**
 * Electron main process: setupX() in order — single instance, app scheme, config, services, security, IPC,
 * window, recovery, power. The same KioskServices as the browser host.
 */
async function main(): Promise<void> {
  const { app, powerSaveBlocker } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme(electron);
  const argv = process.argv.slice(app.isPackaged ? 1 : 2);
  let options;
  try {
    options = parseStartArgs(argv);
  } catch (e) {
    console.error(`hall-kiosk: ${e instanceof UsageError ? e.message : String(e)}`);
    app.exit(2);
    return;
  }
  const root = projectRoot();
  const configPath = path.resolve(options.config ?? defaultConfigPath());
  let config;
  try {
    config = loadConfigFile(configPath);
  } catch (e) {
    console.error(e instanceof ConfigLoadError ? e.report() : String(e));
    app.exit(3);
    return;
  }
  const development = process.env.KIOSK_DEV === '1';
  await app.whenReady();
  const logger = createLogger('electron');
  const services = await KioskServices.start({
    config,
    configPath,
    dataDir: path.resolve(options.dataDir ?? defaultDataDir()),
    simulate: options.simulate,
    hostKind: 'electron',
  });
  if (config.network.queue.role === 'host' && options.lanPort !== 0) {
    await startLanServer({ services, rendererDir: path.join(root, 'dist', 'renderer'), port: options.lanPort, logger: createLogger('lan') });
  }
  denyPermissions(electron);
  serveRenderer(electron, path.join(root, 'dist', 'renderer'));
  let win: electron.BrowserWindow | undefined;
  setupIpc(electron, services, () => win, logger);
  const counters: RecoveryCounters = { renderCrashes: 0, hangs: 0 };
  const open = () => {
    win = createKioskWindow(electron, {
      preloadPath: path.join(root, 'dist', 'main', 'preload.cjs'),
      rendererDir: path.join(root, 'dist', 'renderer'),
      orientation: config.kiosk.orientation,
      development,
    });
    watchRenderer(win, logger, counters, () => services.hub.markNotReady());
  };
  open();
  const blocker = powerSaveBlocker.start('prevent-display-sleep');
  app.on('second-instance', () => win?.focus());
  app.on('window-all-closed', () => open());
  app.on('before-quit', () => {
    powerSaveBlocker.stop(blocker);
    void services.stop();
  });
}

void main();
