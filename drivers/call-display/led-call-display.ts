/**
 * CallDisplay adapter for HK-LED/1 window strips on one bus: a call for window W is shown on the strip(s) mapped to
 * W. Windows without a strip are not an error (many halls equip only some windows); `show` then does nothing.
 */
import { DriverError, asDriverError } from '../errors.js';
import { CallDisplayStatusTracker, type Call, type CallDisplay, type CallDisplayStatus } from './call-display.js';
import type { LedStripDriver } from './led-driver.js';

export interface LedCallDisplayOptions {
  driver: LedStripDriver;
  /** Window label → strip address (1..254), e.g. `{ '3': 3, '12': 0x12 }`. */
  windows: Record<string, number>;
  /** Text for a call; default `A012 请到3号窗口`. Must stay within 64 GB18030 bytes. */
  format?: (call: Call) => string;
}

export function defaultLedCallText(call: Call): string {
  return `${call.ticket} 请到${call.window}号窗口`;
}

export class LedCallDisplay implements CallDisplay {
  readonly name: string;
  private readonly tracker = new CallDisplayStatusTracker();

  constructor(private readonly options: LedCallDisplayOptions) {
    this.name = `led:${options.driver.description}`;
  }

  get status(): CallDisplayStatus {
    return this.tracker.status;
  }

  async show(call: Call): Promise<void> {
    const address = this.options.windows[call.window];
    if (address === undefined) return;
    const text = (this.options.format ?? defaultLedCallText)(call);
    await this.track(() => this.options.driver.showText(address, text));
  }

  /** Blanks every mapped strip; the first failure is thrown after all strips were tried. */
  async clear(): Promise<void> {
    const addresses = [...new Set(Object.values(this.options.windows))];
    let first: DriverError | undefined;
    for (const a of addresses) {
      try {
        await this.track(() => this.options.driver.clear(a));
      } catch (e) {
        first ??= asDriverError(e, 'DEVICE_NOT_READY');
      }
    }
    if (first) throw first;
  }

  private async track(op: () => Promise<void>): Promise<void> {
    try {
      await op();
      this.tracker.ok();
    } catch (e) {
      const error = asDriverError(e, 'DEVICE_NOT_READY');
      this.tracker.fault(error);
      throw error;
    }
  }
}
