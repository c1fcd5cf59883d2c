import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import { startQueueHost, type QueueHost } from '../queue/api.js';
import { QueueEngine } from '../queue/engine.js';
import { openDatabase } from '../storage/database.js';
import { KioskServices } from './kiosk-services.js';

/**
 * A kiosk that is not the hall's queue host: tickets come from the host over the LAN; when the host is gone the
 * kiosk says so (QUEUE_HOST_UNREACHABLE, `queue-availability` false), issues nothing, and recovers by itself.
 */
describe('client kiosk', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  async function hostOn(port: number, dbFile: string, config: ReturnType<typeof loadConfigFile>): Promise<QueueHost> {
    const db = openDatabase({ file: dbFile });
    const engine = new QueueEngine({ db, config: config.queue, secret: Buffer.alloc(32, 7), clock: { now: () => new Date('2026-11-23T02:00:00Z') } });
    const host = await startQueueHost({ engine, tokens: [{ deviceId: 'kiosk-02', role: 'kiosk', token: 'kiosk-two-token-0000' }], port });
    return { ...host, close: async () => { await host.close(); db.close(); } };
  }

  it('issues through the queue host, reports its loss, and recovers when it returns', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-client-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const base = loadConfigFile(defaultConfigPath());
    let host = await hostOn(0, path.join(dir, 'host.db'), base);
    const port = host.port;
    const config = structuredClone(base);
    config.network.queue = { role: 'client', url: host.url, token: 'kiosk-two-token-0000' };
    const services = await KioskServices.start({ config, configPath: defaultConfigPath(), dataDir: path.join(dir, 'client'), simulate: true, hostKind: 'browser', now: () => new Date('2026-11-23T02:00:00Z') });
    cleanups.push(() => services.stop());
    const availability: boolean[] = [];
    services.hub.addSink((name, payload) => name === 'queue-availability' && availability.push((payload as { available: boolean }).available));
    services.hub.markReady();

    const t1 = await services.citizenQueue.issueTicket({ categoryId: 'social-security', source: 'kiosk', deviceId: 'kiosk-02' });
    expect(t1.number).toBe('A001');

    await host.close();
    await expect(Promise.resolve(services.citizenQueue.issueTicket({ categoryId: 'social-security', source: 'kiosk', deviceId: 'kiosk-02' }))).rejects.toMatchObject({ code: 'QUEUE_HOST_UNREACHABLE' });
    expect(availability).toEqual([false]);

    host = await hostOn(port, path.join(dir, 'host.db'), base);
    cleanups.push(() => host.close());
    const t2 = await services.citizenQueue.issueTicket({ categoryId: 'social-security', source: 'kiosk', deviceId: 'kiosk-02' });
    // The failed attempt issued nothing: numbering continues without a gap.
    expect(t2.number).toBe('A002');
    expect(availability).toEqual([false, true]);
  });
});
