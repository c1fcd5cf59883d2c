import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import { provisioningPlaceholderConfig } from '../config/config-source.js';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import { SIMULATION_SAMPLE_PINS } from '../staff/auth.js';
import { KioskServices } from './kiosk-services.js';

/** Demo data depends on the explicit demo flag only — never on whether some device happens to be simulated. */
describe('demo, installation and provisioning modes', () => {
  let services: KioskServices | undefined;
  let dir = '';
  const ctx = { via: 'test' as const, connectionId: 'c1' };

  afterEach(async () => {
    await services?.stop();
    services = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** 21:30 on a Sunday, hall time (+08:00): the county sample hall is closed. */
  const sundayEvening = new Date('2027-03-07T13:30:00Z');

  async function start(mutate: (c: KioskConfig) => KioskConfig, o: { simulate?: boolean; provisioning?: boolean } = {}) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-modes-'));
    const config = mutate(loadConfigFile(defaultConfigPath()));
    services = await KioskServices.start({ config, configPath: defaultConfigPath(), dataDir: dir, simulate: o.simulate ?? false, provisioning: o.provisioning ?? false, hostKind: 'browser', now: () => sundayEvening });
    return services;
  }
  const appointments = (s: KioskServices) => (s.db.prepare('SELECT COUNT(*) AS n FROM appointments').get() as { n: number }).n;

  it('an installation with every device simulated has no simulator panel, no sample PINs and no sample bookings', async () => {
    const s = await start((c) => ({ ...c, demo: false }));
    expect(s.bootstrap()).toMatchObject({ simulation: false, mode: 'installation' });
    expect(s.health()).toMatchObject({ mode: 'installation', simulation: true });
    expect(await s.call('sim.state', {}, ctx)).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    expect(await s.call('sim.placeCard', { identityId: 'gz-resident-adult' }, ctx)).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    expect(appointments(s)).toBe(0);
    for (const role of ['manager', 'technician'] as const) {
      expect(await s.call('auth.signIn', { role, pin: SIMULATION_SAMPLE_PINS[role] }, ctx)).toMatchObject({ ok: false, error: { code: 'AUTH_NOT_CONFIGURED' } });
    }
    // Real hours: the county sample closes at 17:00, so its public config keeps them.
    expect(s.bootstrap().config.openingHours.weekly[0]).toMatchObject({ open: '09:00', close: '17:00' });
    expect(s.queue.snapshot().categories.every((c) => !c.open)).toBe(true);
    // ...and it says at start that its devices are simulators, naming them.
    expect(s.modeWarnings()).toEqual([expect.objectContaining({ devices: ['idCard', 'scanner', 'receiptPrinter', 'callDisplay'] })]);
    expect(s.modeWarnings()[0]!.sentence).toMatch(/^installation with simulated devices/);
  });

  it('the demo flag brings the panel, the sample PINs, sample bookings and all-day hours', async () => {
    const s = await start((c) => c);
    expect(s.currentConfig.demo).toBe(true);
    expect(s.bootstrap()).toMatchObject({ simulation: true, mode: 'demo' });
    expect(await s.call('sim.state', {}, ctx)).toMatchObject({ ok: true });
    expect(appointments(s)).toBe(3);
    expect(await s.call('auth.signIn', { role: 'manager', pin: SIMULATION_SAMPLE_PINS.manager }, ctx)).toMatchObject({ ok: true });
    expect(s.bootstrap().config.openingHours.weekly).toEqual([{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }]);
    // At 21:30 on a Sunday (hall time) every category still takes tickets in the demo.
    expect(s.queue.snapshot().categories.every((c) => c.open)).toBe(true);
    expect(s.modeWarnings()).toEqual([]); // a demo on simulators is what a demo is
  });

  it('in a demo with real LED strips the panel refuses to "unplug" them; a simulated device it unplugs', async () => {
    const s = await start((c) => ({
      ...c,
      devices: { ...c.devices, callDisplay: { ...c.devices.callDisplay, ledStrip: { transport: 'serial', path: path.join(dir, 'no-such-tty'), baudRate: 9600, addresses: { '1': 1 } } } },
    }));
    expect(s.plan.modes.callDisplay).toBe('real');
    expect(await s.call('sim.unplug', { device: 'callDisplay' }, ctx)).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    expect(await s.call('sim.unplug', { device: 'receiptPrinter' }, ctx)).toMatchObject({ ok: true });
  });

  it('--simulate makes an installation config a demo with every device simulated, the LED strip included', async () => {
    const s = await start((c) => ({ ...c, demo: false, devices: { ...c.devices, callDisplay: { voice: { enabled: false } } } }), { simulate: true });
    expect(s.mode).toBe('demo');
    expect(s.plan.modes).toEqual({ idCard: 'simulated', scanner: 'simulated', receiptPrinter: 'simulated', callDisplay: 'simulated', a4Printer: 'simulated' });
    expect(s.rig?.links.ledStrip).toBeDefined();
  });

  it('provisioning: no device, no demo data, no LAN API, and a screen that says how to provision', async () => {
    const s = await start(() => provisioningPlaceholderConfig(), { provisioning: true });
    const boot = s.bootstrap();
    expect(boot).toMatchObject({ mode: 'provisioning', simulation: false });
    expect(boot.provisioning?.lines.join('\n')).toContain('npm run diag -- provision');
    expect(s.rig).toBeUndefined();
    expect(appointments(s)).toBe(0);
    expect(s.health()).toMatchObject({ status: 'degraded', mode: 'provisioning', simulation: false, lan: { state: 'provisioning' } });
    expect(s.health().devices.every((d) => !d.simulated && d.state === 'offline')).toBe(true);
    expect(await s.call('sim.state', {}, ctx)).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
  });
});
