/**
 * Technician commands for the receipt printer:
 *   diag printer status --port <path | tcp://host:port | cups:QUEUE> [--baud N] [--json]
 *   diag printer test   --port <...> [--baud N] [--profile 80mm|58mm] [--json]
 * `status` reads DLE EOT 1..4 and prints it (exit 0 when read, whatever the printer reports; 1 when it cannot be
 * read). `test` checks status, prints a test ticket (Chinese text, sizes, QR, CODE128, cut) and exits 1 with a
 * clear message on any fault. Ports: `tcp://` = raw port 9100 (two-way); `/dev/usb/lp*` = USB printer class device
 * file (write-only: status unknown); `cups:QUEUE` = raw CUPS queue (write-only); any other path = serial.
 */
import { DriverError, asDriverError, type DriverErrorCode } from '../../drivers/errors.js';
import { ReceiptPrinterDriver } from '../../drivers/escpos/driver.js';
import { EscPosEncoder } from '../../drivers/escpos/encoder.js';
import { PRINTER_PROFILES, type PrinterProfileId } from '../../drivers/escpos/profiles.js';
import { CupsRawTransport } from '../../drivers/escpos/spooler.js';
import { blockingCode } from '../../drivers/escpos/status.js';
import { DeviceFileTransport } from '../../drivers/transport/device-file.js';
import { SerialTransport } from '../../drivers/transport/serial.js';
import { TcpTransport } from '../../drivers/transport/tcp.js';
import type { Transport } from '../../drivers/transport/transport.js';
import { parseOptions, type DiagCommand, type DiagIo } from './command.js';

const SPEC = { port: 'string', baud: 'number', profile: 'string', json: 'boolean', timeout: 'number' } as const;

/** One sentence per code, for the technician (and the reason the exit code is 1). */
const ADVICE: Partial<Record<DriverErrorCode, string>> = {
  PRINTER_PAPER_END: 'paper end: load a new paper roll',
  PRINTER_COVER_OPEN: 'cover open: close the printer cover',
  PRINTER_CUTTER_ERROR: 'auto-cutter error: clear the paper jam at the cutter, then close the cover',
  PRINTER_UNRECOVERABLE: 'unrecoverable printer error: power-cycle the printer; call service if it persists',
  PRINTER_RECOVERABLE: 'recoverable error (e.g. head too hot): wait and try again',
  PRINTER_OFFLINE: 'printer offline: check the power and the online state',
  PRINTER_NO_STATUS: 'status cannot be read over a write-only link (device file or spooler)',
  PROTOCOL_TIMEOUT: 'no answer to DLE EOT: check the cable, the port and the baud rate',
  TRANSPORT_OPEN_FAILED: 'the port could not be opened',
  TRANSPORT_DISCONNECTED: 'the link went down',
  SPOOLER_FAILED: 'CUPS did not accept the job',
};

/** Builds the transport a `--port` value names. */
export function printerTransportFor(port: string, baudRate = 115200): Transport {
  if (port.startsWith('tcp://')) {
    const url = new URL(port);
    return new TcpTransport({ host: url.hostname, port: url.port ? Number(url.port) : 9100, connectTimeoutMs: 3000 });
  }
  if (port.startsWith('cups:')) return new CupsRawTransport({ queue: port.slice('cups:'.length) });
  if (port.startsWith('/dev/usb/lp')) return new DeviceFileTransport({ path: port });
  return new SerialTransport({ path: port, baudRate });
}

interface Parsed {
  port: string;
  json: boolean;
  baud: number;
  profile: PrinterProfileId;
  timeout: number;
}

function parse(args: string[], io: DiagIo, usage: string): Parsed | number {
  const r = parseOptions(args, SPEC);
  if (!r.ok) {
    io.err(`${r.message}\nusage: ${usage}`);
    return 2;
  }
  const v = r.values;
  if (typeof v['port'] !== 'string') {
    io.err(`--port is required\nusage: ${usage}`);
    return 2;
  }
  const profile = (v['profile'] ?? '80mm') as string;
  if (!(profile in PRINTER_PROFILES)) {
    io.err(`--profile must be one of ${Object.keys(PRINTER_PROFILES).join(', ')}`);
    return 2;
  }
  return {
    port: v['port'],
    json: v['json'] === true,
    baud: typeof v['baud'] === 'number' ? v['baud'] : 115200,
    profile: profile as PrinterProfileId,
    timeout: typeof v['timeout'] === 'number' ? v['timeout'] : 1000,
  };
}

function fail(io: DiagIo, json: boolean, e: unknown): number {
  const err = asDriverError(e, 'TRANSPORT_OPEN_FAILED');
  const advice = ADVICE[err.code] ?? err.message;
  if (json) io.out(JSON.stringify({ ok: false, error: { code: err.code, message: advice, detail: err.detail ?? null } }));
  else io.err(`printer: ${err.code}: ${advice}`);
  return 1;
}

async function withDriver<T>(p: Parsed, fn: (d: ReceiptPrinterDriver) => Promise<T>): Promise<T> {
  const driver = new ReceiptPrinterDriver({ transport: printerTransportFor(p.port, p.baud), profile: PRINTER_PROFILES[p.profile], statusTimeoutMs: p.timeout });
  await driver.open();
  try {
    return await fn(driver);
  } finally {
    await driver.close();
  }
}

const STATUS_USAGE = 'diag printer status --port <path | tcp://host:port | cups:QUEUE> [--baud N] [--timeout ms] [--json]';
const TEST_USAGE = 'diag printer test --port <path | tcp://host:port | cups:QUEUE> [--baud N] [--profile 80mm|58mm] [--timeout ms] [--json]';

export const printerStatusCommand: DiagCommand = {
  name: 'printer status',
  usage: STATUS_USAGE,
  async run(args, io) {
    const p = parse(args, io, STATUS_USAGE);
    if (typeof p === 'number') return p;
    try {
      const { status, state } = await withDriver(p, async (d) => ({ status: await d.status(), state: d.state }));
      const blocking = blockingCode(status) ?? null;
      if (p.json) io.out(JSON.stringify({ ok: true, port: p.port, state, blocking, status }));
      else {
        io.out(`printer at ${p.port}: ${state}${blocking ? ` (${blocking}: ${ADVICE[blocking] ?? ''})` : ''}`);
        io.out(`  online ${status.online}, cover open ${status.coverOpen}, paper near end ${status.paperNearEnd}, paper end ${status.paperEnd}`);
        io.out(`  cutter error ${status.cutterError}, unrecoverable ${status.unrecoverable}, auto-recoverable ${status.autoRecoverable}`);
        io.out(`  DLE EOT 1..4 answers: ${status.raw}`);
      }
      return 0;
    } catch (e) {
      return fail(io, p.json, e);
    }
  },
};

/** The test ticket: Chinese text, every size step used on tickets, bold/underline, a QR, a CODE128 and a cut. */
export function testTicket(profileId: PrinterProfileId, at: Date): EscPosEncoder {
  const stamp = at.toISOString().slice(0, 19).replace('T', ' ');
  return new EscPosEncoder({ profile: PRINTER_PROFILES[profileId] })
    .initialize()
    .align('center')
    .bold()
    .textLine('打印测试 PRINT TEST')
    .bold(false)
    .size(2, 2)
    .textLine('A001')
    .size(3, 3)
    .textLine('叫号')
    .size(1, 1)
    .underline()
    .textLine('下划线 underline')
    .underline(false)
    .align('left')
    .rule()
    .line('中文字符', '政务服务 ￥0.00')
    .line('profile', profileId)
    .line('time', stamp)
    .rule()
    .align('center')
    .qr('https://zwfw.example.gov.cn/diag/printer-test', { moduleSize: 5, errorLevel: 'M' })
    .code128('TEST-0001')
    .feed(1)
    .cut('partial');
}

export const printerTestCommand: DiagCommand = {
  name: 'printer test',
  usage: TEST_USAGE,
  async run(args, io) {
    const p = parse(args, io, TEST_USAGE);
    if (typeof p === 'number') return p;
    const job = testTicket(p.profile, new Date()).job();
    if (job.unprintable.length) return fail(io, p.json, new DriverError('PRINTER_UNPRINTABLE_TEXT', 'test ticket has unprintable characters'));
    try {
      const result = await withDriver(p, (d) => d.print(job));
      if (p.json) io.out(JSON.stringify({ ok: true, port: p.port, bytes: job.bytes.length, paperMm: job.paperMm, ...result }));
      else if (result.statusKnown) {
        io.out(`test ticket printed on ${p.port} (${job.bytes.length} bytes, about ${job.paperMm} mm)${result.warning ? `; warning: ${result.warning}` : ''}`);
      } else io.out(`test ticket sent to ${p.port} (${job.bytes.length} bytes); status unknown over a write-only link: check the paper`);
      return 0;
    } catch (e) {
      return fail(io, p.json, e);
    }
  },
};

export const printerCommands: DiagCommand[] = [printerStatusCommand, printerTestCommand];
