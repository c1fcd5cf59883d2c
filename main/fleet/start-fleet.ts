import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { FleetConfig } from '../../kiosk-config/fleet.js';
import type { Logger } from '../core/logger.js';
import { FleetAgent } from './agent.js';
import { HostKioskPort, type FleetHostServices } from './kiosk-adapter.js';
import { loadPublicKey } from './signing.js';

/**
 * Composition-root hook: starts the fleet agent when the running config has a `fleet` section, else does nothing.
 * Files named in the section (passwordFile, caFile, publicKeyFile) are read relative to the config file's folder.
 * A broken fleet section never stops the kiosk: it is logged and the kiosk runs without the agent.
 * Changing the fleet section takes effect at the next start.
 */
export interface FleetHandle {
  agent: FleetAgent;
  stop(): Promise<void>;
}

export function resolveFleetSecrets(fleet: FleetConfig, baseDir: string): { password?: string; ca?: Buffer; publicKey: KeyObject | null } {
  const file = (p: string) => path.resolve(baseDir, p);
  const password = fleet.password ?? (fleet.passwordFile ? readFileSync(file(fleet.passwordFile), 'utf8').trim() : undefined);
  const ca = fleet.caFile ? readFileSync(file(fleet.caFile)) : undefined;
  const keyText = fleet.publicKey ?? (fleet.publicKeyFile ? readFileSync(file(fleet.publicKeyFile), 'utf8') : undefined);
  return { ...(password !== undefined ? { password } : {}), ...(ca ? { ca } : {}), publicKey: keyText ? loadPublicKey(keyText) : null };
}

export function startFleetAgent(
  services: FleetHostServices & { readonly options: { readonly configPath: string } },
  options: { logger: Logger; restart: () => void; region?: string },
): FleetHandle | undefined {
  const fleet = services.currentConfig.fleet;
  if (!fleet) return undefined;
  let secrets: ReturnType<typeof resolveFleetSecrets>;
  try {
    secrets = resolveFleetSecrets(fleet, path.dirname(services.options.configPath));
  } catch (e) {
    options.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'fleet agent not started: its files could not be read');
    return undefined;
  }
  if (!secrets.publicKey) options.logger.warn({}, 'fleet: no fleet.publicKey; every pushed config will be refused');
  const region = options.region ?? fleet.region;
  const port = new HostKioskPort(services, { restart: options.restart, ...(region !== undefined ? { region } : {}) });
  const id = port.identity();
  const agent = new FleetAgent({
    url: fleet.url,
    username: fleet.username ?? `${id.hallId}/${id.kioskId}`,
    password: secrets.password,
    ca: secrets.ca,
    topicPrefix: fleet.topicPrefix,
    statsIntervalS: fleet.statsIntervalS,
    offlineQueueMax: fleet.offlineQueueMax,
    publicKey: secrets.publicKey,
    facts: port,
    control: port,
    logger: options.logger,
  });
  agent.start();
  options.logger.info({ url: fleet.url, topic: agent.topics.status }, 'fleet agent started');
  return {
    agent,
    stop: async () => {
      await agent.stop();
      port.close();
    },
  };
}
