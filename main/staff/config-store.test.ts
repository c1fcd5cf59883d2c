import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load.js';
import { isHostError } from '../errors.js';
import { diffJson } from './config-diff.js';
import { REDACTED, REDACTED_PIN_HASH, restoreSecrets, withoutSecrets } from './config-secrets.js';
import { validateKioskConfig } from '../../kiosk-config/validate.js';
import { ConfigVersionStore } from './config-store.js';
import { manualClock, staffTestDb } from './test-kit.js';

const sample = () => parseConfigText(readFileSync(new URL('../../kiosk-config/halls/county-center.json', import.meta.url), 'utf8'));

describe('ConfigVersionStore', () => {
  it('first start stores the file as version 1; a restart with the same file keeps the newest saved version', () => {
    const db = staffTestDb();
    const clock = manualClock();
    const store = new ConfigVersionStore(db, clock.now);
    const file = sample();
    const first = store.reconcile(file, 'county-center.json');
    expect(first).toMatchObject({ fromFile: true, version: { id: 1, author: 'system', comment: 'loaded from county-center.json' } });

    const edited = structuredClone(file);
    edited.queue.categories[0]!.dailyQuota = 123;
    clock.advance(60_000);
    const saved = store.save(edited, 'manager', 'quota for the holiday');
    expect(saved).toMatchObject({ saved: true, version: { id: 2, author: 'manager', comment: 'quota for the holiday', createdAt: clock.now().getTime() } });

    const again = new ConfigVersionStore(db, clock.now).reconcile(file, 'county-center.json');
    expect(again.fromFile).toBe(false);
    expect(again.version.id).toBe(2);
    expect(again.config.queue.categories[0]!.dailyQuota).toBe(123);

    // An edited file wins over the stored versions and becomes a version of its own.
    const newFile = structuredClone(file);
    newFile.name = 'changed on disk';
    const third = new ConfigVersionStore(db, clock.now).reconcile(newFile, 'county-center.json');
    expect(third).toMatchObject({ fromFile: true, version: { id: 3 } });
  });

  it('refuses an invalid config with one sentence per wrong field and stores nothing', () => {
    const store = new ConfigVersionStore(staffTestDb(), manualClock().now);
    store.reconcile(sample(), 'f.json');
    const bad = structuredClone(sample()) as unknown as { queue: { categories: { prefix: string; dailyQuota: number }[] }; hall: { name: Record<string, string> } };
    bad.queue.categories[0]!.prefix = 'a';
    bad.queue.categories[1]!.dailyQuota = 5000;
    bad.hall.name['zh-CN'] = '从化区政务大厅';
    const r = store.save(bad, 'manager');
    expect(r.saved).toBe(false);
    if (r.saved) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual(['hall.name.zh-CN', 'queue.categories[0].prefix', 'queue.categories[1].dailyQuota']);
    expect(r.problems.find((p) => p.path === 'queue.categories[0].prefix')!.sentence).toBe('queue.categories[0].prefix: must be one capital letter A-Z.');
    expect(store.list()).toHaveLength(1);
  });

  it('diffs two versions field by field and rolls back by saving the earlier body as a new version', () => {
    const clock = manualClock();
    const store = new ConfigVersionStore(staffTestDb(), clock.now);
    const v1 = store.reconcile(sample(), 'f.json').version;
    const edited = structuredClone(sample());
    edited.queue.categories[0]!.windows = ['1', '2', '9'];
    edited.queue.categories[0]!.idRequired = true;
    edited.kiosk.idle.timeoutSeconds = 120;
    edited.announcements = [...edited.announcements, { id: 'new-year', text: { 'zh-CN': '春节放假通知' } }];
    const v2 = store.save(edited, 'manager', 'edit');
    if (!v2.saved) throw new Error('save failed');
    const catId = edited.queue.categories[0]!.id;
    const diff = store.diff(v1.id, v2.version.id);
    expect(diff).toEqual(
      expect.arrayContaining([
        { path: `queue.categories[${catId}].windows`, kind: 'changed', before: sample().queue.categories[0]!.windows, after: ['1', '2', '9'] },
        { path: `queue.categories[${catId}].idRequired`, kind: 'changed', before: sample().queue.categories[0]!.idRequired, after: true },
        { path: 'kiosk.idle.timeoutSeconds', kind: 'changed', before: sample().kiosk.idle.timeoutSeconds, after: 120 },
        { path: 'announcements[new-year]', kind: 'added', after: { id: 'new-year', text: { 'zh-CN': '春节放假通知' } } },
      ]),
    );
    expect(diff).toHaveLength(sample().queue.categories[0]!.idRequired ? 3 : 4);
    expect(store.diff(v1.id, v1.id)).toEqual([]);

    clock.advance(1000);
    const rb = store.rollback(v1.id, 'manager');
    expect(rb).toMatchObject({ id: 3, author: 'manager', comment: `rollback to version ${v1.id}` });
    expect(store.config(rb.id)).toEqual(store.config(v1.id));
    expect(store.list().map((v) => v.id)).toEqual([3, 2, 1]);
    expect(() => store.rollback(99, 'manager')).toThrow(expect.objectContaining({ code: 'CONFIG_VERSION_UNKNOWN' }));
    try {
      store.config(99);
    } catch (e) {
      expect(isHostError(e, 'CONFIG_VERSION_UNKNOWN')).toBe(true);
    }
  });
});

describe('diffJson', () => {
  it('matches id-keyed arrays by id, reports order changes, and scalar lists as one change', () => {
    const a = { cats: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }], days: [1, 2], x: { y: 1 } };
    const b = { cats: [{ id: 'b', n: 2 }, { id: 'a', n: 3 }, { id: 'c', n: 0 }], days: [1, 2, 3], z: true };
    expect(diffJson(a, b)).toEqual([
      { path: 'cats[a].n', kind: 'changed', before: 1, after: 3 },
      { path: 'cats[c]', kind: 'added', after: { id: 'c', n: 0 } },
      { path: 'cats(order)', kind: 'changed', before: ['a', 'b'], after: ['b', 'a'] },
      { path: 'days', kind: 'changed', before: [1, 2], after: [1, 2, 3] },
      { path: 'x', kind: 'removed', before: { y: 1 } },
      { path: 'z', kind: 'added', after: true },
    ]);
  });
});

describe('config secrets', () => {
  it('redacts tokens for the console and puts them back from the running config', () => {
    const running = sample();
    expect(running.network.apiTokens.length).toBeGreaterThan(0);
    const shown = withoutSecrets(running);
    expect(JSON.stringify(shown)).not.toContain(running.network.apiTokens[0]!.token);
    expect(shown.network.apiTokens.every((t) => t.token === REDACTED)).toBe(true);
    const back = restoreSecrets(shown, running) as typeof running;
    expect(back.network.apiTokens).toEqual(running.network.apiTokens);
    // A token typed in by the user is kept; an unknown device with the placeholder stays a placeholder (StaffService refuses to save it).
    const typed = structuredClone(shown);
    typed.network.apiTokens[0]!.token = 'a-new-token-of-16-chars';
    typed.network.apiTokens.push({ deviceId: 'unknown', role: 'display', token: REDACTED });
    const r = restoreSecrets(typed, running) as typeof running;
    expect(r.network.apiTokens[0]!.token).toBe('a-new-token-of-16-chars');
    expect(r.network.apiTokens.at(-1)!.token).toBe(REDACTED);
  });

  it('redacts counter PIN hashes in a shape that still validates, and restores them by window', () => {
    const running = sample();
    expect(running.network.counters.length).toBeGreaterThan(0);
    const shown = withoutSecrets(running);
    for (const c of running.network.counters) expect(JSON.stringify(shown)).not.toContain(c.pinHash);
    expect(shown.network.counters.every((c) => c.pinHash === REDACTED_PIN_HASH)).toBe(true);
    expect(validateKioskConfig(shown).ok).toBe(true);
    const back = restoreSecrets(shown, running) as typeof running;
    expect(back.network.counters).toEqual(running.network.counters);
  });
});
