import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_IDENTITIES } from '../../drivers/id-card/sample-identities.js';
import { parseConfigText } from '../config/load.js';
import type { LogLine } from '../core/logger.js';
import { buildDiagnosticBundle } from './bundle.js';
import { tarGz } from './tar.js';

const sample = () => parseConfigText(readFileSync(new URL('../../kiosk-config/halls/county-center.json', import.meta.url), 'utf8'));

function extract(data: Buffer): Map<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bundle-test-'));
  try {
    writeFileSync(path.join(dir, 'b.tar.gz'), data);
    execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: dir });
    const out = new Map<string, string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name !== 'b.tar.gz') out.set(path.relative(dir, p), readFileSync(p, 'utf8'));
      }
    };
    walk(dir);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tarGz', () => {
  it('writes an archive the system tar reads back byte for byte', () => {
    const big = 'x'.repeat(1300) + '中文';
    const files = extract(tarGz([{ name: 'd/a.txt', data: 'hello\n' }, { name: 'd/b.json', data: big }, { name: 'd/empty', data: '' }]));
    expect(files.get('d/a.txt')).toBe('hello\n');
    expect(files.get('d/b.json')).toBe(big);
    expect(files.get('d/empty')).toBe('');
  });

  it('refuses names that could escape the folder', () => {
    expect(() => tarGz([{ name: '../etc/passwd', data: '' }])).toThrow(/bad tar entry/);
  });
});

describe('diagnostic bundle', () => {
  it('contains no token, no ID number and no name even when a careless log line carried them', () => {
    const config = sample();
    const p = SAMPLE_IDENTITIES[0]!.card as { name: string; idNumber: string; address: string };
    const logs: LogLine[] = [
      { level: 'info', time: 1, sub: 'drivers/id-card', msg: `read ok for ${p.idNumber}`, device: 'idCard' },
      { level: 'warn', time: 2, sub: 'main', msg: 'oops', identity: { name: p.name, idNumber: p.idNumber }, name: p.name, address: p.address },
      { level: 'error', time: 3, sub: 'lan', msg: 'auth', authorization: `Bearer ${config.network.apiTokens[0]!.token}` },
    ];
    const b = buildDiagnosticBundle({
      now: new Date('2025-03-03T02:00:00Z'),
      appVersion: '0.1.0',
      kioskId: config.kiosk.id,
      config,
      currentVersion: 1,
      versions: [{ meta: { id: 1, createdAt: 1, author: 'system', comment: '' }, config }],
      devices: [],
      health: { status: 'ok' },
      logs,
      audit: [{ id: 1, at: 1, actor: 'manager', action: 'auth.sign-in', target: 'manager', outcome: 'ok', detail: {} }],
    });
    expect(b.filename).toBe(`kiosk-diag-${config.kiosk.id}-20250303T020000.tar.gz`);
    const files = extract(b.data);
    expect([...files.keys()].map((f) => path.basename(f)).sort()).toEqual(
      ['audit.json', 'config-versions.json', 'config.json', 'devices.json', 'health.json', 'logs.jsonl', 'manifest.json'].sort(),
    );
    const all = [...files.values()].join('\n');
    for (const t of config.network.apiTokens) expect(all).not.toContain(t.token);
    expect(all).not.toContain(p.idNumber);
    expect(all).not.toContain(p.name);
    expect(all).not.toContain(p.address);
    expect(all).toContain(`${p.idNumber.slice(0, 6)}************`);
    expect(JSON.parse([...files.entries()].find(([k]) => k.endsWith('config.json'))![1]).hall.id).toBe(config.hall.id);
  });
});
