import { DriverError } from '../errors.js';
import { ListenerSet, type Transport } from './transport.js';

/**
 * Two in-memory transports wired back to back: what one writes, the other receives (asynchronously, on the
 * next macrotask, as a real port would deliver it). For unit tests of drivers and simulators; integration tests use
 * real serialport bindings over socat pseudo-terminals or TCP on 127.0.0.1.
 */
export class MemoryTransport implements Transport {
  readonly readable = true;
  private open_ = false;
  peer: MemoryTransport | undefined;
  private readonly data = new ListenerSet<[Buffer]>();
  private readonly closed = new ListenerSet<[DriverError | undefined]>();
  /** Every chunk written by this side, for assertions. */
  readonly written: Buffer[] = [];

  constructor(readonly description = 'memory') {}

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    this.open_ = true;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.open_) throw new DriverError('TRANSPORT_NOT_OPEN', `${this.description} is not open`);
    const chunk = Buffer.from(data);
    this.written.push(chunk);
    const peer = this.peer;
    if (peer?.open_) setImmediate(() => peer.open_ && peer.data.emit(chunk));
  }

  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    this.closed.emit(undefined);
  }

  /** Simulates the cable being pulled: both sides see TRANSPORT_DISCONNECTED. */
  unplug(): void {
    for (const side of [this, this.peer]) {
      if (side?.open_) {
        side.open_ = false;
        side.closed.emit(new DriverError('TRANSPORT_DISCONNECTED', `${side.description} disconnected`));
      }
    }
  }

  /** Delivers bytes to this side as if the peer had sent them. */
  inject(chunk: Uint8Array): void {
    if (this.open_) this.data.emit(Buffer.from(chunk));
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.closed.add(listener);
  }
}

export function memoryPair(hostName = 'host', deviceName = 'device'): { host: MemoryTransport; device: MemoryTransport } {
  const host = new MemoryTransport(`memory:${hostName}`);
  const device = new MemoryTransport(`memory:${deviceName}`);
  host.peer = device;
  device.peer = host;
  return { host, device };
}
