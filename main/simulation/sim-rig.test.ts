import { describe, expect, it } from 'vitest';
import { PRINTER_PROFILES } from '../../drivers/escpos/profiles.js';
import { SimulationRig } from './sim-rig.js';

describe('SimulationRig', () => {
  it('builds only the simulators of the simulated devices; a real device cannot be driven from the panel', async () => {
    const rig = new SimulationRig({ parts: ['ledStrip'], profile: PRINTER_PROFILES['80mm'], ledAddresses: [1, 2] });
    expect(Object.keys(rig.factories())).toEqual(['ledStrip']);
    expect(rig.idCard).toBeUndefined();
    expect(rig.printer).toBeUndefined();
    expect(() => rig.placeCard('gz-resident-adult')).toThrow(expect.objectContaining({ code: 'NOT_AVAILABLE' }));
    expect(() => rig.setPrinterFault('paper-end')).toThrow(expect.objectContaining({ code: 'NOT_AVAILABLE' }));
    await expect(rig.scan('AP-1')).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
    expect(rig.receipts(5)).toEqual([]);
    expect(rig.hasLink('callDisplay')).toBe(true);
    expect(rig.hasLink('idCard')).toBe(false);
  });

  it('with every part, each device gets its own cable', () => {
    const rig = new SimulationRig({ parts: ['idCard', 'scanner', 'receiptPrinter', 'ledStrip'], profile: PRINTER_PROFILES['58mm'], ledAddresses: [] });
    expect(Object.keys(rig.factories()).sort()).toEqual(['idCard', 'ledStrip', 'receiptPrinter', 'scanner']);
    rig.unplug('receiptPrinter');
    expect(rig.state().unplugged).toEqual(['receiptPrinter']);
  });
});
