import type { DriverError } from '../errors.js';

/**
 * The one small interface every driver talks through. Serial, TCP, HID, device-file and in-memory transports
 * implement it; drivers never import `serialport`, `net` or `node-hid` themselves (STYLE.md §3).
 *
 * Obligations of an implementation:
 * - `open()` resolves once bytes can be written; rejects with a DriverError `TRANSPORT_OPEN_FAILED`.
 * - `write()` resolves when the bytes were handed to the OS (drained); rejects with `TRANSPORT_NOT_OPEN` or
 *   `TRANSPORT_WRITE_FAILED`.
 * - Incoming bytes arrive through `onData` listeners in arrival order, chunked arbitrarily.
 * - When the link goes away without `close()` being called (unplug, peer closed the socket), `onClose` listeners
 *   get a DriverError `TRANSPORT_DISCONNECTED`; after `close()` they get `undefined`. Exactly one close per open.
 * - Modem-control failures (DTR/RTS ioctls on a pseudo-terminal) are not errors.
 */
export interface Transport {
  /** For logs and the device board, e.g. `serial:/dev/ttyUSB0@115200`, `tcp://127.0.0.1:9100`. */
  readonly description: string;
  readonly isOpen: boolean;
  /** True when bytes can also be read back (false for a write-only device file or a spooler). */
  readonly readable: boolean;
  open(): Promise<void>;
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  onData(listener: (chunk: Buffer) => void): () => void;
  onClose(listener: (error: DriverError | undefined) => void): () => void;
}

/** Builds a fresh transport for each (re)connection attempt. */
export type TransportFactory = () => Transport;

/** Tiny typed listener set used by transports and drivers alike. */
export class ListenerSet<A extends unknown[]> {
  private readonly listeners = new Set<(...args: A) => void>();
  add(fn: (...args: A) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  emit(...args: A): void {
    for (const fn of [...this.listeners]) fn(...args);
  }
  get size(): number {
    return this.listeners.size;
  }
  clear(): void {
    this.listeners.clear();
  }
}
