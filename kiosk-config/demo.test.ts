import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withDemoHours } from './demo.js';
import { validateKioskConfig } from './validate.js';

const county = () => {
  const r = validateKioskConfig(JSON.parse(readFileSync(path.join(__dirname, 'halls', 'county-center.json'), 'utf8')));
  if (!r.ok) throw new Error('sample must validate');
  return r.config;
};

describe('demo hours', () => {
  it('the sample halls are demos; an absent flag means an installation', () => {
    expect(county().demo).toBe(true);
    const raw = JSON.parse(readFileSync(path.join(__dirname, 'halls', 'county-center.json'), 'utf8')) as Record<string, unknown>;
    delete raw.demo;
    const r = validateKioskConfig(raw);
    expect(r.ok && r.config.demo).toBe(false);
  });

  it('opens every category all day in a demo, keeps the real hours otherwise or when switched off', () => {
    const c = county();
    const demo = withDemoHours(c, true);
    for (const cat of demo.queue.categories) expect(cat.hours).toEqual([{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }]);
    expect(demo.queue.holidays).toEqual([]);
    expect(c.queue.categories[0]!.hours[0]!.close).toBe('17:00'); // the stored config is untouched
    expect(withDemoHours(c, false)).toBe(c);
    expect(withDemoHours({ ...c, demoOpenAllDay: false }, true).queue.categories[0]!.hours[0]!.close).toBe('17:00');
  });

  it('an LED strip on serial needs its path; absent means no strip', () => {
    const raw = JSON.parse(readFileSync(path.join(__dirname, 'halls', 'county-center.json'), 'utf8')) as { devices: { callDisplay: { ledStrip?: Record<string, unknown> } } };
    raw.devices.callDisplay.ledStrip = { addresses: { '1': 1 } };
    const r = validateKioskConfig(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.sentence).join('\n')).toMatch(/devices\.callDisplay\.ledStrip\.path/);
    delete raw.devices.callDisplay.ledStrip;
    const none = validateKioskConfig(raw);
    expect(none.ok && none.config.devices.callDisplay.ledStrip).toBeUndefined();
  });
});
