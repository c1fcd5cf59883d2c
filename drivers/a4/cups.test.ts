import { describe, expect, it } from 'vitest';
import { isDriverError } from '../errors.js';
import {
  CupsPrinter,
  parseIpptoolJob,
  parseQueues,
  parseRequestId,
  splitCsvLine,
  type CommandResult,
  type CommandRunner,
  type CupsJobStatus,
} from './cups.js';

// Outputs captured from CUPS 2.4 on Debian 12 (LC_ALL=C).
const LPSTAT_P = [
  'printer PDF is idle.  enabled since Mon Nov 23 12:59:41 2026',
  'printer RAW now printing RAW-7.  enabled since Mon Nov 23 12:59:41 2026',
  'printer OLD disabled since Mon Nov 23 13:09:39 2026 -',
  '\tPaused',
  '',
].join('\n');
const LPSTAT_A = [
  'PDF accepting requests since Mon Nov 23 12:59:41 2026',
  'RAW accepting requests since Mon Nov 23 12:59:41 2026',
  'OLD not accepting requests since Mon Nov 23 13:09:39 2026 -',
  '\tRejecting Jobs',
  '',
].join('\n');
const ipp = (id: number, state: string, reasons = 'none', message = ''): string =>
  `job-id,job-state,job-state-reasons,job-state-message\n${id},${state},${reasons},${message}\n`;

const ok = (stdout: string): CommandResult => ({ code: 0, stdout, stderr: '' });
const fail = (stderr: string, stdout = ''): CommandResult => ({ code: 1, stdout, stderr });

/** A scripted runner: each command line maps to a result, or to a list consumed in order. */
function scripted(script: Record<string, CommandResult | CommandResult[]>): CommandRunner & { calls: string[]; inputs: (Buffer | undefined)[] } {
  const calls: string[] = [];
  const inputs: (Buffer | undefined)[] = [];
  const fn: CommandRunner = async (file, args, options) => {
    const line = [file, ...args].join(' ');
    calls.push(line);
    inputs.push(options.input);
    const key = Object.keys(script).find((k) => line === k || (k.endsWith('*') && line.startsWith(k.slice(0, -1))));
    if (!key) throw new Error(`unexpected command: ${line}`);
    const r = script[key]!;
    if (Array.isArray(r)) {
      if (r.length > 1) return r.shift()!;
      return r[0]!;
    }
    return r;
  };
  return Object.assign(fn, { calls, inputs });
}

const healthy = {
  'lpstat -r': ok('scheduler is running\n'),
  'lpstat -p': ok(LPSTAT_P),
  'lpstat -a': ok(LPSTAT_A),
};

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isDriverError(e, 'SPOOLER_FAILED')) return String(e.detail?.reason);
    return `other: ${String(e)}`;
  }
  return 'resolved';
}

describe('CUPS output parsing', () => {
  it('request id, queues, CSV', () => {
    expect(parseRequestId('request id is PDF-12 (1 file(s))\n')).toBe('PDF-12');
    expect(parseRequestId('request id is Office_A4-3 (0 file(s))')).toBe('Office_A4-3');
    expect(parseRequestId('')).toBeUndefined();
    expect(parseQueues(LPSTAT_P, LPSTAT_A)).toEqual([
      { name: 'PDF', enabled: true, accepting: true },
      { name: 'RAW', enabled: true, accepting: true, printing: 'RAW-7' },
      { name: 'OLD', enabled: false, accepting: false },
    ]);
    expect(parseQueues('', '')).toEqual([]);
    expect(splitCsvLine('3,aborted,"job-aborted-by-system,printer-stopped","said ""no"""')).toEqual([
      '3',
      'aborted',
      'job-aborted-by-system,printer-stopped',
      'said "no"',
    ]);
  });

  it('ipptool job states map to queued/processing/completed/failed/cancelled', () => {
    const st = (s: string): string | undefined => parseIpptoolJob('PDF-1', ipp(1, s))?.state;
    expect(['pending', 'pending-held', 'processing', 'processing-stopped', 'completed', 'aborted', 'canceled'].map(st)).toEqual([
      'queued',
      'queued',
      'processing',
      'processing',
      'completed',
      'failed',
      'cancelled',
    ]);
    expect(parseIpptoolJob('PDF-2', ipp(2, 'completed', 'processing-to-stop-point'))).toEqual({
      id: 'PDF-2',
      state: 'completed',
      ippState: 'completed',
      reasons: ['processing-to-stop-point'],
      message: '',
    });
    expect(parseIpptoolJob('PDF-9', 'Job #9 does not exist.')).toBeUndefined();
  });
});

describe('CupsPrinter with a scripted runner', () => {
  it('submits a buffer on stdin with queue, copies and title, then follows the job to completed', async () => {
    const run = scripted({
      ...healthy,
      'lp -d PDF -n 2 -t 办事指南': ok('request id is PDF-12 (1 file(s))\n'),
      'ipptool *': [ok(ipp(12, 'pending')), ok(ipp(12, 'processing', 'job-printing')), ok(ipp(12, 'processing')), ok(ipp(12, 'completed'))],
    });
    const printer = new CupsPrinter({ runner: run });
    const states: CupsJobStatus['state'][] = [];
    const pdf = Buffer.from('%PDF-1.3 fake');
    const final = await printer.print({ data: pdf, copies: 2, title: '办事指南', pollMs: 1, onState: (s) => states.push(s.state) });
    expect(final.state).toBe('completed');
    expect(states).toEqual(['queued', 'processing', 'completed']);
    expect(run.inputs[run.calls.indexOf('lp -d PDF -n 2 -t 办事指南')]).toBe(pdf);
    expect(run.calls.find((c) => c.startsWith('ipptool'))).toMatch(/^ipptool -c -T 15 -d job_id=12 ipp:\/\/localhost\/printers\/PDF \S+\.test$/);
  });

  it('a file is passed after --', async () => {
    const run = scripted({ ...healthy, 'lp -d PDF -n 1 -t hall-kiosk -- /tmp/x.pdf': ok('request id is PDF-3 (1 file(s))') });
    expect(await new CupsPrinter({ runner: run }).submit({ file: '/tmp/x.pdf' })).toBe('PDF-3');
  });

  it('coded reasons: cupsd down, queue missing, disabled, rejecting, lp error', async () => {
    const down = scripted({ 'lpstat -r': ok('scheduler is not running\n') });
    expect(await reason(new CupsPrinter({ runner: down }).submit({ file: 'x.pdf' }))).toBe('cupsd-not-running');
    const run = scripted(healthy);
    const p = new CupsPrinter({ runner: run });
    expect(await reason(p.submit({ queue: 'NOPE', file: 'x.pdf' }))).toBe('queue-missing');
    expect(await reason(p.submit({ queue: 'OLD', file: 'x.pdf' }))).toBe('queue-disabled');
    expect(await reason(p.submit({ file: 'x.pdf', data: Buffer.alloc(1) }))).toBe('submit-failed');
    expect(await reason(p.submit({ file: 'x.pdf', copies: 0 }))).toBe('submit-failed');
    const rejecting = scripted({
      ...healthy,
      'lpstat -p': ok('printer PDF is idle.  enabled since x\n'),
      'lpstat -a': ok('PDF not accepting requests since x -\n'),
    });
    expect(await reason(new CupsPrinter({ runner: rejecting }).submit({ file: 'x.pdf' }))).toBe('queue-not-accepting');
    const lpFails = scripted({ ...healthy, 'lp *': fail('lp: Error - The printer or class does not exist.') });
    expect(await reason(new CupsPrinter({ runner: lpFails }).submit({ file: 'x.pdf' }))).toBe('queue-missing');
    const empty = scripted({ 'lpstat -r': ok('scheduler is running'), 'lpstat -p': fail('lpstat: No destinations added.'), 'lpstat -a': fail('lpstat: No destinations added.') });
    expect(await new CupsPrinter({ runner: empty }).listQueues()).toEqual([]);
  });

  it('aborted and cancelled jobs reject with their reason', async () => {
    const aborted = scripted({ 'ipptool *': ok(ipp(4, 'aborted', 'job-aborted-by-system', 'filter failed')) });
    const e = await new CupsPrinter({ runner: aborted }).waitForJob('PDF-4', { pollMs: 1 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SPOOLER_FAILED', detail: { reason: 'job-aborted', reasons: ['job-aborted-by-system'] } });
    const cancelled = scripted({ 'ipptool *': ok(ipp(5, 'canceled', 'job-canceled-by-user')) });
    expect(await reason(new CupsPrinter({ runner: cancelled }).waitForJob('PDF-5'))).toBe('job-cancelled');
    const unknown = scripted({ 'ipptool *': fail('', 'Job #9 does not exist.') });
    expect(await reason(new CupsPrinter({ runner: unknown }).jobStatus('PDF-9'))).toBe('job-unknown');
  });

  it('a job stuck in the queue times out and is cancelled', async () => {
    const run = scripted({ 'ipptool *': ok(ipp(6, 'pending')), 'cancel PDF-6': ok('') });
    const t0 = Date.now();
    expect(await reason(new CupsPrinter({ runner: run }).waitForJob('PDF-6', { timeoutMs: 60, pollMs: 10 }))).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    expect(run.calls.at(-1)).toBe('cancel PDF-6');
    const keep = scripted({ 'ipptool *': ok(ipp(6, 'pending')) });
    expect(await reason(new CupsPrinter({ runner: keep }).waitForJob('PDF-6', { timeoutMs: 10, pollMs: 5, cancelOnTimeout: false }))).toBe('timeout');
    expect(keep.calls.some((c) => c.startsWith('cancel'))).toBe(false);
  });

  it('cancel tolerates an already finished job; a missing tool is tool-missing', async () => {
    const run = scripted({ 'cancel PDF-2': fail("cancel: cancel-job failed: Job #2 is already completed - can't cancel.") });
    await expect(new CupsPrinter({ runner: run }).cancel('PDF-2')).resolves.toBeUndefined();
    // the real runner, with a PATH where no CUPS client exists
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(await reason(new CupsPrinter().schedulerRunning())).toBe('tool-missing');
    } finally {
      process.env.PATH = path;
    }
  });
});
