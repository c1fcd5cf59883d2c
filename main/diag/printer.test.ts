import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualPrinterServer, type VirtualPrinterServer } from '../../drivers/escpos/simulator.js';
import type { DiagIo } from './command.js';
import { printerStatusCommand, printerTestCommand } from './printer.js';

function io(): DiagIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), signal: new AbortController().signal };
}

describe('diag printer against the virtual printer on TCP', () => {
  let server: VirtualPrinterServer;
  beforeAll(async () => {
    server = await startVirtualPrinterServer({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => server.printer.clearFaults());

  it('printer status --json prints the status as one JSON document, exit 0', async () => {
    const o = io();
    expect(await printerStatusCommand.run(['--port', server.url, '--json'], o)).toBe(0);
    const doc = JSON.parse(o.outLines.join('\n'));
    expect(doc).toMatchObject({ ok: true, state: 'ok', blocking: null, status: { online: true, paperEnd: false, raw: '12 12 12 12' } });
  });

  it('printer status reports paper end (exit 0: the status was read) with the blocking code', async () => {
    server.printer.setFault('paperEnd');
    const o = io();
    expect(await printerStatusCommand.run(['--port', server.url, '--json'], o)).toBe(0);
    expect(JSON.parse(o.outLines[0]!)).toMatchObject({ state: 'error', blocking: 'PRINTER_PAPER_END', status: { raw: '1A 32 12 7E' } });
    const h = io();
    expect(await printerStatusCommand.run(['--port', server.url], h)).toBe(0);
    expect(h.outLines[0]).toContain('PRINTER_PAPER_END: paper end: load a new paper roll');
  });

  it('printer test prints a ticket with Chinese text, sizes, QR, CODE128 and a cut', async () => {
    const o = io();
    expect(await printerTestCommand.run(['--port', server.url], o)).toBe(0);
    expect(o.outLines[0]).toMatch(/^test ticket printed on tcp:\/\/127\.0\.0\.1:\d+ \(\d+ bytes, about [\d.]+ mm\)$/);
    const r = server.printer.lastReceipt()!;
    expect(r.complete).toBe(true);
    expect(r.text).toContain('打印测试 PRINT TEST');
    expect(r.text).toContain('[QR M https://zwfw.example.gov.cn/diag/printer-test]');
    expect(r.text).toContain('[CODE128 TEST-0001]');
    expect(r.text).toContain('-- cut (partial) --');
    const sizes = r.blocks.flatMap((b) => (b.kind === 'text' ? b.runs.map((x) => x.width) : []));
    expect(new Set(sizes)).toEqual(new Set([1, 2, 3]));
  });

  it('printer test exits 1 with a clear message when the cover is open, and prints nothing', async () => {
    server.printer.setFault('coverOpen');
    const before = server.printer.receipts().length;
    const o = io();
    expect(await printerTestCommand.run(['--port', server.url], o)).toBe(1);
    expect(o.errLines).toEqual(['printer: PRINTER_COVER_OPEN: cover open: close the printer cover']);
    expect(server.printer.receipts().length).toBe(before);
  });

  it('printer test --json reports a mid-job paper end as a failure', async () => {
    server.printer.paperEndAfterLines(3);
    const o = io();
    expect(await printerTestCommand.run(['--port', server.url, '--json'], o)).toBe(1);
    expect(JSON.parse(o.outLines[0]!)).toMatchObject({ ok: false, error: { code: 'PRINTER_PAPER_END', detail: { phase: 'after', printed: false } } });
  });

  it('nothing listening: exit 1 with the transport error', async () => {
    const closed = await startVirtualPrinterServer({ port: 0 });
    const url = closed.url;
    await closed.close();
    const o = io();
    expect(await printerStatusCommand.run(['--port', url], o)).toBe(1);
    expect(o.errLines[0]).toMatch(/^printer: TRANSPORT_OPEN_FAILED/);
  });

  it('usage errors exit 2', async () => {
    const o = io();
    expect(await printerStatusCommand.run([], o)).toBe(2);
    expect(await printerTestCommand.run(['--port', server.url, '--profile', '76mm'], o)).toBe(2);
    expect(await printerTestCommand.run(['--bogus'], o)).toBe(2);
  });
});
