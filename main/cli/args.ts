/**
 * Command line of `npm start` (dist/main/start.js) and of the Electron main process.
 * Unknown options and bad values are a one-line error and exit code 2.
 */
export interface StartOptions {
  config?: string;
  dataDir?: string;
  /** Browser host port on 127.0.0.1; 0 = any free port. Default 8787. */
  port: number;
  /** LAN port of the hall API (/api/v1, counter and display pages); 0 = off. Default 8788 when this kiosk is the queue host. */
  lanPort: number;
  noWindow: boolean;
  simulate: boolean;
  host: 'auto' | 'electron' | 'browser';
  help: boolean;
}

export const USAGE = `usage: npm start -- [options]
  --config <file>     kiosk configuration (JSON); default: <data dir>/hall.json, else in a checkout the sample
                      demo hall kiosk-config/halls/county-center.json, else (packaged) provisioning
  --data-dir <dir>    database, logs, secrets and kiosk-url; default: $KIOSK_DATA_DIR or ~/.local/share/hall-kiosk
  --port <n>          browser host port on 127.0.0.1 (0 = any free port); default 8787
  --lan-port <n>      hall LAN API port (/api/v1, counter and display pages; 0 = off); default 8788
  --no-window         serve only; the kiosk page URL (with its secret) is in <data dir>/kiosk-url
  --simulate          run every device as its simulator, whatever the config says
  --host <kind>       auto (default: Electron if its binary is present, else the browser host), electron, browser
  --help              this text`;

export class UsageError extends Error {}

function portValue(flag: string, raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new UsageError(`${flag} needs a port number 0..65535, got "${raw ?? ''}"`);
  }
  return Number(raw);
}

export function parseStartArgs(argv: readonly string[]): StartOptions {
  const o: StartOptions = { port: 8787, lanPort: 8788, noWindow: false, simulate: false, host: 'auto', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
    };
    switch (flag) {
      case '--config':
        o.config = value();
        break;
      case '--data-dir':
        o.dataDir = value();
        break;
      case '--port':
        o.port = portValue(flag, inline ?? argv[++i]);
        break;
      case '--lan-port':
        o.lanPort = portValue(flag, inline ?? argv[++i]);
        break;
      case '--no-window':
        noValue();
        o.noWindow = true;
        break;
      case '--simulate':
        noValue();
        o.simulate = true;
        break;
      case '--host': {
        const v = value();
        if (v !== 'auto' && v !== 'electron' && v !== 'browser') throw new UsageError(`--host must be auto, electron or browser, got "${v}"`);
        o.host = v;
        break;
      }
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${flag}` : `unexpected argument "${arg}"`);
    }
  }
  return o;
}
