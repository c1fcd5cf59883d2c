import type { DriverError } from '../../drivers/errors.js';
import type { Transport } from '../../drivers/transport/transport.js';
import type { DeviceLink } from '../contract/index.js';

/**
 * What really goes over one device's link, across reconnections: the transport last opened (its own description,
 * not the config's), whether it is open, bytes each way, and when the device last gave a real answer (a frame its
 * driver decoded; fed by the driver's trace). Shown on /healthz and the technician's device board.
 */
export class LinkMeter {
  private description = '';
  private open = false;
  private bytesIn = 0;
  private bytesOut = 0;
  private lastGoodAt: number | null = null;
  /** An answer came over the link opened last: a replugged or reconnected device must answer again to be `ok`. */
  private answeredOnThisLink = false;

  constructor(private readonly simulated: boolean) {}

  /** Wraps a transport factory so every transport it makes is counted. */
  wrap<T extends Transport>(factory: () => T | Promise<T>): () => Promise<Transport> {
    return async () => new MeteredTransport(await factory(), this);
  }

  /** A decoded answer from the device (a `rx` trace entry of its driver). */
  answered(at = Date.now()): void {
    this.lastGoodAt = at;
    this.answeredOnThisLink = true;
  }

  /** The device answered since its link (re)opened; `lastGoodAt` keeps the last answer of any link. */
  get hasAnswered(): boolean {
    return this.answeredOnThisLink;
  }

  snapshot(): DeviceLink {
    return { ...splitDescription(this.description, this.simulated), open: this.open, bytesIn: this.bytesIn, bytesOut: this.bytesOut, lastGoodAt: this.lastGoodAt };
  }

  /** @internal MeteredTransport's hooks. */
  attempting(description: string): void {
    this.description = description;
    this.open = false;
  }
  opened(description: string): void {
    this.description = description;
    this.open = true;
    this.answeredOnThisLink = false;
  }
  closed(): void {
    this.open = false;
  }
  received(n: number): void {
    this.bytesIn += n;
  }
  sent(n: number): void {
    this.bytesOut += n;
  }
}

/** `serial:/dev/ttyUSB0@115200` → serial + `/dev/ttyUSB0@115200`; `tcp://h:9100` → tcp + `h:9100`; memory → simulator. */
export function splitDescription(description: string, simulated: boolean): Pick<DeviceLink, 'kind' | 'address'> {
  if (!description) return { kind: 'none', address: '' };
  if (simulated) return { kind: 'simulator', address: description };
  const url = /^([a-z-]+):\/\/(.*)$/.exec(description);
  if (url) return { kind: url[1]!, address: url[2]! };
  const colon = description.indexOf(':');
  return colon > 0 ? { kind: description.slice(0, colon), address: description.slice(colon + 1) } : { kind: description, address: '' };
}

/** A transport that counts for its LinkMeter and otherwise passes everything through unchanged. */
class MeteredTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly meter: LinkMeter,
  ) {
    meter.attempting(inner.description);
    inner.onData((chunk) => meter.received(chunk.length));
    inner.onClose(() => meter.closed());
  }

  get description(): string {
    return this.inner.description;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  get readable(): boolean {
    return this.inner.readable;
  }

  async open(): Promise<void> {
    await this.inner.open();
    this.meter.opened(this.inner.description);
  }

  async write(data: Uint8Array): Promise<void> {
    await this.inner.write(data);
    this.meter.sent(data.length);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.inner.onData(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.inner.onClose(listener);
  }
}
