import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kioskHallConfig, parseKioskList } from './provision-fleet.mjs';

const root = path.resolve(__dirname, '..', '..');
const HALL = path.join(root, 'kiosk-config', 'halls', 'county-center.json');
const CSV = 'kiosk_id,role,lan_address,orientation\nhall-01,host,192.168.10.21,portrait\nhall-02,client,192.168.10.22\n';

describe('fleet provisioning', () => {
  it('reads the kiosk list and names every wrong line', () => {
    expect(parseKioskList(CSV)).toEqual([
      { id: 'hall-01', role: 'host', lanAddress: '192.168.10.21', orientation: 'portrait' },
      { id: 'hall-02', role: 'client', lanAddress: '192.168.10.22', orientation: undefined },
    ]);
    const bad = 'kiosk_id,role,lan_address\nHall 1,host,1.2.3.4\nhall-02,server,1.2.3.5\nhall-02,client,a b\n';
    expect(() => parseKioskList(bad)).toThrow(/line 2: kiosk_id "Hall 1"[\s\S]*line 3: role[\s\S]*line 4: lan_address[\s\S]*line 4: kiosk_id hall-02 appears twice/);
    expect(() => parseKioskList('kiosk_id,role,lan_address\nk1,client,1.2.3.4\n')).toThrow(/exactly one kiosk must have role host, found 0/);
    expect(() => parseKioskList('id,ip\n')).toThrow(/header/);
  });

  it('gives the host a token slot per client kiosk and clients only their own queue token', () => {
    const hall = JSON.parse(readFileSync(HALL, 'utf8'));
    const kiosks = parseKioskList(CSV);
    const host = kioskHallConfig(hall, kiosks[0]!, kiosks, undefined);
    expect(host.kiosk.id).toBe('hall-01');
    expect(host.network.queue).toEqual({ role: 'host' });
    expect(host.network.apiTokens.map((t: { deviceId: string }) => t.deviceId)).toEqual(['counter-1', 'display-1', 'manager-1', 'hall-02']);
    const client = kioskHallConfig(hall, kiosks[1]!, kiosks, { url: 'http://192.168.10.21:8788', token: 'x'.repeat(32) });
    expect(client.network).toMatchObject({ queue: { role: 'client', url: 'http://192.168.10.21:8788', token: 'x'.repeat(32) }, apiTokens: [], counters: [] });
    expect(hall.kiosk.id).toBe('kiosk-01'); // the hall file itself is not changed
  });

  it.skipIf(!existsSync(path.join(root, 'dist', 'main', 'diag.js')))('provisions a host and a client that share a fresh token (needs a build)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
    writeFileSync(path.join(dir, 'kiosks.csv'), CSV);
    const out = path.join(dir, 'fleet');
    const stdout = execFileSync(process.execPath, ['build/deploy/provision-fleet.mjs', '--hall', HALL, '--kiosks', path.join(dir, 'kiosks.csv'), '--out', out], { cwd: root, encoding: 'utf8' });
    const host = JSON.parse(readFileSync(path.join(out, 'hall-01', 'data', 'hall.json'), 'utf8'));
    const client = JSON.parse(readFileSync(path.join(out, 'hall-02', 'data', 'hall.json'), 'utf8'));
    const slot = host.network.apiTokens.find((t: { deviceId: string }) => t.deviceId === 'hall-02');
    expect(slot.role).toBe('kiosk');
    expect(slot.token).not.toBe('replaced-by-provision');
    expect(client.network.queue).toEqual({ role: 'client', url: 'http://192.168.10.21:8788', token: slot.token });
    expect(host.demo).toBe(false);
    expect(statSync(path.join(out, 'hall-02', 'data', 'installation.key')).mode & 0o777).toBe(0o600);
    expect(stdout).toContain(`LAN token hall-02 (kiosk): ${slot.token}`); // shown once, on stdout
    const manifest = readFileSync(path.join(out, 'manifest.csv'), 'utf8');
    expect(manifest).not.toContain(slot.token);
    expect(manifest.trim().split('\n')).toHaveLength(3);
  }, 60_000);
});
