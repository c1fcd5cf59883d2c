import path from 'node:path';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { LanState } from '../core/health.js';
import { chooseConfigSource, DATA_DIR_CONFIG, provisioningPlaceholderConfig, type ConfigSource, type InstallKind } from '../config/config-source.js';
import { loadConfigFile } from '../config/load.js';
import { sampleSecretRefusal } from '../config/sample-secrets.js';

export interface StartConfig {
  config: KioskConfig;
  configPath: string;
  provisioning: boolean;
  source: ConfigSource;
}

/**
 * The config both hosts start on (see chooseConfigSource for the order). Throws ConfigLoadError for a bad file;
 * with no hall config on a packaged install it returns the provisioning placeholder.
 */
export function resolveStartConfig(o: { configArg?: string | undefined; dataDir: string; root: string; install: InstallKind }): StartConfig {
  const source = chooseConfigSource(o);
  if (source.kind === 'provisioning') {
    return { config: provisioningPlaceholderConfig(), configPath: path.join(o.dataDir, DATA_DIR_CONFIG), provisioning: true, source };
  }
  return { config: loadConfigFile(source.path), configPath: source.path, provisioning: false, source };
}

/**
 * Whether the host may start the hall LAN API, and if not, the state /healthz shows. An installation on the
 * repository's sample secrets is refused with one sentence naming the setting; the kiosk itself keeps running.
 */
export function lanDecision(o: { config: KioskConfig; demo: boolean; provisioning: boolean; lanPort: number }): { start: true } | { start: false; state: LanState } {
  if (o.provisioning) return { start: false, state: { state: 'provisioning', reason: 'no hall configuration: provision the kiosk first' } };
  if (o.config.network.queue.role !== 'host') return { start: false, state: { state: 'off', reason: 'this kiosk is a queue client (network.queue.role = client)' } };
  if (o.lanPort === 0) return { start: false, state: { state: 'off', reason: '--lan-port 0' } };
  const refusal = sampleSecretRefusal(o.config, o.demo);
  if (refusal) return { start: false, state: { state: 'refused', reason: refusal } };
  return { start: true };
}
