import { Socket } from 'node:net';
import { DriverError } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { ListenerSet, type Transport } from './transport.js';

export interface TcpTransportOptions {
  host: string;
  /** 1..65535; e.g. 9100 for a raw network printer. */
  port: number;
  /** Give up connecting after this long; default 3000 ms. */
  connectTimeoutMs?: number;
  /** TCP keep-alive so a silently dead peer is noticed; default true, initial delay 5000 ms. */
  keepAlive?: boolean;
  keepAliveInitialDelayMs?: number;
  /** Disable Nagle (small command frames go out at once); default true. */
  noDelay?: boolean;
  logger?: DriverLogger;
}

/**
 * A Transport over a TCP socket. The peer closing the connection (FIN), a reset, or a keep-alive failure is
 * reported once through onClose as TRANSPORT_DISCONNECTED; `close()` reports `undefined`.
 */
export class TcpTransport implements Transport {
  readonly readable = true;
  readonly description: string;
  private socket: Socket | undefined;
  private closing = false;
  private readonly data = new ListenerSet<[Buffer]>();
  private readonly closed = new ListenerSet<[DriverError | undefined]>();
  private readonly log: DriverLogger;

  constructor(private readonly options: TcpTransportOptions) {
    this.description = `tcp://${options.host}:${options.port}`;
    this.log = options.logger ?? silentLogger;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && !this.closing && !this.socket.destroyed;
  }

  async open(): Promise<void> {
    if (this.socket) throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.description} is already open`);
    const o = this.options;
    const timeoutMs = o.connectTimeoutMs ?? 3000;
    const socket = new Socket();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new DriverError('TRANSPORT_OPEN_FAILED', `${this.description}: no connection within ${timeoutMs} ms`, {
            detail: { timeoutMs },
          }),
        );
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new DriverError('TRANSPORT_OPEN_FAILED', `${this.description}: ${err.message}`, { cause: err }));
      });
      socket.connect({ host: o.host, port: o.port }, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve();
      });
    });
    socket.setNoDelay(o.noDelay ?? true);
    if (o.keepAlive ?? true) socket.setKeepAlive(true, o.keepAliveInitialDelayMs ?? 5000);
    this.socket = socket;
    this.closing = false;
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => this.data.emit(chunk));
    socket.on('error', (err) => {
      lastError = err;
      this.log.warn({ transport: this.description, error: err.message }, 'tcp socket error');
    });
    // Peer half-close: we do not keep half-open connections; end our side too, 'close' follows.
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const wasClosing = this.closing;
      this.closing = false;
      this.closed.emit(
        wasClosing
          ? undefined
          : new DriverError(
              'TRANSPORT_DISCONNECTED',
              `${this.description} disconnected${lastError ? `: ${lastError.message}` : ' (peer closed)'}`,
              { cause: lastError },
            ),
      );
    });
  }

  async write(data: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || !this.isOpen) throw new DriverError('TRANSPORT_NOT_OPEN', `${this.description} is not open`);
    await new Promise<void>((resolve, reject) => {
      socket.write(data, (err) => {
        if (err) reject(new DriverError('TRANSPORT_WRITE_FAILED', `${this.description}: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket || this.closing) return;
    this.closing = true;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      // a peer that never acknowledges our FIN must not hang close()
      const t = setTimeout(() => socket.destroy(), 1000);
      t.unref();
    });
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.closed.add(listener);
  }
}
