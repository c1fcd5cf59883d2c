import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import type { DownloadFile, StatsReportView } from '../contract/index.js';
import { KioskServices } from '../app/kiosk-services.js';

/**
 * Statistics through the staff requests, on a day with real queue traffic: issued, called, served, a no-show and a
 * bad rating with its reason; exported as CSV and as a PDF report. Simulation mode seeds the sample manager PIN.
 */
describe('manager statistics and exports', () => {
  let dir: string;
  let services: KioskServices;
  // 10:00 hall time on a Monday (02:00 UTC), inside the sample hall's opening hours.
  let clock = new Date('2026-11-23T02:00:00Z');
  const ctx = { via: 'test' as const, connectionId: 'manager-1' };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-stats-'));
    services = await KioskServices.start({ config: loadConfigFile(defaultConfigPath()), configPath: defaultConfigPath(), dataDir: dir, simulate: true, hostKind: 'browser', now: () => clock });
  });
  afterEach(async () => {
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the day per category and per counter and exports CSV and PDF, for the manager only', async () => {
    const q = services.queue;
    const issued = [1, 2, 3].map(() => q.issueTicket({ categoryId: 'social-security', source: 'kiosk', deviceId: 'kiosk-01' }));
    clock = new Date(clock.getTime() + 5 * 60_000);
    q.callNext({ window: '1' });
    q.startService({ window: '1' });
    clock = new Date(clock.getTime() + 8 * 60_000);
    q.finishService({ window: '1', outcome: 'completed' });
    q.rate({ ticketId: issued[0]!.id, level: 1, reason: '等候时间太长' });
    q.callNext({ window: '1' });
    q.noShow({ window: '1' });

    const denied = await services.call('stats.report', { from: '2026-11-23', to: '2026-11-23' }, ctx);
    expect(denied).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    const signIn = await services.call('auth.signIn', { role: 'manager', pin: '246810' }, ctx);
    expect(signIn.ok).toBe(true);

    const report = await services.call('stats.report', { from: '2026-11-23', to: '2026-11-23' }, ctx);
    if (!report.ok) throw new Error(JSON.stringify(report.error));
    const stats = (report.value as StatsReportView).stats;
    const social = stats.perCategory.find((c) => c.categoryId === 'social-security')!;
    expect(social).toMatchObject({ issued: 3, called: 2, served: 1, noShows: 1 });
    expect(stats.perCounter.find((c) => c.window === '1')).toMatchObject({ calls: 2, served: 1 });
    expect(stats.ratings.count).toBe(1);
    expect(stats.ratings.bad).toEqual([expect.objectContaining({ number: issued[0]!.number, level: 1, reason: '等候时间太长' })]);
    expect(stats.ticketsPerHour.find((h) => h.hour === 10)?.issued).toBe(3);

    const csv = await services.call('stats.export', { from: '2026-11-23', to: '2026-11-23', format: 'csv' }, ctx);
    if (!csv.ok) throw new Error(JSON.stringify(csv.error));
    const file = csv.value as DownloadFile;
    expect(file.mime).toMatch(/csv/);
    expect(file.text).toContain('social-security');
    // Staff read the category's name, not its id (the id stays in its own column for machines).
    expect(file.text).toMatch(/社保医保,social-security,3,/);
    expect(file.text).toContain('等候时间太长');

    const pdf = await services.call('stats.export', { from: '2026-11-23', to: '2026-11-23', format: 'pdf' }, ctx);
    if (!pdf.ok) throw new Error(JSON.stringify(pdf.error));
    const bytes = Buffer.from((pdf.value as DownloadFile).base64!, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(5000);
  }, 60_000);
});
