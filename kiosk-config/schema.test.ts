import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateKioskConfig } from './validate.js';

const hall = (name: string) => JSON.parse(readFileSync(path.join(__dirname, 'halls', name), 'utf8')) as Record<string, unknown>;

describe('kiosk config schema', () => {
  it.each(['county-center.json', 'village-station.json'])('accepts the sample hall %s', (file) => {
    const r = validateKioskConfig(hall(file));
    expect(r.ok).toBe(true);
  });

  it('follows the unified naming of the sample halls', () => {
    const county = validateKioskConfig(hall('county-center.json'));
    const village = validateKioskConfig(hall('village-station.json'));
    if (!county.ok || !village.ok) throw new Error('samples must validate');
    expect(county.config.hall.name['zh-CN']).toMatch(/政务服务中心$/);
    expect(county.config.queue.categories.length).toBeGreaterThan(1);
    expect(village.config.hall.name['zh-CN']).toMatch(/便民服务站$/);
    expect(village.config.queue.categories).toHaveLength(1);
  });

  it('names each wrong field with its path in one sentence', () => {
    const bad = hall('county-center.json') as { hall: Record<string, unknown>; kiosk: Record<string, unknown>; queue: { categories: Record<string, unknown>[] } };
    (bad.hall.name as Record<string, string>)['zh-CN'] = '从化区办事大厅';
    (bad.kiosk.idle as Record<string, number>).timeoutSeconds = 700;
    bad.queue.categories[1]!.prefix = 'a';
    const r = validateKioskConfig(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path).sort();
    expect(paths).toEqual(['hall.name.zh-CN', 'kiosk.idle.timeoutSeconds', 'queue.categories[1].prefix'].sort());
    for (const p of r.problems) {
      expect(p.sentence.startsWith(`${p.path}: `)).toBe(true);
      expect(p.sentence.split('\n')).toHaveLength(1);
    }
    expect(r.problems.find((p) => p.path === 'hall.name.zh-CN')!.sentence).toContain('政务服务中心');
  });

  it('says a missing field is missing', () => {
    const bad = hall('county-center.json') as { hall: Record<string, unknown> };
    delete bad.hall.phone;
    const r = validateKioskConfig(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ path: 'hall.phone', sentence: 'hall.phone: is missing.' }]);
  });

  it('fills defaults for an absent device section (every device simulated)', () => {
    const raw = hall('village-station.json');
    delete raw.devices;
    const r = validateKioskConfig(raw);
    expect(r.ok && r.config.devices.idCard).toEqual({ transport: 'simulated' });
    expect(r.ok && r.config.devices.receiptPrinter).toEqual({ transport: 'simulated', profile: '80mm' });
  });

  it('refuses a reader polled faster than the GA/T 467 readers allow', () => {
    const raw = hall('village-station.json') as { devices: Record<string, unknown> };
    raw.devices.idCard = { transport: 'serial', path: '/dev/ttyUSB0', pollIntervalMs: 100 };
    const r = validateKioskConfig(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['devices.idCard.pollIntervalMs']);
  });
});
