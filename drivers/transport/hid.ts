import type { EventEmitter } from 'node:events';
import { DriverError } from '../errors.js';
import { silentLogger, type DriverLogger } from '../log.js';
import { ListenerSet, type Transport } from './transport.js';

/** What node-hid's `devicesAsync()` returns per interface (only the fields we use). */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  interface?: number;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** The part of node-hid's `HIDAsync` device this transport uses: emits `data` (Buffer) and `error`. */
export interface HidDeviceHandle extends EventEmitter {
  close(): Promise<void>;
  write(values: number[] | Buffer): Promise<number>;
  sendFeatureReport(data: number[] | Buffer): Promise<number>;
  getFeatureReport(reportId: number, reportLength: number): Promise<Buffer>;
}

/** The part of the node-hid module this layer uses; tests inject a fake (no virtual HID exists on CI machines). */
export interface HidModule {
  HIDAsync: { open(path: string, options?: { nonExclusive?: boolean }): Promise<HidDeviceHandle> };
  devicesAsync(): Promise<HidDeviceInfo[]>;
}

/** Loads the real node-hid lazily, so importing this file never loads a native module. */
export async function loadNodeHid(): Promise<HidModule> {
  const mod = (await import('node-hid')) as unknown as HidModule & { default?: HidModule };
  return typeof mod.HIDAsync === 'function' ? mod : (mod.default as HidModule);
}

export interface HidTransportOptions {
  /** hidraw path (`/dev/hidraw3`) or platform path from discovery; wins over the match fields below. */
  path?: string;
  vendorId?: number;
  productId?: number;
  /** e.g. 0x8C (bar code scanner page) with usage 0x02 to pick the HID POS interface of a composite device. */
  usagePage?: number;
  usage?: number;
  serialNumber?: string;
  /** Let other processes open the device too (macOS only in hidapi); default false. */
  nonExclusive?: boolean;
  /** Injected node-hid module; default: the real node-hid, loaded on first open. */
  hid?: HidModule;
  logger?: DriverLogger;
}

/**
 * A Transport over a HID interface with node-hid's async API.
 *
 * Report boundaries are preserved: every `onData` chunk is exactly one input report as hidapi returns it. For
 * devices with numbered reports (HID POS scanners use report ID 2) byte 0 of the chunk is the report ID; for
 * devices without report IDs the chunk is the bare report. Callers must not concatenate chunks.
 * `write(data)`: data[0] is the report ID (0x00 for devices without numbered reports), as hidapi expects.
 * A read error while open (device unplugged) is reported as TRANSPORT_DISCONNECTED.
 */
export class HidTransport implements Transport {
  readonly readable = true;
  readonly description: string;
  private device: HidDeviceHandle | undefined;
  private closing = false;
  private readonly data = new ListenerSet<[Buffer]>();
  private readonly closed = new ListenerSet<[DriverError | undefined]>();
  private readonly log: DriverLogger;

  constructor(private readonly options: HidTransportOptions) {
    this.log = options.logger ?? silentLogger;
    this.description = options.path
      ? `hid:${options.path}`
      : `hid:${hex4(options.vendorId)}:${hex4(options.productId)}${options.usagePage === undefined ? '' : `/up${hex4(options.usagePage)}`}`;
  }

  get isOpen(): boolean {
    return this.device !== undefined && !this.closing;
  }

  async open(): Promise<void> {
    if (this.device) throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.description} is already open`);
    let device: HidDeviceHandle;
    try {
      const hid = this.options.hid ?? (await loadNodeHid());
      const path = this.options.path ?? (await this.findPath(hid));
      device = await hid.HIDAsync.open(path, { nonExclusive: this.options.nonExclusive ?? false });
    } catch (e) {
      if (e instanceof DriverError) throw e;
      throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.description}: ${(e as Error).message}`, { cause: e });
    }
    this.device = device;
    this.closing = false;
    device.on('error', (err: Error) => this.lost(device, err));
    // attaching the data listener starts node-hid's read loop
    device.on('data', (report: Buffer) => this.data.emit(Buffer.from(report)));
  }

  private async findPath(hid: HidModule): Promise<string> {
    const o = this.options;
    if (o.vendorId === undefined && o.productId === undefined) {
      throw new DriverError('TRANSPORT_OPEN_FAILED', 'HID transport needs a path or a vendorId/productId');
    }
    const all = await hid.devicesAsync();
    const match = all.find(
      (d) =>
        (o.vendorId === undefined || d.vendorId === o.vendorId) &&
        (o.productId === undefined || d.productId === o.productId) &&
        (o.usagePage === undefined || d.usagePage === o.usagePage) &&
        (o.usage === undefined || d.usage === o.usage) &&
        (o.serialNumber === undefined || d.serialNumber === o.serialNumber) &&
        d.path !== undefined,
    );
    if (!match?.path) {
      throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.description}: no matching HID device`, {
        detail: { vendorId: o.vendorId, productId: o.productId, usagePage: o.usagePage, usage: o.usage, seen: all.length },
      });
    }
    return match.path;
  }

  async write(data: Uint8Array): Promise<void> {
    const device = this.require();
    try {
      await device.write(Buffer.from(data));
    } catch (e) {
      throw new DriverError('TRANSPORT_WRITE_FAILED', `${this.description}: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Sends a feature report: `reportId` then `data`. E.g. Honeywell HID POS switch: `sendFeatureReport(254, [0x01])`.
   */
  async sendFeatureReport(reportId: number, data: ArrayLike<number>): Promise<void> {
    const device = this.require();
    if (!Number.isInteger(reportId) || reportId < 0 || reportId > 255) {
      throw new DriverError('TRANSPORT_WRITE_FAILED', `report id ${reportId} out of range 0..255`);
    }
    try {
      await device.sendFeatureReport(Buffer.from([reportId, ...Array.from(data)]));
    } catch (e) {
      throw new DriverError('TRANSPORT_WRITE_FAILED', `${this.description}: feature report ${reportId}: ${(e as Error).message}`, {
        cause: e,
        detail: { reportId },
      });
    }
  }

  async getFeatureReport(reportId: number, length: number): Promise<Buffer> {
    const device = this.require();
    try {
      return Buffer.from(await device.getFeatureReport(reportId, length));
    } catch (e) {
      throw new DriverError('TRANSPORT_WRITE_FAILED', `${this.description}: get feature report ${reportId}: ${(e as Error).message}`, {
        cause: e,
        detail: { reportId },
      });
    }
  }

  async close(): Promise<void> {
    const device = this.device;
    if (!device || this.closing) return;
    this.closing = true;
    try {
      await device.close();
    } catch (e) {
      // the handle is unusable either way; keep the fact in the log, report a normal close to listeners
      this.log.warn({ transport: this.description, error: (e as Error).message }, 'HID close reported an error');
    }
    this.finish(device, undefined);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: DriverError | undefined) => void): () => void {
    return this.closed.add(listener);
  }

  private require(): HidDeviceHandle {
    if (!this.device || this.closing) throw new DriverError('TRANSPORT_NOT_OPEN', `${this.description} is not open`);
    return this.device;
  }

  private lost(device: HidDeviceHandle, err: Error): void {
    if (this.device !== device || this.closing) return;
    this.log.warn({ transport: this.description, error: err.message }, 'HID device lost');
    this.closing = true;
    device.close().then(
      () => undefined,
      (e: unknown) => this.log.debug({ transport: this.description, error: String(e) }, 'close after loss failed'),
    );
    this.finish(
      device,
      new DriverError('TRANSPORT_DISCONNECTED', `${this.description} disconnected: ${err.message}`, { cause: err }),
    );
  }

  private finish(device: HidDeviceHandle, error: DriverError | undefined): void {
    if (this.device !== device) return;
    this.device = undefined;
    this.closing = false;
    device.removeAllListeners('data');
    this.closed.emit(error);
  }
}

function hex4(n: number | undefined): string {
  return n === undefined ? '????' : n.toString(16).padStart(4, '0');
}
