import type { OpenOptions as SerialStreamOptions } from '@serialport/stream';
import { access } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { DriverError } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { ListenerSet, type Transport } from './transport.js';

/** A serialport binding (bindings-interface's `BindingInterface`), typed through serialport's own stream options. */
export type SerialBinding = SerialStreamOptions['binding'];

export interface SerialTransportOptions {
  /** `/dev/ttyACM0`, `/dev/ttyUSB0`, `COM3`, or a pty path in tests. */
  path: string;
  /** Bits per second; e.g. 9600 (scanner default) or 115200 (ID card reader). A pty ignores it. */
  baudRate: number;
  /**
   * serialport binding; default: serialport's auto-detected `@serialport/bindings-cpp`.
   * Tests inject `@serialport/binding-mock`'s MockBinding, or keep the default over a socat pty pair.
   */
  binding?: SerialBinding;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 1.5 | 2;
  parity?: 'none' | 'even' | 'odd' | 'mark' | 'space';
  /** Hardware flow control; default false. */
  rtscts?: boolean;
  /** Take an exclusive lock on the port (default true, as bindings-cpp does). */
  lock?: boolean;
  /**
   * Modem lines to assert after opening (e.g. `{ dtr: true, rts: true }` for readers that wait for DTR).
   * Best effort: on a pseudo-terminal the ioctl fails ("Inappropriate ioctl for device"); that is logged at
   * debug level and the port stays usable (Transport contract). Default: leave the lines as the OS set them.
   */
  modemLines?: { dtr?: boolean; rts?: boolean };
  /**
   * Interval of the device-node presence check while open, in ms; default 1000, 0 disables.
   * Why: bindings-cpp 13 retries a read that returns 0 bytes forever (serialport/bindings-cpp#162), and a hung-up
   * tty returns 0 when the unplug lands while a read is in flight instead of while polling: the port then never
   * reports the disconnect and a thread spins at 100 % CPU. When the node (/dev/ttyACM0, a socat link) is gone we
   * close the port ourselves, which ends that read with EBADF, and report TRANSPORT_DISCONNECTED.
   */
  presenceCheckMs?: number;
  logger?: DriverLogger;
}

/**
 * A Transport over serialport's stream on a real (or injected) binding.
 *
 * Unplug: bindings-cpp's pending read fails with EIO/EBADF, the stream closes itself and emits `close` with a
 * DisconnectedError (`disconnected: true`); this transport reports that as TRANSPORT_DISCONNECTED. A stream `error`
 * while open (anything the stream reports asynchronously) is also treated as a lost link, so onClose fires exactly
 * once per open either way.
 */
export class SerialTransport implements Transport {
  readonly readable = true;
  readonly description: string;
  private port: SerialPort | undefined;
  private closing = false;
  private presenceTimer: NodeJS.Timeout | undefined;
  private readonly data = new ListenerSet<[Buffer]>();
  private readonly closed = new ListenerSet<[DriverError | undefined]>();
  private readonly log: DriverLogger;

  constructor(private readonly options: SerialTransportOptions) {
    this.description = `serial:${options.path}@${options.baudRate}`;
    this.log = options.logger ?? silentLogger;
  }

  get path(): string {
    return this.options.path;
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true && !this.closing;
  }

  async open(): Promise<void> {
    if (this.port) throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.description} is already open`);
    const o = this.options;
    const settings = {
      path: o.path,
      baudRate: o.baudRate,
      autoOpen: false,
      dataBits: o.dataBits ?? 8,
      stopBits: o.stopBits ?? 1,
      parity: o.parity ?? 'none',
      rtscts: o.rtscts ?? false,
      lock: o.lock ?? true,
      // The SerialPort constructor spreads our options over its detected binding, so an injected one wins.
      ...(o.binding ? { binding: o.binding } : {}),
    };
    let port: SerialPort;
    try {
      port = new SerialPort(settings as ConstructorParameters<typeof SerialPort>[0]);
    } catch (e) {
      throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.description}: ${(e as Error).message}`, {
        cause: e,
        detail: { path: o.path },
      });
    }
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) {
          reject(
            new DriverError('TRANSPORT_OPEN_FAILED', `${this.description}: ${err.message}`, {
              cause: err,
              detail: { path: o.path },
            }),
          );
        } else resolve();
      });
    });
    this.port = port;
    this.closing = false;
    port.on('data', (chunk: Buffer) => this.data.emit(chunk));
    port.on('error', (err: Error) => this.lost(port, err));
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (err) this.lost(port, err);
      else this.finish(port, undefined);
    });
    if (o.modemLines) await this.setModemLines(o.modemLines);
    this.watchPresence(port);
  }

  private watchPresence(port: SerialPort): void {
    const every = this.options.presenceCheckMs ?? 1000;
    // only paths that name a node in the file system can be checked (not COM3 on Windows)
    if (every <= 0 || !this.options.path.startsWith('/')) return;
    let checking = false;
    this.presenceTimer = setInterval(() => {
      if (checking || this.port !== port) return;
      checking = true;
      access(this.options.path).then(
        () => {
          checking = false;
        },
        (e: NodeJS.ErrnoException) => {
          checking = false;
          if (e.code === 'ENOENT') this.lost(port, new Error('device node disappeared'));
          else this.log.debug({ transport: this.description, error: e.message }, 'presence check failed');
        },
      );
    }, every);
    this.presenceTimer.unref();
  }

  /** Sets DTR/RTS; returns false (and logs) when the device cannot do it, e.g. a pseudo-terminal. */
  async setModemLines(lines: { dtr?: boolean; rts?: boolean }): Promise<boolean> {
    const port = this.requirePort();
    return new Promise<boolean>((resolve) => {
      port.set(lines, (err) => {
        if (err) {
          this.log.debug({ transport: this.description, error: err.message }, 'modem-control ioctl not supported; ignored');
          resolve(false);
        } else resolve(true);
      });
    });
  }

  async write(data: Uint8Array): Promise<void> {
    const port = this.requirePort();
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) =>
        reject(new DriverError('TRANSPORT_WRITE_FAILED', `${this.description}: ${err.message}`, { cause: err }));
      port.write(Buffer.from(data), (err) => {
        if (err) return fail(err);
        port.drain((e) => (e ? fail(e) : resolve()));
      });
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port || this.closing) return;
    this.closing = true;
    if (!port.isOpen) {
      this.finish(port, undefined);
      return;
    }
    await new Promise<void>((resolve) => {
      port.close((err) => {
        // a failed close still leaves us closed: the fd is gone or unusable; record it, do not throw at callers
        if (err) this.log.warn({ transport: this.description, error: err.message }, 'close reported an error');
        this.finish(port, undefined);
        resolve();
      });
    });
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.closed.add(listener);
  }

  private requirePort(): SerialPort {
    if (!this.port || !this.isOpen) throw new DriverError('TRANSPORT_NOT_OPEN', `${this.description} is not open`);
    return this.port;
  }

  private lost(port: SerialPort, err: Error): void {
    if (this.port !== port) return;
    if (this.closing) {
      this.finish(port, undefined);
      return;
    }
    this.log.warn({ transport: this.description, error: err.message }, 'serial link lost');
    if (port.isOpen) {
      // an async stream error on a still-open port: close it so the fd is released, report once
      port.close(() => undefined);
    }
    this.finish(
      port,
      new DriverError('TRANSPORT_DISCONNECTED', `${this.description} disconnected: ${err.message}`, {
        cause: err,
        detail: { path: this.options.path },
      }),
    );
  }

  /** Emits the one close of this open and detaches from the port. */
  private finish(port: SerialPort, error: DriverError | undefined): void {
    if (this.port !== port) return;
    this.port = undefined;
    clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
    this.closing = false;
    port.removeAllListeners('data');
    // keep an error sink: a late stream error must not become an uncaught 'error' event
    port.removeAllListeners('error');
    port.on('error', (e: Error) => this.log.debug({ transport: this.description, error: e.message }, 'late error after close'));
    this.closed.emit(error);
  }
}
