import { isDriverError, type DriverError } from '../../drivers/errors.js';
import { LedStripDriver } from '../../drivers/call-display/led-driver.js';
import type { LedStatus } from '../../drivers/call-display/led-protocol.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { parseOptions, type DiagCommand, type DiagIo } from './command.js';

/** The test pattern: Chinese (GB18030 double-byte), ASCII and all-segments-on digits. */
export const DISPLAY_TEST_PATTERN = '显示测试 TEST 8888';

export interface DisplayTestCommandOptions {
  /** Opens the bus; default a SerialTransport (8N1). Tests inject one. */
  openTransport?: (path: string, baudRate: number) => Transport;
}

const USAGE =
  'display test --port <path> [--address NN] [--baud 9600] [--timeout 300] [--json]   ' +
  'show a test pattern on an HK-LED/1 window strip (address in hex as set on the strip, default 01) and read its status';

function describeStatus(s: LedStatus): string {
  const faults = [s.ledFault && 'LED module fault', s.overTemperature && 'over temperature', s.supplyLow && 'supply low'].filter(Boolean);
  return `brightness ${s.brightness}/15, ${faults.length ? `faults: ${faults.join(', ')}` : 'no faults'}`;
}

function explain(e: DriverError, address: string, port: string): string {
  switch (e.code) {
    case 'PROTOCOL_TIMEOUT':
      return `LED strip ${address} on ${port} did not answer: check wiring (A/B), the strip's address and baud rate`;
    case 'PROTOCOL_CHECKSUM':
      return `LED strip ${address} on ${port} answered garbled frames: check baud rate, termination and cable`;
    case 'DISPLAY_REJECTED':
      return `LED strip ${address} refused the test pattern (${String(e.detail?.reason ?? e.message)})`;
    case 'TRANSPORT_OPEN_FAILED':
      return `cannot open ${port}: ${e.message}`;
    default:
      return `${e.code}: ${e.message}`;
  }
}

export function createDisplayTestCommand(options: DisplayTestCommandOptions = {}): DiagCommand {
  const open = options.openTransport ?? ((path: string, baudRate: number) => new SerialTransport({ path, baudRate }));
  return {
    name: 'display test',
    usage: USAGE,
    async run(args: string[], io: DiagIo): Promise<number> {
      const parsed = parseOptions(args, { port: 'string', address: 'string', baud: 'number', timeout: 'number', json: 'boolean' });
      if (!parsed.ok) {
        io.err(`display test: ${parsed.message}`);
        io.err(`usage: ${USAGE}`);
        return 2;
      }
      const v = parsed.values;
      const port = v.port;
      if (typeof port !== 'string') {
        io.err('display test: --port is required');
        return 2;
      }
      const addrText = typeof v.address === 'string' ? v.address.toUpperCase() : '01';
      if (!/^[0-9A-F]{1,2}$/.test(addrText) || parseInt(addrText, 16) < 1 || parseInt(addrText, 16) > 0xfe) {
        io.err(`display test: --address must be hex 01..FE as set on the strip, got "${String(v.address)}"`);
        return 2;
      }
      const address = parseInt(addrText, 16);
      const addr = addrText.padStart(2, '0');
      const baud = typeof v.baud === 'number' ? v.baud : 9600;
      const timeoutMs = typeof v.timeout === 'number' ? v.timeout : 300;
      const json = v.json === true;

      const driver = new LedStripDriver({ transport: open(port, baud), timeoutMs, retries: 2 });
      const started = Date.now();
      try {
        await driver.open();
        const before = await driver.status(address);
        await driver.showText(address, DISPLAY_TEST_PATTERN);
        const after = await driver.status(address);
        const shows = after.text === DISPLAY_TEST_PATTERN;
        const result = {
          ok: shows,
          port,
          address: addr,
          pattern: DISPLAY_TEST_PATTERN,
          shows: after.text,
          before: before.text,
          status: after,
          elapsedMs: Date.now() - started,
          requests: driver.stats.requests,
          retries: driver.stats.sends - driver.stats.requests,
        };
        if (json) io.out(JSON.stringify(result));
        else {
          io.out(`LED strip ${addr} on ${port}: ${describeStatus(after)}`);
          io.out(`  test pattern ${shows ? 'shown' : 'NOT shown'}: "${after.text}"`);
          io.out(`  ${result.requests} requests, ${result.retries} retries, ${result.elapsedMs} ms`);
        }
        if (!shows) {
          if (!json) io.err(`display test: strip ${addr} reports "${after.text}" instead of the test pattern`);
          return 1;
        }
        return 0;
      } catch (e) {
        if (!isDriverError(e)) throw e;
        const message = explain(e, addr, port);
        if (json) io.out(JSON.stringify({ ok: false, port, address: addr, error: { code: e.code, message } }));
        io.err(`display test: ${message}`);
        return 1;
      } finally {
        await driver.close();
      }
    },
  };
}

export const displayTestCommand: DiagCommand = createDisplayTestCommand();
