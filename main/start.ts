import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseStartArgs, UsageError, USAGE, type StartOptions } from './cli/args.js';
import { findChromium, KioskBrowser, resolveBrowserUser } from './cli/chromium.js';
import { defaultDataDir } from './cli/data-dir.js';
import { findElectronBinary } from './cli/electron-binary.js';
import { ConfigLoadError, projectRoot } from './config/load.js';
import { installKind } from './config/config-source.js';
import { lanDecision, resolveStartConfig } from './app/boot.js';
import { removeKioskUrlFile, writeKioskUrlFile } from './browser-host/kiosk-url.js';
import { startBrowserHost } from './browser-host/server.js';
import { KioskServices } from './app/kiosk-services.js';
import { createLogger } from './core/logger.js';
import { startLanServer, type LanServer } from './lan/server.js';
import { startFleetAgent } from './fleet/start-fleet.js';

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
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  // --config, else <data dir>/hall.json, else the demo hall in a checkout / provisioning in a package.
  let start;
  try {
    start = resolveStartConfig({ configArg: options.config, dataDir, root, install: installKind(root) });
  } catch (e) {
    if (e instanceof ConfigLoadError) {
      console.error(e.report());
      return 3;
    }
    throw e;
  }
  const { config, configPath, provisioning } = start;

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

  const services = await KioskServices.start({ config, configPath, dataDir, simulate: options.simulate && !provisioning, provisioning, hostKind: 'browser' });
  const logger = createLogger('browser-host');
  // Fleet agent (issue 12): only with a `fleet` config section. A fleet `restart` ends this process cleanly; the
  // service supervisor (systemd Restart=always) starts it again.
  const fleet = startFleetAgent(services, { logger: createLogger('fleet'), restart: () => process.kill(process.pid, 'SIGTERM') });
  const host = await startBrowserHost({
    services,
    rendererDir: path.join(root, 'dist', 'renderer'),
    port: options.port,
    logger,
  });
  console.log(`hall-kiosk: serving ${config.name} (${config.hall.name['zh-CN']}) on ${host.url}`);
  console.log(`hall-kiosk: data in ${dataDir}; mode ${services.mode}; devices ${Object.entries(services.plan.modes).map(([d, m]) => `${d}=${m}`).join(' ')}`);
  for (const w of services.modeWarnings()) console.log(`hall-kiosk: ${w.sentence}`);
  if (provisioning) console.log(`hall-kiosk: no hall configuration (${start.source.kind === 'provisioning' ? start.source.reason : ''}): provisioning; run npm run diag -- provision --config <hall.json> --data-dir ${dataDir}`);
  console.log(`hall-kiosk: health at ${host.url}/healthz`);
  let lan: LanServer | undefined;
  const lanPlan = lanDecision({ config, demo: services.demo, provisioning, lanPort: options.lanPort });
  if (!lanPlan.start) {
    services.setLanState(lanPlan.state);
    if (lanPlan.state.state === 'refused') {
      logger.error({ reason: lanPlan.state.reason }, 'hall LAN API refused');
      console.error(`hall-kiosk: ${lanPlan.state.reason}`);
    }
  } else {
    lan = await startLanServer({ services, rendererDir: path.join(root, 'dist', 'renderer'), port: options.lanPort, logger: createLogger('lan') });
    services.setLanState({ state: 'serving', port: lan.port });
    console.log(`hall-kiosk: hall LAN API and pages on port ${lan.port} (/api/v1, /display.html, /counter.html, /staff.html)`);
  }
  // The launch URL holds the per-launch bridge secret: never printed (stdout ends up in journals), only written
  // to a 0600 file in the data dir for whoever must open the kiosk page by hand.
  const urlFile = writeKioskUrlFile(dataDir, host.launchUrl);
  const openHint = `hall-kiosk: kiosk page URL (with its per-launch secret) in ${urlFile}; open it on this machine, e.g. chromium --app="$(cat ${urlFile})"`;
  if (options.noWindow) console.log(openHint);

  let browser: KioskBrowser | undefined;
  if (!options.noWindow) {
    const chromium = findChromium();
    const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
    const who = resolveBrowserUser();
    if (!chromium) console.log(`hall-kiosk: no Chromium found (apt-get install chromium); serving only\n${openHint}`);
    else if (!hasDisplay) console.log(`hall-kiosk: no DISPLAY; serving only (use --no-window to silence this)\n${openHint}`);
    else if ('refused' in who) console.log(`hall-kiosk: no kiosk window: ${who.refused}; serving only\n${openHint}`);
    else {
      const portrait = config.kiosk.orientation === 'portrait';
      browser = new KioskBrowser({
        binary: chromium,
        url: host.launchUrl,
        dataDir,
        user: who.user,
        width: portrait ? 1080 : 1920,
        height: portrait ? 1920 : 1080,
        logger: logger.child('kiosk-browser'),
      });
      await browser.start();
      console.log(`hall-kiosk: kiosk window opened in ${chromium}${who.user ? ` as ${who.user.name}` : ''}`);
    }
  }

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  console.log('hall-kiosk: stopping');
  // Shutdown is bounded: the servers destroy what is still open after a grace second; should anything else hang,
  // the process still ends (exit 1, said on stderr) instead of lingering half-stopped.
  const deadline = setTimeout(() => {
    console.error('hall-kiosk: shutdown did not complete in 10 s; exiting');
    process.exit(1);
  }, 10_000);
  deadline.unref();
  await browser?.stop();
  removeKioskUrlFile(dataDir);
  await Promise.all([host.close(), lan?.close(), fleet?.stop()]);
  await services.stop();
  clearTimeout(deadline);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`hall-kiosk: failed to start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
