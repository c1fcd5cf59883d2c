import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseStartArgs, UsageError, USAGE, type StartOptions } from './cli/args.js';
import { chromiumProfileDir, findChromium, launchChromiumKiosk } from './cli/chromium.js';
import { defaultDataDir } from './cli/data-dir.js';
import { findElectronBinary } from './cli/electron-binary.js';
import { ConfigLoadError, defaultConfigPath, loadConfigFile, projectRoot } from './config/load.js';
import { startBrowserHost } from './browser-host/server.js';
import { KioskServices } from './core/kiosk-services.js';
import { createLogger } from './core/logger.js';
import { startLanServer, type LanServer } from './lan/server.js';

/**
 * `npm start`: runs the Electron host when its binary is present, otherwise the browser host (the same services in
 * plain Node, the renderer in Chromium's kiosk mode over a 127.0.0.1 bridge), and says which and why.
 */

async function main(argv: string[]): Promise<number> {
  let options: StartOptions;
  try {
    options = parseStartArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`hall-kiosk: ${e.message} (see --help)`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const root = projectRoot();
  const configPath = path.resolve(options.config ?? defaultConfigPath());
  let config;
  try {
    config = loadConfigFile(configPath);
  } catch (e) {
    if (e instanceof ConfigLoadError) {
      console.error(e.report());
      return 3;
    }
    throw e;
  }
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());

  if (options.host !== 'browser') {
    const electron = findElectronBinary(root);
    if ('path' in electron) {
      console.log(`hall-kiosk: starting the Electron host (${electron.path})`);
      const args = [path.join(root, 'dist', 'main', 'electron-main.cjs'), ...argv];
      const child = spawn(electron.path, args, { stdio: 'inherit' });
      return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    }
    if (options.host === 'electron') {
      console.error(`hall-kiosk: --host electron, but ${electron.reason}`);
      return 1;
    }
    console.log(`hall-kiosk: starting the browser host, because ${electron.reason}`);
  } else {
    console.log('hall-kiosk: starting the browser host (--host browser)');
  }

  const services = await KioskServices.start({ config, configPath, dataDir, simulate: options.simulate, hostKind: 'browser' });
  const logger = createLogger('browser-host');
  const host = await startBrowserHost({
    services,
    rendererDir: path.join(root, 'dist', 'renderer'),
    port: options.port,
    logger,
  });
  console.log(`hall-kiosk: serving ${config.name} (${config.hall.name['zh-CN']}) on ${host.url}`);
  console.log(`hall-kiosk: data in ${dataDir}; simulation ${services.devices.simulation ? 'on' : 'off'}`);
  console.log(`hall-kiosk: health at ${host.url}/healthz`);
  let lan: LanServer | undefined;
  if (config.network.queue.role === 'host' && options.lanPort !== 0) {
    lan = await startLanServer({ services, rendererDir: path.join(root, 'dist', 'renderer'), port: options.lanPort, logger: createLogger('lan') });
    console.log(`hall-kiosk: hall LAN API and pages on port ${lan.port} (/api/v1, /display.html, /counter.html, /staff.html)`);
  }
  console.log(`hall-kiosk: open ${host.launchUrl}`);

  let shuttingDown = false;
  if (!options.noWindow) {
    const chromium = findChromium();
    const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
    if (!chromium) console.log('hall-kiosk: no Chromium found (apt-get install chromium); serving only');
    else if (!hasDisplay) console.log('hall-kiosk: no DISPLAY; serving only (use --no-window to silence this)');
    else {
      const portrait = config.kiosk.orientation === 'portrait';
      let restarts = 0;
      const launch = () =>
        launchChromiumKiosk({
          binary: chromium,
          url: host.launchUrl,
          profileDir: chromiumProfileDir(dataDir),
          width: portrait ? 1080 : 1920,
          height: portrait ? 1920 : 1080,
          onExit: (code) => {
            if (shuttingDown) return;
            restarts++;
            logger.warn({ code, restarts }, 'kiosk browser exited; relaunching');
            setTimeout(launch, Math.min(30_000, 1000 * 2 ** Math.min(restarts, 5)));
          },
        });
      launch();
      console.log(`hall-kiosk: kiosk window opened in ${chromium}`);
    }
  }

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  shuttingDown = true;
  console.log('hall-kiosk: stopping');
  await host.close();
  await lan?.close();
  await services.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`hall-kiosk: failed to start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
