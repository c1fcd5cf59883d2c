import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfigFile } from '../config/load.js';
import { SAMPLE_LAN_TOKENS, sampleSecretRefusal } from '../config/sample-secrets.js';
import { recentLogs } from '../core/logger.js';
import { parsePinHash } from '../lan/counter-sessions.js';
import { AuditLog } from '../staff/audit.js';
import { StaffAuth } from '../staff/auth.js';
import { verifyPin } from '../staff/pin-hash.js';
import { openDatabase } from '../storage/database.js';
import type { DiagIo } from './command.js';
import { provisionCommand } from './provision.js';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: DiagIo = { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal };
  return { io, out, err };
}

const secret = (out: string[], label: RegExp): string => {
  const line = out.find((l) => label.test(l));
  if (!line) throw new Error(`no line ${label}`);
  return line.slice(line.lastIndexOf(': ') + 2);
};

describe('diag provision', () => {
  let dir: string;
  let hall: string;
  let dataDir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-provision-'));
    hall = path.join(dir, 'county.json');
    copyFileSync(defaultConfigPath(), hall);
    dataDir = path.join(dir, 'data');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes fresh tokens, counter and staff PIN hashes and a key, prints the secrets once, logs none', async () => {
    const f = fakeIo();
    expect(await provisionCommand.run(['--config', hall, '--data-dir', dataDir], f.io)).toBe(0);
    const out = path.join(dataDir, 'hall.json');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, 'installation.key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, 'installation.key')).size).toBe(32);

    const config = loadConfigFile(out);
    expect(config.demo).toBe(false);
    expect(sampleSecretRefusal(config, false)).toBeUndefined();
    const tokens = config.network.apiTokens.map((t) => t.token);
    expect(new Set(tokens).size).toBe(3);
    for (const t of tokens) {
      expect(SAMPLE_LAN_TOKENS).not.toContain(t);
      expect(t.length).toBeGreaterThanOrEqual(32);
      expect(secret(f.out, new RegExp(`LAN token ${config.network.apiTokens.find((x) => x.token === t)!.deviceId} `))).toBe(t);
    }
    for (const c of config.network.counters) {
      const pin = secret(f.out, new RegExp(`counter window ${c.window} PIN`));
      expect(pin).toMatch(/^\d{6}$/);
      expect(await verifyPin(pin, parsePinHash(c.pinHash))).toBe(true);
    }
    const db = openDatabase({ file: path.join(dataDir, 'kiosk.db') });
    try {
      const auth = new StaffAuth({ db, audit: new AuditLog(db, () => new Date()), now: () => new Date(), logger: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } } as never });
      for (const role of ['manager', 'technician'] as const) {
        const pin = secret(f.out, new RegExp(`${role} PIN`));
        expect(pin).toMatch(/^\d{8}$/);
        await expect(auth.signIn(role, pin, 'test')).resolves.toBeUndefined();
      }
      const dump = JSON.stringify(db.prepare('SELECT * FROM staff_credentials').all()) + JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
      expect(dump).not.toContain(secret(f.out, /manager PIN/));
    } finally {
      db.close();
    }
    const logs = JSON.stringify(recentLogs());
    for (const l of f.out.filter((x) => /PIN: |token /.test(x))) expect(logs).not.toContain(l.slice(l.lastIndexOf(': ') + 2));
    expect(readFileSync(out, 'utf8')).not.toContain(secret(f.out, /counter window 1 PIN/));
  });

  it('refuses to overwrite an installation without --force, and replaces every secret with it', async () => {
    expect(await provisionCommand.run(['--config', hall, '--data-dir', dataDir], fakeIo().io)).toBe(0);
    const out = path.join(dataDir, 'hall.json');
    const before = readFileSync(out, 'utf8');
    const key = readFileSync(path.join(dataDir, 'installation.key'));
    const again = fakeIo();
    expect(await provisionCommand.run(['--config', hall, '--data-dir', dataDir], again.io)).toBe(1);
    expect(again.err[0]).toMatch(/an installation exists already .*--force/);
    expect(again.out).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe(before);
    expect(readFileSync(path.join(dataDir, 'installation.key')).equals(key)).toBe(true);

    expect(await provisionCommand.run(['--config', hall, '--data-dir', dataDir, '--force'], fakeIo().io)).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toBe(before);
    expect(readFileSync(path.join(dataDir, 'installation.key')).equals(key)).toBe(false);
  });

  it('writes to --out when given, and refuses a bad hall file or missing options', async () => {
    const other = path.join(dir, 'installed.json');
    expect(await provisionCommand.run(['--config', hall, '--data-dir', dataDir, '--out', other], fakeIo().io)).toBe(0);
    expect(loadConfigFile(other).demo).toBe(false);
    const usage = fakeIo();
    expect(await provisionCommand.run(['--config', hall], usage.io)).toBe(2);
    const bad = fakeIo();
    expect(await provisionCommand.run(['--config', path.join(dir, 'nope.json'), '--data-dir', path.join(dir, 'd2')], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toContain('nope.json');
  });
});
