import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lanDecision } from '../app/boot.js';
import { defaultConfigPath, loadConfigFile } from './load.js';
import { SAMPLE_COUNTER_PIN_HASHES, SAMPLE_LAN_TOKENS, sampleSecretRefusal } from './sample-secrets.js';

const hallsDir = path.join(path.dirname(defaultConfigPath()));

describe('sample secrets', () => {
  it('lists exactly the tokens and counter PIN hashes the sample halls publish', () => {
    const tokens = new Set<string>();
    const hashes = new Set<string>();
    for (const f of readdirSync(hallsDir).filter((n) => n.endsWith('.json'))) {
      const c = JSON.parse(readFileSync(path.join(hallsDir, f), 'utf8')) as { network?: { apiTokens?: { token: string }[]; counters?: { pinHash: string }[] } };
      for (const t of c.network?.apiTokens ?? []) tokens.add(t.token);
      for (const h of c.network?.counters ?? []) hashes.add(h.pinHash);
    }
    expect([...tokens].sort()).toEqual([...SAMPLE_LAN_TOKENS].sort());
    expect([...hashes].sort()).toEqual([...SAMPLE_COUNTER_PIN_HASHES].sort());
  });

  it('an installation on a sample token or sample counter PIN gets one sentence naming the setting; a demo does not', () => {
    const config = loadConfigFile(defaultConfigPath());
    expect(sampleSecretRefusal(config, true)).toBeUndefined();
    const refusal = sampleSecretRefusal(config, false)!;
    expect(refusal).toMatch(/^The hall LAN API is not started: network\.apiTokens \(counter-1, display-1, manager-1\).*network\.counters \(window 1, 2, 3\).*provision/);
    expect(refusal.split('. ').length).toBe(1);

    const fresh = structuredClone(config);
    fresh.network.apiTokens = fresh.network.apiTokens.map((t, i) => ({ ...t, token: `fresh-token-${i}-abcdefghijkl` }));
    expect(sampleSecretRefusal(fresh, false)).toMatch(/network\.counters \(window 1, 2, 3\)/);
    fresh.network.counters = [];
    expect(sampleSecretRefusal(fresh, false)).toBeUndefined();
  });

  it('the LAN API starts only when allowed: refused on samples, off for clients and port 0, never while provisioning', () => {
    const config = loadConfigFile(defaultConfigPath());
    expect(lanDecision({ config, demo: true, provisioning: false, lanPort: 8788 })).toEqual({ start: true });
    expect(lanDecision({ config, demo: false, provisioning: false, lanPort: 8788 })).toMatchObject({ start: false, state: { state: 'refused' } });
    expect(lanDecision({ config, demo: true, provisioning: false, lanPort: 0 })).toMatchObject({ start: false, state: { state: 'off' } });
    expect(lanDecision({ config, demo: false, provisioning: true, lanPort: 8788 })).toMatchObject({ start: false, state: { state: 'provisioning' } });
  });
});
