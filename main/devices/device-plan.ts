import type { DevicesConfig } from '../../kiosk-config/devices.js';
import { DEVICE_IDS, type DeviceId } from '../contract/index.js';
import { describeTransport } from './transports.js';

/**
 * How each device of the kiosk runs, decided per device (STYLE §10: a mode belongs to the thing it describes):
 * - `real`: the configured transport, always; never replaced by a simulator.
 * - `simulated`: its simulator, because its own config entry says `transport: 'simulated'` or `--simulate` was given.
 * - `none`: not present (no LED strips configured; every device while the kiosk is being provisioned).
 */
export type DeviceMode = 'real' | 'simulated' | 'none';

/** The parts a SimulationRig can build; the call display's part is its LED strip bus. */
export type SimulatedPart = 'idCard' | 'scanner' | 'receiptPrinter' | 'ledStrip';

export interface DevicePlan {
  /** The device config actually used (every device turned simulated under `--simulate`). */
  config: DevicesConfig;
  modes: Record<DeviceId, DeviceMode>;
  /** The simulators to build: exactly the simulated devices that have a simulator. */
  simulators: SimulatedPart[];
  /** What the device board shows as the configured link before anything is opened. */
  configured: Record<DeviceId, string>;
  /** No hall configuration yet: nothing is started. */
  provisioning: boolean;
}

export interface PlanOptions {
  /** `--simulate`: every device simulated, LED strips included; the A4 printer goes to cups-pdf's `PDF` queue. */
  simulateAll: boolean;
  /** No hall config yet: no device is started. */
  provisioning?: boolean;
}

/** Every device as its simulator (`--simulate`); keeps profiles, strip addresses and the A4 copy limit. */
export function simulateAllDevices(c: DevicesConfig): DevicesConfig {
  return {
    idCard: { transport: 'simulated' },
    scanner: { transport: 'simulated' },
    receiptPrinter: { transport: 'simulated', profile: c.receiptPrinter.profile },
    callDisplay: {
      ...c.callDisplay,
      ledStrip: { transport: 'simulated', baudRate: c.callDisplay.ledStrip?.baudRate ?? 9600, addresses: c.callDisplay.ledStrip?.addresses ?? {} },
    },
    a4Printer: { ...c.a4Printer, queue: 'PDF' },
  };
}

export function planDevices(input: DevicesConfig, options: PlanOptions): DevicePlan {
  const config = options.simulateAll ? simulateAllDevices(input) : input;
  const modes = {} as Record<DeviceId, DeviceMode>;
  for (const id of DEVICE_IDS) modes[id] = options.provisioning ? 'none' : modeOf(config, id, options.simulateAll);
  const simulators: SimulatedPart[] = [];
  if (modes.idCard === 'simulated') simulators.push('idCard');
  if (modes.scanner === 'simulated') simulators.push('scanner');
  if (modes.receiptPrinter === 'simulated') simulators.push('receiptPrinter');
  if (modes.callDisplay === 'simulated') simulators.push('ledStrip');
  const strip = config.callDisplay.ledStrip;
  const configured: Record<DeviceId, string> = {
    idCard: modes.idCard === 'simulated' ? 'simulator' : describeTransport(config.idCard),
    scanner: modes.scanner === 'simulated' ? 'simulator' : describeTransport(config.scanner),
    receiptPrinter: modes.receiptPrinter === 'simulated' ? 'simulator' : describeTransport(config.receiptPrinter),
    callDisplay: !strip ? 'hall display page' : strip.transport === 'simulated' || modes.callDisplay === 'simulated' ? 'hall display page + simulated LED strips' : `hall display page + LED strips ${describeTransport({ ...strip, transport: 'serial' })}`,
    a4Printer: `cups:${config.a4Printer.queue}`,
  };
  if (options.provisioning) for (const id of DEVICE_IDS) configured[id] = 'none (no hall configuration)';
  return { config, modes, simulators, configured, provisioning: options.provisioning ?? false };
}

function modeOf(c: DevicesConfig, id: DeviceId, simulateAll: boolean): DeviceMode {
  switch (id) {
    case 'idCard':
      return c.idCard.transport === 'simulated' ? 'simulated' : 'real';
    case 'scanner':
      return c.scanner.transport === 'simulated' ? 'simulated' : 'real';
    case 'receiptPrinter':
      return c.receiptPrinter.transport === 'simulated' ? 'simulated' : 'real';
    case 'callDisplay':
      // No strips configured = no strips; the hall display page and voice are real either way.
      if (!c.callDisplay.ledStrip) return 'none';
      return c.callDisplay.ledStrip.transport === 'simulated' ? 'simulated' : 'real';
    case 'a4Printer':
      // Always the OS spooler; under --simulate its queue is cups-pdf's PDF queue, the A4 "simulator".
      return simulateAll ? 'simulated' : 'real';
    default: {
      const never: never = id;
      throw new Error(`unknown device ${String(never)}`);
    }
  }
}
