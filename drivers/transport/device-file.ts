import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { DriverError } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { ListenerSet, type Transport } from './transport.js';

export interface DeviceFileTransportOptions {
  /** e.g. `/dev/usb/lp0` (Linux usblp printer class device). */
  path: string;
  logger?: DriverLogger;
}

/** errno codes after which the device is gone (unplugged or powered off), not merely unhappy with one write. */
const GONE = new Set(['ENODEV', 'ENXIO', 'EIO', 'EBADF', 'ENOENT']);

/**
 * Write-only transport for a character device such as `/dev/usb/lp0` (readable = false; onData never fires).
 * Opened with O_WRONLY and without O_CREAT, so a missing device is TRANSPORT_OPEN_FAILED instead of a stray regular
 * file. A write failing with ENODEV/ENXIO/EIO rejects with TRANSPORT_WRITE_FAILED and then reports
 * TRANSPORT_DISCONNECTED through onClose; other write errors (EAGAIN, ENOSPC) reject but keep the file open.
 */
export class DeviceFileTransport implements Transport {
  readonly readable = false;
  readonly description: string;
  private fh: FileHandle | undefined;
  private readonly data = new ListenerSet<[Buffer]>();
  private readonly closed = new ListenerSet<[DriverError | undefined]>();
  private readonly log: DriverLogger;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: DeviceFileTransportOptions) {
    this.description = `file:${options.path}`;
    this.log = options.logger ?? silentLogger;
  }

  get isOpen(): boolean {
    return this.fh !== undefined;
  }

  async open(): Promise<void> {
    if (this.fh) throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.description} is already open`);
    try {
      this.fh = await open(this.options.path, constants.O_WRONLY | constants.O_NOCTTY);
    } catch (e) {
      throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.description}: ${(e as Error).message}`, {
        cause: e,
        detail: { errno: (e as NodeJS.ErrnoException).code },
      });
    }
  }

  /** Writes serialise: a second write starts after the first finished (no interleaved print jobs). */
  write(data: Uint8Array): Promise<void> {
    const run = this.queue.then(() => this.writeNow(Buffer.from(data)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeNow(buf: Buffer): Promise<void> {
    const fh = this.fh;
    if (!fh) throw new DriverError('TRANSPORT_NOT_OPEN', `${this.description} is not open`);
    let off = 0;
    try {
      while (off < buf.length) {
        const { bytesWritten } = await fh.write(buf, off, buf.length - off);
        off += bytesWritten;
      }
    } catch (e) {
      const errno = (e as NodeJS.ErrnoException).code;
      const err = new DriverError('TRANSPORT_WRITE_FAILED', `${this.description}: ${(e as Error).message}`, {
        cause: e,
        detail: { errno, written: off, length: buf.length },
      });
      if (errno && GONE.has(errno) && this.fh === fh) {
        this.fh = undefined;
        await fh.close().catch((ce: unknown) => this.log.debug({ transport: this.description, error: String(ce) }, 'close after loss failed'));
        this.closed.emit(new DriverError('TRANSPORT_DISCONNECTED', `${this.description} disconnected (${errno})`, { cause: e }));
      }
      throw err;
    }
  }

  async close(): Promise<void> {
    const fh = this.fh;
    if (!fh) return;
    this.fh = undefined;
    try {
      await fh.close();
    } catch (e) {
      this.log.warn({ transport: this.description, error: (e as Error).message }, 'close reported an error');
    }
    this.closed.emit(undefined);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.closed.add(listener);
  }
}
