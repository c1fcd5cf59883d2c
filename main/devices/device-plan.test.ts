import { describe, expect, it } from 'vitest';
import { DevicesSchema } from '../../kiosk-config/devices.js';
import { planDevices } from './device-plan.js';

describe('device plan: each device real, simulated or absent on its own', () => {
  it('a real reader and a TCP printer stay real next to a simulated LED strip (the field report)', () => {
    const devices = DevicesSchema.parse({
      idCard: { transport: 'serial', path: '/dev/ttyUSB0' },
      receiptPrinter: { transport: 'tcp', host: '10.0.0.5' },
      callDisplay: { ledStrip: { transport: 'simulated', addresses: { '1': 1 } } },
    });
    const plan = planDevices(devices, { simulateAll: false });
    expect(plan.modes).toEqual({ idCard: 'real', scanner: 'simulated', receiptPrinter: 'real', callDisplay: 'simulated', a4Printer: 'real' });
    expect(plan.simulators).toEqual(['scanner', 'ledStrip']);
    expect(plan.configured.idCard).toBe('serial:/dev/ttyUSB0@115200');
    expect(plan.configured.receiptPrinter).toBe('tcp://10.0.0.5:9100');
  });

  it('no LED strip configured means no strip, not a simulated one', () => {
    const plan = planDevices(DevicesSchema.parse({ idCard: { transport: 'serial', path: '/dev/ttyUSB0' }, scanner: { transport: 'keyboard-wedge' }, receiptPrinter: { transport: 'device-file', path: '/dev/usb/lp0' } }), { simulateAll: false });
    expect(plan.modes.callDisplay).toBe('none');
    expect(plan.simulators).toEqual([]);
    expect(Object.values(plan.modes)).not.toContain('simulated');
  });

  it('--simulate makes every device simulated, the LED strip included, and prints A4 to cups-pdf', () => {
    const plan = planDevices(DevicesSchema.parse({ idCard: { transport: 'serial', path: '/dev/ttyUSB0' }, receiptPrinter: { transport: 'tcp', host: 'p', profile: '58mm' }, a4Printer: { queue: 'HP_LaserJet' } }), { simulateAll: true });
    expect(new Set(Object.values(plan.modes))).toEqual(new Set(['simulated']));
    expect(plan.simulators).toEqual(['idCard', 'scanner', 'receiptPrinter', 'ledStrip']);
    expect(plan.config.receiptPrinter).toEqual({ transport: 'simulated', profile: '58mm' });
    expect(plan.config.a4Printer.queue).toBe('PDF');
  });

  it('provisioning starts nothing', () => {
    const plan = planDevices(DevicesSchema.parse({}), { simulateAll: false, provisioning: true });
    expect(new Set(Object.values(plan.modes))).toEqual(new Set(['none']));
    expect(plan.simulators).toEqual([]);
    expect(plan.provisioning).toBe(true);
  });
});
