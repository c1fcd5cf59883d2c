import { DriverError } from '../../drivers/errors.js';
import { memoryPair, type MemoryTransport } from '../../drivers/transport/memory.js';
import type { Transport } from '../../drivers/transport/transport.js';

/**
 * A simulated cable between a driver and a device simulator. Each connection attempt (the supervisor's factory
 * call) lays a new in-memory pair and hands the device side to `attachDevice`; `unplug()` cuts the current pair
 * (both sides see TRANSPORT_DISCONNECTED) and makes further attempts fail to open until `replug()`, exactly as a
 * pulled USB cable looks to the driver.
 */
export class SimLink {
  private pair: { host: MemoryTransport; device: MemoryTransport } | undefined;
  private plugged = true;

  constructor(
    readonly name: string,
    private readonly attachDevice: (deviceSide: Transport) => void | Promise<void>,
  ) {}

  get isPlugged(): boolean {
    return this.plugged;
  }

  /** The supervisor's TransportFactory. */
  factory = (): Transport => {
    const pair = memoryPair(`${this.name}-host`, `${this.name}-device`);
    const open = pair.host.open.bind(pair.host);
    pair.host.open = async () => {
      if (!this.plugged) throw new DriverError('TRANSPORT_OPEN_FAILED', `${this.name}: no device (unplugged)`);
      await pair.device.open();
      await this.attachDevice(pair.device);
      this.pair = pair;
      await open();
    };
    return pair.host;
  };

  unplug(): void {
    this.plugged = false;
    this.pair?.host.unplug();
    this.pair = undefined;
  }

  replug(): void {
    this.plugged = true;
  }
}
