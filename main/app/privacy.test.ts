import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_IDENTITIES } from '../../drivers/id-card/sample-identities.js';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import type { EventName } from '../contract/index.js';
import { logSink } from '../core/logger.js';
import { KioskServices } from './kiosk-services.js';

/**
 * PIPL end to end on the host: citizens' cards are read, tickets are taken with them (the per-person key), a
 * help request is made; then every file the kiosk wrote (database,
 * WAL, logs, secrets, catalog) and every event sent to the UI is scanned for the people's names, ID numbers and
 * addresses, in UTF-8 and in UTF-16LE (the card's own encoding).
 */
function needles(): string[] {
  const out: string[] = [];
  for (const s of SAMPLE_IDENTITIES) {
    const card = s.card as unknown as Record<string, string>;
    for (const key of ['name', 'idNumber', 'address', 'englishName1', 'chineseName', 'englishName', 'cardNumber', 'passNumber']) {
      const v = card[key];
      if (v && v.trim().length >= 2) out.push(v.trim());
    }
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('personal data never reaches disk or the UI in the clear', () => {
  let dir: string;
  let services: KioskServices;
  const events: { name: EventName; payload: unknown }[] = [];
  const ctx = { via: 'test' as const, connectionId: 'privacy' };
  const prevLevel = logSink.minLevel;

  beforeAll(async () => {
    logSink.minLevel = 'debug'; // the most talkative logs are the ones that must still be clean
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-privacy-'));
    const config = loadConfigFile(defaultConfigPath());
    for (const c of config.queue.categories) c.hours = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];
    services = await KioskServices.start({ config, configPath: defaultConfigPath(), dataDir: dir, simulate: true, hostKind: 'browser' });
    services.hub.addSink((name, payload) => events.push({ name, payload }));
    services.hub.markReady();
  });

  afterAll(async () => {
    logSink.minLevel = prevLevel;
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after four card reads, tickets keyed by person and a help request, no file and no event holds a name, ID number or address', async () => {
    for (const id of ['gz-resident-adult', 'gz-resident-elderly', 'hk-resident-permit', 'foreigner-2023']) {
      const before = events.filter((e) => e.name === 'card-read').length;
      await services.call('sim.placeCard', { identityId: id }, ctx);
      for (let i = 0; i < 200 && events.filter((e) => e.name === 'card-read').length === before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(services.session.personal()).toBeDefined();
      const t = await services.call('ticket.take', { categoryId: 'social-security', requestId: `privacy-${id}`, lang: 'zh-CN' }, ctx);
      expect(t.ok, JSON.stringify(t)).toBe(true);
      await services.call('sim.removeCard', {}, ctx);
      await services.call('session.end', { reason: 'done' }, ctx);
      // A person takes the card away before the next one comes: at least one reader poll sees an empty reader.
      await new Promise((r) => setTimeout(r, 1200));
    }
    await services.call('help.request', { screen: 'home' }, ctx);
    services.db.pragma('wal_checkpoint(PASSIVE)');
    await new Promise((r) => setTimeout(r, 200)); // let the log stream flush

    const secrets = needles();
    expect(secrets.length).toBeGreaterThan(8);
    const files = filesUnder(dir);
    expect(files.some((f) => f.endsWith('kiosk.db'))).toBe(true);
    expect(files.some((f) => f.endsWith('kiosk.log'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const s of secrets) {
        expect(bytes.includes(Buffer.from(s, 'utf8')), `${path.basename(file)} holds "${s.slice(0, 2)}…" (UTF-8)`).toBe(false);
        expect(bytes.includes(Buffer.from(s, 'utf16le')), `${path.basename(file)} holds "${s.slice(0, 2)}…" (UTF-16)`).toBe(false);
      }
    }
    const sent = JSON.stringify(events);
    for (const s of secrets) expect(sent.includes(s), `an event carried "${s.slice(0, 2)}…"`).toBe(false);
    expect(events.filter((e) => e.name === 'card-read')).toHaveLength(4);
  }, 60_000);
});
