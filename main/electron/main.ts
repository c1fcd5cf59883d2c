import * as electron from 'electron';
import path from 'node:path';
import { parseStartArgs, UsageError } from '../cli/args.js';
import { ConfigLoadError, projectRoot } from '../config/load.js';
import { installKind } from '../config/config-source.js';
import { lanDecision, resolveStartConfig } from '../app/boot.js';
import { KioskServices } from '../app/kiosk-services.js';
import { createLogger } from '../core/logger.js';
import { startLanServer } from '../lan/server.js';
import { startFleetAgent } from '../fleet/start-fleet.js';
import { defaultDataDir } from '../cli/data-dir.js';
import { splitElectronArgv } from './argv.js';
import {
  createKioskWindow,
  denyPermissions,
  lockDownApp,
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
    // Chromium/Electron switches (--no-sandbox, --ozone-platform=...) were read by Electron already: skip them.
    options = parseStartArgs(splitElectronArgv(argv).app);
  } catch (e) {
    console.error(`hall-kiosk: ${e instanceof UsageError ? e.message : String(e)}`);
    app.exit(2);
    return;
  }
  const root = projectRoot();
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  let start;
  try {
    // --config, else <data dir>/hall.json, else the demo hall in a checkout / provisioning in a package.
    start = resolveStartConfig({ configArg: options.config, dataDir, root, install: installKind(root, process.env, app.isPackaged) });
  } catch (e) {
    console.error(e instanceof ConfigLoadError ? e.report() : String(e));
    app.exit(3);
    return;
  }
  const development = process.env.KIOSK_DEV === '1';
  await app.whenReady();
  const logger = createLogger('electron');
  const { config, configPath, provisioning } = start;
  const services = await KioskServices.start({ config, configPath, dataDir, simulate: options.simulate && !provisioning, provisioning, hostKind: 'electron' });
  const lanPlan = lanDecision({ config, demo: services.demo, provisioning, lanPort: options.lanPort });
  if (lanPlan.start) {
    const lan = await startLanServer({ services, rendererDir: path.join(root, 'dist', 'renderer'), port: options.lanPort, logger: createLogger('lan') });
    services.setLanState({ state: 'serving', port: lan.port });
  } else {
    services.setLanState(lanPlan.state);
    if (lanPlan.state.state === 'refused') {
      logger.error({ reason: lanPlan.state.reason }, 'hall LAN API refused');
      console.error(`hall-kiosk: ${lanPlan.state.reason}`);
    }
  }
  // Fleet agent (issue 12), only with a `fleet` config section; a fleet `restart` quits, the supervisor restarts.
  const fleet = startFleetAgent(services, { logger: createLogger('fleet'), restart: () => app.quit() });
  lockDownApp(electron);
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
    void Promise.resolve(fleet?.stop())
      .catch((e: unknown) => logger.error({ err: e instanceof Error ? e.message : String(e) }, 'fleet agent stop failed'))
      .then(() => services.stop());
  });
}

void main();
