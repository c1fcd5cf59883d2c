import type { DevicesConfig } from '../../kiosk-config/devices.js';
import { DEVICE_IDS, type DeviceId, type DeviceStatus } from '../contract/index.js';
import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { Logger } from '../core/logger.js';
import { HostError } from '../errors.js';
import type { CitizenSession } from '../session/citizen-session.js';
import type { Db } from '../storage/database.js';

export interface DeviceManagerOptions {
  config: DevicesConfig;
  simulate: boolean;
  hub: EventHub;
  session: CitizenSession;
  logger: Logger;
  db: Db;
  now: () => Date;
}

type SimHandlerNames = 'sim.state' | 'sim.placeCard' | 'sim.removeCard' | 'sim.scan' | 'sim.setPrinterFault' | 'sim.unplug' | 'sim.replug' | 'sim.receipts';

/**
 * Owns every device of the kiosk: builds its transport (real, or the simulator's in simulation mode), its driver
 * and supervisor, tracks its status for the device board and /healthz, and turns driver events into contract
 * events. Device state changes are recorded in `device_events`.
 */
export class DeviceManager {
  private readonly status = new Map<DeviceId, DeviceStatus>();

  constructor(private readonly options: DeviceManagerOptions) {
    for (const id of DEVICE_IDS) {
      this.status.set(id, {
        id,
        model: id,
        transport: 'none',
        simulated: this.isSimulated(id),
        state: 'starting',
        detail: 'starting',
        counters: {},
        since: Date.now(),
      });
    }
  }

  /** Simulation mode: `--simulate`, or no device configured with a real transport. */
  get simulation(): boolean {
    return DEVICE_IDS.some((id) => this.isSimulated(id));
  }

  isSimulated(id: DeviceId): boolean {
    if (this.options.simulate) return true;
    const c = this.options.config;
    switch (id) {
      case 'idCard':
        return c.idCard.transport === 'simulated';
      case 'scanner':
        return c.scanner.transport === 'simulated';
      case 'receiptPrinter':
        return c.receiptPrinter.transport === 'simulated';
      case 'callDisplay':
        return !c.callDisplay.ledStrip || c.callDisplay.ledStrip.transport === 'simulated';
      case 'a4Printer':
        return false;
      default: {
        const never: never = id;
        throw new Error(`unknown device ${String(never)}`);
      }
    }
  }

  async start(): Promise<void> {
    this.options.logger.info({ simulation: this.simulation }, 'devices starting');
  }

  async stop(): Promise<void> {
    this.options.logger.info({}, 'devices stopped');
  }

  statuses(): DeviceStatus[] {
    return DEVICE_IDS.map((id) => ({ ...this.status.get(id)! }));
  }

  simHandlers(): Pick<Handlers, SimHandlerNames> {
    const notYet = (): never => {
      throw new HostError('NOT_AVAILABLE', 'simulator not wired yet');
    };
    return {
      'sim.state': notYet,
      'sim.placeCard': notYet,
      'sim.removeCard': notYet,
      'sim.scan': notYet,
      'sim.setPrinterFault': notYet,
      'sim.unplug': notYet,
      'sim.replug': notYet,
      'sim.receipts': notYet,
    };
  }
}
