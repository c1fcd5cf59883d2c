/**
 * Write-only transport that submits raw ESC/POS bytes to a CUPS raw queue: `lp -d <queue> -o raw` with the bytes on
 * stdin. Each `write()` is one CUPS job (the driver writes one job at a time). No status comes back through a
 * spooler (escpos.md), so `readable` is false and the driver reports `statusKnown: false`.
 * A raw queue for a network printer: `lpadmin -p RECEIPT -E -v socket://<printer>:9100` (no PPD = raw).
 */
import { spawn } from 'node:child_process';
import { DriverError } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { ListenerSet, type Transport } from '../transport/transport.js';

export interface CupsRawTransportOptions {
  /** CUPS queue name, e.g. `RECEIPT`. */
  queue: string;
  /** `lp` executable; default `lp` from PATH. Tests point it at a stand-in. */
  lpCommand?: string;
  /** Give up on one `lp` run after this long; default 10000 ms. */
  timeoutMs?: number;
  logger?: DriverLogger;
}

export class CupsRawTransport implements Transport {
  readonly readable = false;
  readonly description: string;
  private open_ = false;
  private readonly data = new ListenerSet<[Buffer]>();
  private readonly closed = new ListenerSet<[DriverError | undefined]>();
  private readonly log: DriverLogger;
  /** Job ids as lp printed them (`request id is RECEIPT-12 (1 file(s))`). */
  readonly jobIds: string[] = [];

  constructor(private readonly options: CupsRawTransportOptions) {
    if (!/^[\w.-]+$/.test(options.queue)) throw new DriverError('TRANSPORT_OPEN_FAILED', `invalid CUPS queue name "${options.queue}"`);
    this.description = `cups-raw:${options.queue}`;
    this.log = options.logger ?? silentLogger;
  }

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    this.open_ = true;
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.open_) return Promise.reject(new DriverError('TRANSPORT_NOT_OPEN', `${this.description} is not open`));
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise<void>((resolve, reject) => {
      const child = spawn(this.options.lpCommand ?? 'lp', ['-d', this.options.queue, '-o', 'raw'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let settled = false;
      const finish = (err?: DriverError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          this.log.warn({ queue: this.options.queue, code: err.code }, 'raw job not accepted by CUPS');
          reject(err);
        } else resolve();
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(new DriverError('SPOOLER_FAILED', `lp did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', (e) => finish(new DriverError('SPOOLER_FAILED', `could not run lp: ${e.message}`, { cause: e })));
      child.on('close', (code) => {
        if (code !== 0) {
          finish(new DriverError('SPOOLER_FAILED', `lp exited with ${code}: ${stderr.trim()}`, { detail: { exitCode: code } }));
          return;
        }
        const id = /request id is (\S+)/.exec(stdout)?.[1];
        if (id) this.jobIds.push(id);
        this.log.debug({ queue: this.options.queue, job: id, bytes: data.length }, 'raw job submitted');
        finish();
      });
      // EPIPE when lp exits early is reported by the exit code above.
      child.stdin.on('error', (e) => this.log.debug({ error: e.message }, 'lp stdin closed early'));
      child.stdin.end(Buffer.from(data));
    });
  }

  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    this.closed.emit(undefined);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.closed.add(listener);
  }
}
