import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveStartConfig } from '../app/boot.js';
import { chooseConfigSource, installKind, provisioningPlaceholderConfig, SAMPLE_HALL } from './config-source.js';
import { projectRoot } from './load.js';

describe('which hall config the host starts on', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kiosk-source-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('tells a repository checkout from a packaged install, and obeys KIOSK_INSTALL and Electron', () => {
    expect(installKind(projectRoot(), {})).toBe('checkout');
    expect(installKind(tmp, {})).toBe('packaged'); // built files only, no TypeScript sources
    expect(installKind('/opt/hall-kiosk/resources/app.asar', {})).toBe('packaged');
    expect(installKind(projectRoot(), { KIOSK_INSTALL: 'packaged' })).toBe('packaged');
    expect(installKind(tmp, { KIOSK_INSTALL: 'checkout' })).toBe('checkout');
    expect(installKind(projectRoot(), {}, true)).toBe('packaged');
  });

  it('--config first, then <data dir>/hall.json, then the demo hall in a checkout or provisioning in a package', () => {
    const root = projectRoot();
    const dataDir = path.join(tmp, 'data');
    mkdirSync(dataDir);
    expect(chooseConfigSource({ configArg: 'x.json', dataDir, root, install: 'packaged' })).toEqual({ kind: 'file', path: path.resolve('x.json'), origin: 'argument' });
    expect(chooseConfigSource({ dataDir, root, install: 'checkout' })).toEqual({ kind: 'file', path: path.join(root, SAMPLE_HALL), origin: 'sample' });
    expect(chooseConfigSource({ dataDir, root, install: 'packaged' })).toMatchObject({ kind: 'provisioning' });
    writeFileSync(path.join(dataDir, 'hall.json'), '{}');
    for (const install of ['checkout', 'packaged'] as const) {
      expect(chooseConfigSource({ dataDir, root, install })).toEqual({ kind: 'file', path: path.join(dataDir, 'hall.json'), origin: 'data-dir' });
    }
  });

  it('a package without a hall config starts on the placeholder: no tokens, no counters, not a demo', () => {
    const r = resolveStartConfig({ dataDir: tmp, root: tmp, install: 'packaged' });
    expect(r.provisioning).toBe(true);
    expect(r.config).toEqual(provisioningPlaceholderConfig());
    expect(r.config.demo).toBe(false);
    expect(r.config.network.apiTokens).toEqual([]);
    expect(r.config.network.counters).toEqual([]);
    const demo = resolveStartConfig({ dataDir: tmp, root: projectRoot(), install: 'checkout' });
    expect(demo).toMatchObject({ provisioning: false, config: { demo: true, hall: { id: 'conghua-center' } } });
  });
});
