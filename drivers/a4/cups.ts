/**
 * The A4 printer through the OS spooler (CUPS). Commands run with execFile (no shell), `LC_ALL=C` so their messages
 * can be parsed, and an injectable runner so the parsing is unit-tested with captured outputs.
 *
 *   lpstat -r                    scheduler running?  (lp alone would say "printer does not exist" when cupsd is down)
 *   lpstat -p [q] / lpstat -a    queues, enabled/disabled, accepting
 *   lp -d q -n copies -t title   submit a file (or stdin) → `request id is PDF-12 (1 file(s))`
 *   ipptool Get-Job-Attributes   job-state of one job: lpstat cannot tell completed from cancelled or aborted
 *   cancel q-N                   cancel
 *
 * States: queued → processing → completed | failed | cancelled. Every failure is SPOOLER_FAILED with
 * `detail.reason` (SpoolerFailure). Job titles reach the spooler's logs and cups-pdf's file names: callers pass a
 * document kind (`办事指南`), never a citizen's name or ID number.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverError, assertNever } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';

export interface CommandResult {
  /** Exit code; null when killed by a signal (time-out). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one command without a shell. Rejects only when the program cannot be started (ENOENT etc.). */
export type CommandRunner = (
  file: string,
  args: readonly string[],
  options: { input?: Buffer; timeoutMs: number; env?: Record<string, string> },
) => Promise<CommandResult>;

export type SpoolerFailure =
  | 'cupsd-not-running'
  | 'queue-missing'
  | 'queue-disabled'
  | 'queue-not-accepting'
  | 'submit-failed'
  | 'job-aborted'
  | 'job-cancelled'
  | 'job-unknown'
  | 'timeout'
  | 'tool-missing'
  | 'command-failed';

export type CupsJobState = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface CupsJobStatus {
  /** e.g. `PDF-12` */
  id: string;
  state: CupsJobState;
  /** IPP job-state keyword: pending, pending-held, processing, processing-stopped, canceled, aborted, completed. */
  ippState: string;
  /** IPP job-state-reasons, e.g. `job-completed-successfully`, `processing-to-stop-point`. */
  reasons: string[];
  message: string;
}

export interface CupsQueue {
  name: string;
  enabled: boolean;
  accepting: boolean;
  /** Job being printed, when the queue says `now printing`. */
  printing?: string;
}

export interface CupsPrinterOptions {
  /** Queue used when a call names none; default `PDF` (the cups-pdf queue of cups-setup.sh). */
  queue?: string;
  runner?: CommandRunner;
  /** `host[:port]` of cupsd (CUPS_SERVER); default the client's own default (localhost). */
  server?: string;
  /** Per command, ms; default 15000. */
  commandTimeoutMs?: number;
  logger?: DriverLogger;
}

export interface SubmitOptions {
  queue?: string;
  /** A PDF file path, or */
  file?: string;
  /** the PDF bytes (sent to lp on stdin). */
  data?: Buffer;
  /** 1..99, default 1. */
  copies?: number;
  /** Document kind for the spooler, e.g. `办事指南`; no personal data. Default `hall-kiosk`. */
  title?: string;
}

export interface WaitOptions {
  /** Total wait, ms; default 120000. */
  timeoutMs?: number;
  /** Poll interval, ms; default 500. */
  pollMs?: number;
  /** Cancel the job when the wait times out (default true: a citizen who was told it failed must not find their
   *  papers printed later for the next person to take). */
  cancelOnTimeout?: boolean;
  onState?: (s: CupsJobStatus) => void;
  signal?: AbortSignal;
}

function spoolerError(reason: SpoolerFailure, message: string, extra: Record<string, unknown> = {}, cause?: unknown): DriverError {
  return new DriverError('SPOOLER_FAILED', message, { detail: { reason, ...extra }, ...(cause === undefined ? {} : { cause }) });
}

/** The default runner: child_process.spawn without a shell, output collected as UTF-8. */
export const execFileRunner: CommandRunner = (file, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT'
          ? spoolerError('tool-missing', `${file} is not installed (apt-get install cups-client cups-ipp-utils)`, { tool: file }, e)
          : spoolerError('command-failed', `${file} could not be started: ${e.message}`, { tool: file }, e),
      );
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // lp may exit before reading stdin (e.g. unknown queue): EPIPE is then expected and the exit code tells.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') stderr += `\nstdin: ${e.message}`;
    });
    child.stdin.end(options.input);
  });

// --- parsers (pure, exported for tests) ---------------------------------------------------------------------------

/** `request id is PDF-12 (1 file(s))` → `PDF-12`. */
export function parseRequestId(stdout: string): string | undefined {
  return /request id is (\S+-\d+)/.exec(stdout)?.[1];
}

/** `lpstat -r` */
export function parseSchedulerRunning(stdout: string): boolean {
  return /scheduler is running/.test(stdout);
}

/** `lpstat -p` + `lpstat -a` outputs → queues. */
export function parseQueues(lpstatP: string, lpstatA: string): CupsQueue[] {
  const accepting = new Map<string, boolean>();
  for (const line of lpstatA.split('\n')) {
    const m = /^(\S+) (not )?accepting requests/.exec(line);
    if (m) accepting.set(m[1]!, !m[2]);
  }
  const queues: CupsQueue[] = [];
  for (const line of lpstatP.split('\n')) {
    const m = /^printer (\S+) (?:is idle|now printing (\S+?)\.|disabled)/.exec(line);
    if (!m) continue;
    const q: CupsQueue = { name: m[1]!, enabled: !/^printer \S+ disabled/.test(line), accepting: accepting.get(m[1]!) ?? false };
    if (m[2]) q.printing = m[2];
    queues.push(q);
  }
  return queues;
}

/** Splits one CSV line as ipptool -c writes it (fields with commas are double-quoted). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function jobStateFromIpp(ippState: string): CupsJobState | undefined {
  switch (ippState) {
    case 'pending':
    case 'pending-held':
      return 'queued';
    case 'processing':
    case 'processing-stopped':
      return 'processing';
    case 'completed':
      return 'completed';
    case 'canceled':
      return 'cancelled';
    case 'aborted':
      return 'failed';
    default:
      return undefined;
  }
}

/** `ipptool -c` output of the Get-Job-Attributes test below → status (undefined when it holds no data row). */
export function parseIpptoolJob(id: string, stdout: string): CupsJobStatus | undefined {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const hi = lines.findIndex((l) => l.startsWith('job-id,') || l.includes(',job-state,') || l.startsWith('job-state'));
  if (hi === -1 || hi + 1 >= lines.length) return undefined;
  const header = splitCsvLine(lines[hi]!);
  const values = splitCsvLine(lines[hi + 1]!);
  const get = (k: string): string => values[header.indexOf(k)] ?? '';
  const ippState = get('job-state');
  const state = jobStateFromIpp(ippState);
  if (!state) return undefined;
  return {
    id,
    state,
    ippState,
    reasons: get('job-state-reasons').split(',').filter(Boolean),
    message: get('job-state-message'),
  };
}

function classifyCupsMessage(text: string): SpoolerFailure | undefined {
  if (/scheduler is not running|unable to connect|connection refused|scheduler not responding/i.test(text)) return 'cupsd-not-running';
  if (/does not exist|invalid destination|unknown destination|not found/i.test(text)) return 'queue-missing';
  if (/not accepting/i.test(text)) return 'queue-not-accepting';
  return undefined;
}

const GET_JOB_TEST = `{
  NAME "hall-kiosk get job state"
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job_id
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes job-id,job-state,job-state-reasons,job-state-message
  STATUS successful-ok
  DISPLAY job-id
  DISPLAY job-state
  DISPLAY job-state-reasons
  DISPLAY job-state-message
}
`;

let getJobTestFile: string | undefined;
function getJobTestPath(): string {
  if (!getJobTestFile) {
    const p = join(tmpdir(), `hall-kiosk-get-job-${process.pid}.test`);
    writeFileSync(p, GET_JOB_TEST);
    getJobTestFile = p;
  }
  return getJobTestFile;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

export class CupsPrinter {
  readonly queue: string;
  private readonly run: CommandRunner;
  private readonly server: string | undefined;
  private readonly commandTimeoutMs: number;
  private readonly log: DriverLogger;

  constructor(options: CupsPrinterOptions = {}) {
    this.queue = options.queue ?? 'PDF';
    this.run = options.runner ?? execFileRunner;
    this.server = options.server;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 15_000;
    this.log = options.logger ?? silentLogger;
  }

  private exec(file: string, args: string[], input?: Buffer): Promise<CommandResult> {
    const env = this.server ? { CUPS_SERVER: this.server } : undefined;
    return this.run(file, args, { timeoutMs: this.commandTimeoutMs, ...(input ? { input } : {}), ...(env ? { env } : {}) });
  }

  async schedulerRunning(): Promise<boolean> {
    const r = await this.exec('lpstat', ['-r']);
    return parseSchedulerRunning(r.stdout);
  }

  private async requireScheduler(): Promise<void> {
    if (!(await this.schedulerRunning())) {
      throw spoolerError('cupsd-not-running', `the CUPS scheduler is not running${this.server ? ` at ${this.server}` : ''} (start cupsd)`);
    }
  }

  async listQueues(): Promise<CupsQueue[]> {
    await this.requireScheduler();
    const p = await this.exec('lpstat', ['-p']);
    const a = await this.exec('lpstat', ['-a']);
    // "lpstat: No destinations added." exits 1 with an empty list: that is an answer, not a failure.
    if (p.code !== 0 && !/no destinations added/i.test(p.stderr)) {
      throw spoolerError(classifyCupsMessage(p.stderr) ?? 'command-failed', `lpstat -p failed: ${p.stderr.trim()}`);
    }
    return parseQueues(p.stdout, a.stdout);
  }

  /** The named queue's state; SPOOLER_FAILED queue-missing when it does not exist. */
  async queueState(queue = this.queue): Promise<CupsQueue> {
    const all = await this.listQueues();
    const q = all.find((x) => x.name === queue);
    if (!q) throw spoolerError('queue-missing', `print queue "${queue}" does not exist`, { queue, known: all.map((x) => x.name) });
    return q;
  }

  /** Submits a PDF; resolves with the job id (`PDF-12`). Fails fast on a missing, disabled or rejecting queue. */
  async submit(opts: SubmitOptions): Promise<string> {
    const queue = opts.queue ?? this.queue;
    if ((opts.file === undefined) === (opts.data === undefined)) {
      throw spoolerError('submit-failed', 'submit needs exactly one of file or data');
    }
    const copies = opts.copies ?? 1;
    if (!Number.isInteger(copies) || copies < 1 || copies > 99) throw spoolerError('submit-failed', `copies must be 1..99, got ${copies}`);
    const q = await this.queueState(queue);
    // A disabled queue would accept and hold the job until the time-out: tell it now.
    if (!q.enabled) throw spoolerError('queue-disabled', `print queue "${queue}" is disabled (paused)`, { queue });
    if (!q.accepting) throw spoolerError('queue-not-accepting', `print queue "${queue}" is not accepting jobs`, { queue });
    const args = ['-d', queue, '-n', String(copies), '-t', opts.title ?? 'hall-kiosk', ...(opts.file !== undefined ? ['--', opts.file] : [])];
    const r = await this.exec('lp', args, opts.data);
    const id = parseRequestId(r.stdout);
    if (r.code !== 0 || !id) {
      const text = `${r.stderr} ${r.stdout}`.trim();
      throw spoolerError(classifyCupsMessage(text) ?? 'submit-failed', `lp failed: ${text || `exit ${String(r.code)}`}`, { queue });
    }
    this.log.info({ job: id, queue, copies, bytes: opts.data?.length }, 'a4 job submitted');
    return id;
  }

  async jobStatus(jobId: string): Promise<CupsJobStatus> {
    const m = /^(.+)-(\d+)$/.exec(jobId);
    if (!m) throw spoolerError('job-unknown', `not a CUPS job id: "${jobId}"`);
    const host = this.server ?? 'localhost';
    const uri = `ipp://${host}/printers/${encodeURIComponent(m[1]!)}`;
    const r = await this.exec('ipptool', ['-c', '-T', String(Math.ceil(this.commandTimeoutMs / 1000)), '-d', `job_id=${m[2]}`, uri, getJobTestPath()]);
    const status = parseIpptoolJob(jobId, r.stdout);
    if (status) return status;
    const text = `${r.stderr} ${r.stdout}`.trim();
    if (/does not exist|not-found|not found/i.test(text)) throw spoolerError('job-unknown', `job ${jobId} is not known to CUPS`, { job: jobId });
    throw spoolerError(classifyCupsMessage(text) ?? 'command-failed', `cannot read the state of job ${jobId}: ${text}`, { job: jobId });
  }

  /**
   * Follows a job until it ends. Resolves with the final status when completed; rejects SPOOLER_FAILED with
   * reason job-aborted / job-cancelled / timeout (the job is then cancelled unless `cancelOnTimeout: false`).
   */
  async waitForJob(jobId: string, opts: WaitOptions = {}): Promise<CupsJobStatus> {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    const pollMs = opts.pollMs ?? 500;
    let last: CupsJobStatus | undefined;
    for (;;) {
      const s = await this.jobStatus(jobId);
      if (!last || last.state !== s.state) {
        opts.onState?.(s);
        this.log.debug({ job: jobId, state: s.state, ipp: s.ippState }, 'a4 job state');
      }
      last = s;
      switch (s.state) {
        case 'completed':
          return s;
        case 'failed':
          throw spoolerError('job-aborted', `job ${jobId} was aborted by the spooler${s.message ? `: ${s.message}` : ''}`, {
            job: jobId,
            reasons: s.reasons,
          });
        case 'cancelled':
          throw spoolerError('job-cancelled', `job ${jobId} was cancelled`, { job: jobId, reasons: s.reasons });
        case 'queued':
        case 'processing':
          break;
        default:
          assertNever(s.state, 'job state');
      }
      if (opts.signal?.aborted || Date.now() >= deadline) {
        if (opts.cancelOnTimeout ?? true) await this.cancel(jobId);
        throw spoolerError('timeout', `job ${jobId} still ${s.state} when the wait ended`, { job: jobId, state: s.state });
      }
      await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), opts.signal);
    }
  }

  /** Cancels a job; a job that already ended is not an error. */
  async cancel(jobId: string): Promise<void> {
    const r = await this.exec('cancel', [jobId]);
    if (r.code === 0 || /already (canceled|cancelled|completed|aborted)|can't cancel/i.test(r.stderr)) return;
    const text = r.stderr.trim();
    throw spoolerError(classifyCupsMessage(text) ?? 'command-failed', `cancel ${jobId} failed: ${text}`, { job: jobId });
  }

  /** submit + waitForJob. */
  async print(opts: SubmitOptions & WaitOptions): Promise<CupsJobStatus> {
    const id = await this.submit(opts);
    return this.waitForJob(id, opts);
  }
}
