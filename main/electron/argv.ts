import { UsageError } from '../cli/args.js';

/**
 * The Electron host's command line holds two kinds of options: the kiosk's own (main/cli/args.ts) and switches
 * that Electron and Chromium read themselves before our code runs (`--no-sandbox`, `--disable-gpu`,
 * `--ozone-platform=wayland` ...). The second kind must be let through, or the kiosk exits 2 on a machine that needs
 * one of them; anything else unknown is still a usage error. Chromium only reads `--switch` and `--switch=value`
 * (never a value in the next argument), so neither do we.
 *
 * Switches that would open the kiosk to the passer-by or to the network are refused by name even though Chromium
 * knows them (the fuses also disable --inspect in a package; this covers development runs and says why).
 */

/** Electron/Chromium switches a technician may need on a hall's machine (names without the leading dashes). */
export const CHROMIUM_SWITCHES: readonly string[] = [
  // sandbox and GPU: old kernels, virtual machines, broken drivers
  'no-sandbox', 'no-zygote', 'disable-gpu', 'disable-gpu-compositing', 'disable-software-rasterizer', 'in-process-gpu',
  'ignore-gpu-blocklist', 'use-gl', 'use-angle', 'enable-unsafe-swiftshader', 'disable-dev-shm-usage',
  'force_high_performance_gpu', 'force_low_power_gpu',
  // display server and screen
  'ozone-platform', 'ozone-platform-hint', 'enable-wayland-ime', 'wayland-text-input-version', 'force-device-scale-factor',
  'high-dpi-support', 'touch-events', 'xdg-portal-required-version',
  // logging (Chromium's own log, separate from the kiosk's)
  'enable-logging', 'log-file', 'log-level', 'v', 'vmodule', 'log-net-log',
  // features, language, networking the hall's IT may impose
  'enable-features', 'disable-features', 'lang', 'disable-http-cache', 'disable-http2', 'disk-cache-size', 'no-proxy-server',
  'proxy-server', 'proxy-bypass-list', 'proxy-pac-url', 'host-resolver-rules', 'password-store',
  'disable-renderer-backgrounding', 'disable-background-timer-throttling', 'autoplay-policy', 'force-renderer-accessibility',
];

/** Switches Chromium or Node would obey that must never reach a kiosk, with the reason given to the technician. */
export const REFUSED_SWITCHES: Readonly<Record<string, string>> = {
  'remote-debugging-port': 'it opens a DevTools port that controls the kiosk',
  'remote-debugging-pipe': 'it opens a DevTools channel that controls the kiosk',
  'remote-allow-origins': 'it only serves remote debugging',
  inspect: 'it opens a Node debugger on the main process',
  'inspect-brk': 'it opens a Node debugger on the main process',
  'inspect-port': 'it opens a Node debugger on the main process',
  'inspect-publish-uid': 'it only serves the Node debugger',
  'js-flags': 'V8 flags can switch off protections of the page',
  'ignore-certificate-errors': 'it accepts forged certificates on the hall network',
  'disable-web-security': 'it switches off the same-origin policy of the kiosk page',
  'user-data-dir': 'the profile lives in the kiosk data directory',
};

export interface SplitArgv {
  /** The kiosk's own options, for parseStartArgs (which still rejects unknown ones). */
  app: string[];
  /** Switches left to Electron/Chromium (they have already read them from the process command line). */
  chromium: string[];
}

export function splitElectronArgv(argv: readonly string[]): SplitArgv {
  const out: SplitArgv = { app: [], chromium: [] };
  for (const arg of argv) {
    const m = /^--([A-Za-z0-9][\w-]*)(=.*)?$/.exec(arg);
    const name = m?.[1];
    if (name !== undefined && Object.prototype.hasOwnProperty.call(REFUSED_SWITCHES, name)) {
      throw new UsageError(`--${name} is refused on a kiosk: ${REFUSED_SWITCHES[name]}`);
    }
    if (name !== undefined && CHROMIUM_SWITCHES.includes(name)) out.chromium.push(arg);
    else out.app.push(arg);
  }
  return out;
}
