/**
 * Behavioural suite of ReceiptPrinterDriver, run against the virtual printer over an in-memory pair, over a socat
 * pty pair with real serialport bindings, and over TCP on 127.0.0.1 (the printer's 9100 server on an ephemeral
 * port). With KIOSK_TEST_PORT_PRINTER=<path | tcp://host:port> the fault-free part also runs against a real printer
 * (it prints one short ticket).
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DriverError, isDriverError, type DriverErrorCode } from '../errors.js';
import type { TraceEntry } from '../log.js';
import { createPtyPair, type PtyPair } from '../testing/socat.js';
import { DeviceFileTransport } from '../transport/device-file.js';
import { memoryPair } from '../transport/memory.js';
import { SerialTransport } from '../transport/serial.js';
import { TcpTransport } from '../transport/tcp.js';
import type { Transport } from '../transport/transport.js';
import { EscPosDecoder } from './decoder.js';
import { ReceiptPrinterDriver, type PrinterStateEvent } from './driver.js';
import { EscPosEncoder, type PrintJob } from './encoder.js';
import { ReceiptAssembler } from './receipt.js';
import { startVirtualPrinterServer, VirtualReceiptPrinter, type VirtualPrinterServer } from './simulator.js';
import { CupsRawTransport } from './spooler.js';

interface Rig {
  driver: ReceiptPrinterDriver;
  /** Absent for a real printer. */
  printer?: VirtualReceiptPrinter;
  close(): Promise<void>;
}

const ticket = (n = 'A001'): PrintJob =>
  new EscPosEncoder()
    .initialize()
    .align('center')
    .size(2, 2)
    .textLine(n)
    .size(1, 1)
    .textLine('社保业务 请稍候')
    .align('left')
    .line('等候人数', '3人')
    .align('center')
    .qr(`https://zwfw.example.gov.cn/q?n=${n}`, { moduleSize: 4 })
    .cut()
    .job();

async function codeOf(p: Promise<unknown>): Promise<DriverErrorCode | 'resolved'> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    if (e instanceof DriverError) return e.code;
    throw e;
  }
}

async function memoryRig(): Promise<Rig> {
  const { host, device } = memoryPair('host', 'printer');
  const printer = new VirtualReceiptPrinter();
  await device.open();
  printer.attach(device);
  const driver = new ReceiptPrinterDriver({ transport: host, settleMs: 0, statusTimeoutMs: 300 });
  await driver.open();
  return { driver, printer, close: () => driver.close() };
}

async function ptyRig(): Promise<Rig> {
  const pair: PtyPair = await createPtyPair();
  const device = new SerialTransport({ path: pair.devicePath, baudRate: 115200 });
  await device.open();
  const printer = new VirtualReceiptPrinter();
  printer.attach(device);
  // Pulling a USB-serial cable removes both ends: the host port sees EIO.
  printer.onUnplug(() => void pair.unplug());
  const driver = new ReceiptPrinterDriver({ transport: new SerialTransport({ path: pair.hostPath, baudRate: 115200 }), settleMs: 0, statusTimeoutMs: 1000 });
  await driver.open();
  return {
    driver,
    printer,
    close: async () => {
      await driver.close();
      await device.close();
      await pair.close();
    },
  };
}

async function tcpRig(): Promise<Rig> {
  const server: VirtualPrinterServer = await startVirtualPrinterServer({ port: 0, host: '127.0.0.1' });
  const driver = new ReceiptPrinterDriver({ transport: new TcpTransport({ host: server.host, port: server.port, connectTimeoutMs: 2000 }), settleMs: 0, statusTimeoutMs: 1000 });
  await driver.open();
  return {
    driver,
    printer: server.printer,
    close: async () => {
      await driver.close();
      await server.close();
    },
  };
}

function transportFor(port: string): Transport {
  if (port.startsWith('tcp://')) {
    const u = new URL(port);
    return new TcpTransport({ host: u.hostname, port: Number(u.port || 9100), connectTimeoutMs: 3000 });
  }
  return new SerialTransport({ path: port, baudRate: Number(process.env['KIOSK_TEST_PRINTER_BAUD'] ?? 115200) });
}

const realPort = process.env['KIOSK_TEST_PORT_PRINTER'];

const rigs: [string, () => Promise<Rig>][] = [
  ['memory pair', memoryRig],
  ['socat pty pair (serialport)', ptyRig],
  ['TCP 9100 on 127.0.0.1', tcpRig],
];
if (realPort) {
  rigs.push([
    `real printer at ${realPort}`,
    async () => {
      const driver = new ReceiptPrinterDriver({ transport: transportFor(realPort) });
      await driver.open();
      return { driver, close: () => driver.close() };
    },
  ]);
}

describe.each(rigs)('ReceiptPrinterDriver over %s', (_name, makeRig) => {
  let rig: Rig;
  const events: PrinterStateEvent[] = [];
  const trace: TraceEntry[] = [];
  beforeAll(async () => {
    rig = await makeRig();
    rig.driver.onState((e) => events.push(e));
    rig.driver.onTrace((e) => trace.push(e));
  });
  afterAll(async () => {
    await rig.close();
  });
  afterEach(() => {
    rig.printer?.clearFaults();
  });
  const sim = (): VirtualReceiptPrinter => {
    if (!rig.printer) throw new Error('simulator only');
    return rig.printer;
  };
  /** Fault tests need the simulator's switches: skipped (reported as skipped) against a real printer. */
  const simIt = (name: string, fn: () => Promise<void>): void => {
    it(name, async (ctx) => {
      if (!rig.printer) ctx.skip();
      await fn();
    });
  };

  it('reads DLE EOT 1..4 as a clean status; state ok', async () => {
    const s = await rig.driver.status();
    expect(s).toMatchObject({ online: true, paperEnd: false, coverOpen: false, source: 'dle-eot' });
    expect(rig.driver.state === 'ok' || rig.driver.state === 'warning').toBe(true);
    expect(trace.filter((t) => t.dir === 'tx' && t.meaning.startsWith('DLE EOT')).map((t) => t.hex).slice(0, 4)).toEqual(['10 04 01', '10 04 02', '10 04 03', '10 04 04']);
    expect(trace.some((t) => t.dir === 'rx' && t.meaning.startsWith('DLE EOT 4 = roll paper sensor status → 0x'))).toBe(true);
  });

  it('prints a ticket: checked before and after, reported printed, decoded receipt matches', async () => {
    const before = rig.printer?.receipts().length ?? 0;
    const job = ticket('A001');
    const result = await rig.driver.print(job);
    expect(result).toMatchObject({ outcome: 'printed', statusKnown: true });
    expect(rig.driver.counters.jobsPrinted).toBeGreaterThanOrEqual(1);
    expect(rig.driver.counters.paperMm).toBeGreaterThan(0);
    const jobTrace = trace.find((t) => t.meaning.startsWith('print job'))!;
    expect(jobTrace.hex).toBe(`…[redacted ${job.bytes.length} bytes]`);
    if (!rig.printer) return;
    const receipts = rig.printer.receipts();
    expect(receipts.length).toBe(before + 1);
    const r = receipts[receipts.length - 1]!;
    expect(r.complete).toBe(true);
    expect(r.text.split('\n')).toEqual([
      ' '.repeat(20) + 'A001',
      ' '.repeat(16) + '社保业务 请稍候', // 15 columns centred in 48: floor(33 / 2) = 16
      '等候人数' + ' '.repeat(37) + '3人',
      '  [QR M https://zwfw.example.gov.cn/q?n=A001]',
      '-- cut (partial) --',
    ]);
  });

  simIt('paper near end: prints, result and state carry the warning (DLE EOT 4 = 0x1E)', async () => {
    sim().setFault('paperNearEnd');
    const result = await rig.driver.print(ticket('A002'));
    expect(result).toMatchObject({ outcome: 'printed', warning: 'paper-near-end' });
    expect(rig.driver.state).toBe('warning');
    expect(trace.some((t) => t.meaning === 'DLE EOT 4 = roll paper sensor status → 0x1E near end')).toBe(true);
  });

  it.for([
    ['paperEnd', 'PRINTER_PAPER_END', 'error'],
    ['coverOpen', 'PRINTER_COVER_OPEN', 'error'],
    ['cutterError', 'PRINTER_CUTTER_ERROR', 'error'],
    ['unrecoverable', 'PRINTER_UNRECOVERABLE', 'error'],
    ['offline', 'PRINTER_OFFLINE', 'offline'],
  ] as const)('%s before a job: refused with %s, nothing printed, state %s', async ([fault, code, state], ctx) => {
    if (!rig.printer) ctx.skip();
    sim().setFault(fault);
    const receipts = sim().receipts().length;
    const failed = rig.driver.counters.jobsFailed;
    let err: unknown;
    try {
      await rig.driver.print(ticket('B001'));
    } catch (e) {
      err = e;
    }
    expect(isDriverError(err, code)).toBe(true);
    expect((err as DriverError).detail).toMatchObject({ phase: 'before', printed: false });
    expect(sim().receipts().length).toBe(receipts);
    expect(rig.driver.state).toBe(state);
    expect(rig.driver.counters.jobsFailed).toBe(failed + 1);
  });

  simIt('paper end mid-job: PRINTER_PAPER_END after writing, job not reported printed, receipt incomplete', async () => {
    const printed = rig.driver.counters.jobsPrinted;
    sim().paperEndAfterLines(2);
    let err: unknown;
    try {
      await rig.driver.print(ticket('C001'));
    } catch (e) {
      err = e;
    }
    expect(isDriverError(err, 'PRINTER_PAPER_END')).toBe(true);
    expect((err as DriverError).detail).toMatchObject({ phase: 'after', printed: false });
    expect(rig.driver.counters.jobsPrinted).toBe(printed);
    const last = sim().lastReceipt()!;
    expect(last.complete).toBe(false);
    expect(last.stoppedBy).toBe('paperEnd');
    expect(last.text).toContain('C001');
    expect(last.text).not.toContain('-- cut');
  });

  simIt('recovers: after the fault is cleared the next job prints and state returns to ok', async () => {
    await rig.driver.print(ticket('D001'));
    expect(rig.driver.state).toBe('ok');
    expect(events.map((e) => e.state)).toEqual(expect.arrayContaining(['ok', 'warning', 'error', 'offline']));
  });

  simIt('unplug mid-job: TRANSPORT_DISCONNECTED, not printed, state disconnected (last test of the rig)', async () => {
    const printed = rig.driver.counters.jobsPrinted;
    sim().unplugAfterLines(1);
    const code = await codeOf(rig.driver.print(ticket('E001')));
    expect(code).toBe('TRANSPORT_DISCONNECTED');
    expect(rig.driver.counters.jobsPrinted).toBe(printed);
    await expect.poll(() => rig.driver.state).toBe('disconnected');
    expect(await codeOf(rig.driver.status())).toBe('TRANSPORT_DISCONNECTED');
  });
});

describe('ReceiptPrinterDriver edge cases (memory pair)', () => {
  it('no answer to DLE EOT: PROTOCOL_TIMEOUT, state offline', async () => {
    const { host, device } = memoryPair();
    await device.open(); // nothing attached: a printer that is powered off behind a live link
    const driver = new ReceiptPrinterDriver({ transport: host, statusTimeoutMs: 60 });
    await driver.open();
    expect(await codeOf(driver.status())).toBe('PROTOCOL_TIMEOUT');
    expect(driver.state).toBe('offline');
    expect(await codeOf(driver.print(ticket()))).toBe('PROTOCOL_TIMEOUT');
    expect(device.written.length).toBe(0); // nothing came through besides DLE EOT... which the device side never writes
    expect(Buffer.concat(host.written).includes(Buffer.from([0x1b, 0x40]))).toBe(false); // the job itself was never sent
    await driver.close();
  });

  it('a non-status answer byte is discarded, not read as status (times out instead)', async () => {
    const { host, device } = memoryPair();
    await device.open();
    device.onData(() => void device.write(Uint8Array.of(0x00)));
    const driver = new ReceiptPrinterDriver({ transport: host, statusTimeoutMs: 60 });
    const trace: TraceEntry[] = [];
    driver.onTrace((t) => trace.push(t));
    await driver.open();
    expect(await codeOf(driver.status())).toBe('PROTOCOL_TIMEOUT');
    expect(trace.some((t) => t.dir === 'discarded' && t.hex === '00')).toBe(true);
    await driver.close();
  });

  it('ASB: GS a enables pushed status; a cover opening arrives as an event without polling', async () => {
    const { host, device } = memoryPair();
    await device.open();
    const printer = new VirtualReceiptPrinter();
    printer.attach(device);
    const driver = new ReceiptPrinterDriver({ transport: host, settleMs: 0 });
    await driver.open();
    const pushed: string[] = [];
    driver.onAsb((s) => pushed.push(s.raw));
    await driver.enableAsb();
    await expect.poll(() => pushed).toEqual(['10 00 00 00']);
    printer.setFault('coverOpen');
    await expect.poll(() => driver.state).toBe('error');
    expect(pushed[1]).toBe('38 00 00 00');
    expect(await codeOf(driver.print(ticket()))).toBe('PRINTER_COVER_OPEN');
    await driver.close();
  });

  it('status and print requests are serialised (no interleaving on the wire)', async () => {
    const rig = await memoryRig();
    const results = await Promise.all([rig.driver.status(), rig.driver.print(ticket('F1')), rig.driver.status(), rig.driver.print(ticket('F2'))]);
    expect(results[1]).toMatchObject({ outcome: 'printed' });
    expect(rig.printer!.receipts().map((r) => r.text.split('\n')[0]!.trim())).toEqual(['F1', 'F2']);
    await rig.close();
  });
});

describe('write-only links: status unknown, never claimed', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'escpos-wo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('device file: print sends the bytes and reports statusKnown false; status() is PRINTER_NO_STATUS', async () => {
    const path = join(dir, 'lp0');
    await writeFile(path, '');
    const driver = new ReceiptPrinterDriver({ transport: new DeviceFileTransport({ path }) });
    await driver.open();
    const job = ticket('G001');
    const result = await driver.print(job);
    expect(result).toMatchObject({ outcome: 'sent', statusKnown: false });
    expect(driver.counters).toMatchObject({ jobsPrinted: 0, jobsSentUnverified: 1 });
    expect(driver.state).toBe('unknown');
    expect(await codeOf(driver.status())).toBe('PRINTER_NO_STATUS');
    expect(new Uint8Array(await readFile(path))).toEqual(job.bytes);
    await driver.close();
  });

  it('CUPS raw queue (lp -d <queue> -o raw): bytes reach lp stdin unchanged and decode to the ticket', async () => {
    const out = join(dir, 'spooled.bin');
    const args = join(dir, 'args.txt');
    const lp = join(dir, 'fake-lp');
    // Stand-in for lp: records its arguments and stdin, prints what lp prints.
    await writeFile(lp, `#!/bin/sh\necho "$@" > '${args}'\ncat > '${out}'\necho "request id is RECEIPT-7 (0 file(s))"\n`);
    await chmod(lp, 0o755);
    const transport = new CupsRawTransport({ queue: 'RECEIPT', lpCommand: lp });
    const driver = new ReceiptPrinterDriver({ transport });
    await driver.open();
    const job = ticket('H001');
    expect(await driver.print(job)).toMatchObject({ outcome: 'sent', statusKnown: false });
    expect((await readFile(args, 'utf8')).trim()).toBe('-d RECEIPT -o raw');
    const spooled = new Uint8Array(await readFile(out));
    expect(spooled).toEqual(job.bytes);
    const a = new ReceiptAssembler({ columns: 48 });
    const cut = new EscPosDecoder().push(spooled).map((c) => a.apply(c).cut).find((r) => r);
    expect(cut?.text.split('\n')[0]!.trim()).toBe('H001');
    expect(transport.jobIds).toEqual(['RECEIPT-7']);
    await driver.close();
  });

  it('CUPS raw queue: lp failing is SPOOLER_FAILED', async () => {
    const lp = join(dir, 'failing-lp');
    await writeFile(lp, `#!/bin/sh\ncat > /dev/null\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n`);
    await chmod(lp, 0o755);
    const driver = new ReceiptPrinterDriver({ transport: new CupsRawTransport({ queue: 'NOPE', lpCommand: lp }) });
    await driver.open();
    expect(await codeOf(driver.print(ticket()))).toBe('SPOOLER_FAILED');
    expect(driver.counters.jobsFailed).toBe(1);
    await driver.close();
  });
});

describe('virtual printer TCP server', () => {
  let server: VirtualPrinterServer;
  beforeAll(async () => {
    server = await startVirtualPrinterServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });
  it('refuses connections while unplugged and accepts them again after replug', async () => {
    server.printer.unplug();
    const t = new TcpTransport({ host: server.host, port: server.port, connectTimeoutMs: 1000 });
    const driver = new ReceiptPrinterDriver({ transport: t, statusTimeoutMs: 300 });
    await driver.open().then(
      () => undefined,
      (e: unknown) => expect(e).toBeInstanceOf(DriverError),
    );
    const code = await codeOf(driver.status());
    expect(['TRANSPORT_DISCONNECTED', 'TRANSPORT_NOT_OPEN', 'PROTOCOL_TIMEOUT']).toContain(code);
    await driver.close();
    server.printer.replug();
    const again = new ReceiptPrinterDriver({ transport: new TcpTransport({ host: server.host, port: server.port }) });
    await again.open();
    expect((await again.status()).online).toBe(true);
    await again.close();
  });
});
