import { EventEmitter } from 'node:events';
import type { HidDeviceHandle, HidDeviceInfo, HidModule } from '../transport/hid.js';

/**
 * A fake of the node-hid module (the subset in HidModule), for tests only: no virtual HID exists on these machines
 * (ENVIRONMENT.md). Devices are plugged in by the test; each open returns a handle that receives the device's
 * input reports while open, exactly like HIDAsync: one `data` event per report, `error` when unplugged.
 */
export class FakeHidDevice {
  readonly info: HidDeviceInfo;
  /** Output reports written by the host (`write`). */
  readonly written: Buffer[] = [];
  /** Feature reports sent by the host; byte 0 is the report ID. */
  readonly featureReports: Buffer[] = [];
  /** Answer to getFeatureReport, keyed by report ID. */
  readonly featureAnswers = new Map<number, Buffer>();
  /** Called for every feature report the host sends (behaviours such as "switch to HID POS"). */
  onFeatureReport: ((report: Buffer) => void) | undefined;
  handle: FakeHidHandle | undefined;
  plugged = true;

  constructor(info: HidDeviceInfo) {
    this.info = info;
  }

  /** Delivers one input report to the host if it has the device open. Returns whether it was delivered. */
  sendInputReport(report: Uint8Array): boolean {
    const h = this.handle;
    if (!h || h.closed || !this.plugged) return false;
    const copy = Buffer.from(report);
    setImmediate(() => {
      if (!h.closed) h.emit('data', copy);
    });
    return true;
  }
}

export class FakeHidHandle extends EventEmitter implements HidDeviceHandle {
  closed = false;
  constructor(private readonly device: FakeHidDevice) {
    super();
  }
  async close(): Promise<void> {
    this.closed = true;
    if (this.device.handle === this) this.device.handle = undefined;
    this.removeAllListeners();
  }
  async write(values: number[] | Buffer): Promise<number> {
    if (this.closed || !this.device.plugged) throw new Error('Cannot write to hid device');
    const b = Buffer.from(values);
    this.device.written.push(b);
    return b.length;
  }
  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    if (this.closed || !this.device.plugged) throw new Error('could not send feature report to device');
    const b = Buffer.from(data);
    this.device.featureReports.push(b);
    this.device.onFeatureReport?.(b);
    return b.length;
  }
  async getFeatureReport(reportId: number, reportLength: number): Promise<Buffer> {
    if (this.closed || !this.device.plugged) throw new Error('could not get feature report from device');
    const answer = this.device.featureAnswers.get(reportId);
    if (!answer) throw new Error(`no feature report ${reportId}`);
    return answer.subarray(0, reportLength);
  }
}

export class FakeHidModule implements HidModule {
  private readonly devices: FakeHidDevice[] = [];
  /** Paths opened so far, for assertions. */
  readonly opened: string[] = [];

  plug(info: HidDeviceInfo): FakeHidDevice {
    const d = new FakeHidDevice(info);
    this.devices.push(d);
    return d;
  }

  /** The cable is pulled: the device leaves the list and an open handle gets a read error (as hidapi reports it). */
  unplug(device: FakeHidDevice): void {
    device.plugged = false;
    const i = this.devices.indexOf(device);
    if (i >= 0) this.devices.splice(i, 1);
    const h = device.handle;
    device.handle = undefined;
    if (h && !h.closed) setImmediate(() => h.emit('error', new Error('could not read from HID device')));
  }

  readonly HIDAsync = {
    open: async (path: string): Promise<HidDeviceHandle> => {
      const d = this.devices.find((x) => x.info.path === path && x.plugged);
      if (!d) throw new Error(`cannot open device with path ${path}`);
      if (d.handle && !d.handle.closed) throw new Error(`cannot open device with path ${path}: busy`);
      const h = new FakeHidHandle(d);
      d.handle = h;
      this.opened.push(path);
      return h;
    },
  };

  async devicesAsync(): Promise<HidDeviceInfo[]> {
    return this.devices.map((d) => ({ ...d.info }));
  }
}
