import { assertNever, isDriverError, type DriverError } from '../../drivers/errors.js';
import { ScannerDriver, type ScanEvent } from '../../drivers/scanner/driver.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { parseOptions, type DiagCommand, type DiagIo } from './command.js';

export interface ScannerListenCommandOptions {
  /** Opens the port; default a SerialTransport. */
  openTransport?: (path: string, baudRate: number) => Transport;
}

const USAGE =
  'scanner listen --port <path> [--baud 9600] [--count N] [--json] [--reveal]   ' +
  'print each scan of a serial (USB CDC) scanner until N scans or Ctrl-C; payloads masked unless --reveal';

/** Keeps the first 4 characters: enough to tell `HKT:`, `YY20`, `http` apart, not enough to identify anyone. */
export function maskPayload(text: string): string {
  const chars = [...text];
  return chars.length <= 4 ? '*'.repeat(chars.length) : `${chars.slice(0, 4).join('')}…(${chars.length} chars)`;
}

function scanLine(e: ScanEvent, reveal: boolean): Record<string, unknown> {
  const line: Record<string, unknown> = {
    at: new Date(e.at).toISOString(),
    kind: e.kind,
    symbology: e.symbology ?? null,
    aim: e.aim ?? null,
    length: e.payload.length,
    payload: reveal ? e.payload : maskPayload(e.payload),
  };
  return line;
}

export function createScannerListenCommand(options: ScannerListenCommandOptions = {}): DiagCommand {
  const open = options.openTransport ?? ((path: string, baudRate: number) => new SerialTransport({ path, baudRate }));
  return {
    name: 'scanner listen',
    usage: USAGE,
    async run(args: string[], io: DiagIo): Promise<number> {
      const parsed = parseOptions(args, { port: 'string', baud: 'number', count: 'number', json: 'boolean', reveal: 'boolean' });
      if (!parsed.ok) {
        io.err(`scanner listen: ${parsed.message}`);
        io.err(`usage: ${USAGE}`);
        return 2;
      }
      const v = parsed.values;
      if (typeof v.port !== 'string') {
        io.err('scanner listen: --port is required (find it with `diag ports`)');
        return 2;
      }
      const port = v.port;
      const baud = typeof v.baud === 'number' ? v.baud : 9600;
      const count = typeof v.count === 'number' ? v.count : 0;
      if (!Number.isInteger(count) || count < 0) {
        io.err('scanner listen: --count must be a whole number ≥ 0 (0 = until Ctrl-C)');
        return 2;
      }
      const json = v.json === true;
      const reveal = v.reveal === true;
      if (io.signal.aborted) return 0;

      const driver = new ScannerDriver({ transport: open(port, baud), mode: 'serial' });
      try {
        await driver.open();
      } catch (e) {
        const msg = isDriverError(e) ? e.message : String(e);
        io.err(`scanner listen: cannot open ${port}: ${msg} (is the scanner plugged in and in USB CDC mode? see \`diag ports\`)`);
        return 1;
      }
      if (!json) io.out(`listening on ${port} @ ${baud}${count ? ` for ${count} scan(s)` : ''}; Ctrl-C to stop`);

      const code = await new Promise<number>((resolve) => {
        let seen = 0;
        const finish = (c: number) => {
          offScan();
          offStatus();
          io.signal.removeEventListener('abort', onAbort);
          resolve(c);
        };
        const onAbort = () => finish(0);
        io.signal.addEventListener('abort', onAbort);
        const offScan = driver.onScan((e) => {
          seen++;
          const line = scanLine(e, reveal);
          if (json) io.out(JSON.stringify(line));
          else io.out(`${String(line.at)}  ${e.kind.padEnd(11)} ${String(e.symbology ?? '-').padEnd(8)} ${String(line.payload)}`);
          if (count > 0 && seen >= count) finish(0);
        });
        const offStatus = driver.onStatus((s) => {
          switch (s.state) {
            case 'disconnected':
              io.err(`scanner listen: ${port} disconnected (${(s.error as DriverError).code})`);
              finish(1);
              break;
            case 'discarded':
              if (json) io.out(JSON.stringify({ discarded: s.reason, length: s.length, code: s.error?.code ?? null }));
              else io.out(`discarded ${s.reason} (${s.length} bytes)`);
              break;
            case 'open':
            case 'closed':
              break;
            default:
              assertNever(s, 'scanner status');
          }
        });
      });
      const counters = driver.counters;
      await driver.close();
      if (!json) io.out(`${counters.scans} scan(s), ${counters.discarded} discarded`);
      return code;
    },
  };
}

/** `diag scanner listen` on a real serial port. */
export const scannerListenCommand: DiagCommand = createScannerListenCommand();
