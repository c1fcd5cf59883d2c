import type { Handlers } from '../core/dispatcher.js';
import type { EventHub } from '../core/event-hub.js';
import type { DevicePlan } from '../devices/device-plan.js';
import type { Logger } from '../core/logger.js';
import type { DeviceManager } from '../devices/device-manager.js';
import { HostError } from '../errors.js';
import type { SimulationRig } from './sim-rig.js';

export type SimHandlerNames = 'sim.state' | 'sim.placeCard' | 'sim.removeCard' | 'sim.scan' | 'sim.setPrinterFault' | 'sim.unplug' | 'sim.replug' | 'sim.receipts';

/**
 * The simulator panel's requests. The dispatcher serves `sim.*` only in demo mode; `rig` is undefined outside it,
 * and a device that is real in a demo (mixed set-up) cannot be driven from the panel.
 */
export function createSimHandlers(rig: SimulationRig | undefined, deps: { hub: EventHub; devices: DeviceManager; logger: Logger; modes: DevicePlan['modes'] }): Pick<Handlers, SimHandlerNames> {
  const { hub, devices, logger } = deps;
  const need = (): SimulationRig => {
    if (!rig) throw new HostError('NOT_AVAILABLE', 'the simulator is available only in demo mode');
    return rig;
  };
  const changed = () => {
    const s = need().state();
    hub.emit('sim-changed', s);
    return s;
  };
  // A device the plan runs for real (LED strips included) is never "unplugged" by the panel; the A4 printer and a
  // call display without strips have no simulated link, so the panel only marks them.
  const realDevice = (device: Parameters<SimulationRig['unplug']>[0]) => device !== 'a4Printer' && deps.modes[device] === 'real';
  return {
    'sim.state': () => need().state(),
    'sim.placeCard': ({ identityId }) => {
      need().placeCard(identityId);
      return changed();
    },
    'sim.removeCard': () => {
      need().removeCard();
      return changed();
    },
    'sim.scan': async ({ payload }) => {
      await need().scan(payload);
      return changed();
    },
    'sim.setPrinterFault': async ({ fault }) => {
      need().setPrinterFault(fault);
      await devices.printerStatus().catch((e: unknown) => logger.debug({ err: e }, 'status after fault change failed'));
      return changed();
    },
    'sim.unplug': ({ device }) => {
      if (realDevice(device)) throw new HostError('NOT_AVAILABLE', `${device} is a real device; unplug its cable`);
      need().unplug(device);
      if (!need().hasLink(device)) devices.setStatus(device, { state: 'offline', detail: 'unplugged (simulated)' });
      return changed();
    },
    'sim.replug': ({ device }) => {
      if (realDevice(device)) throw new HostError('NOT_AVAILABLE', `${device} is a real device`);
      need().replug(device);
      if (!need().hasLink(device)) devices.setStatus(device, { state: 'ok', detail: 'replugged (simulated)' });
      return changed();
    },
    'sim.receipts': ({ limit }) => need().receipts(limit),
  };
}
