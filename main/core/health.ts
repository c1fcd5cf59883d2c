import type { DeviceStatus, HostKind, KioskMode } from '../contract/index.js';

/**
 * The hall LAN API's state: `serving` on its port; `off` (not the queue host, or --lan-port 0); `refused` when an
 * installation still carries the repository's sample secrets (main/config/sample-secrets.ts), with the sentence
 * that names the setting to change; `provisioning` while there is no hall configuration.
 */
export type LanState =
  | { state: 'serving'; port: number }
  | { state: 'off'; reason: string }
  | { state: 'refused'; reason: string }
  | { state: 'provisioning'; reason: string };

/** The body of GET /healthz (browser host and LAN host alike). */
export interface Health {
  status: 'ok' | 'degraded';
  host: HostKind;
  version: string;
  /** demo (simulator panel, sample PINs), installation, or provisioning (no hall configuration yet). */
  mode: KioskMode;
  config: { name: string; version: number; file: string; hall: string };
  /** At least one device in use is a simulator (each device says which in `devices[].simulated`). */
  simulation: boolean;
  /** Per device: what is really in use — the link opened, bytes each way, the last real answer. */
  devices: Pick<DeviceStatus, 'id' | 'state' | 'simulated' | 'detail' | 'transport' | 'lastError' | 'link'>[];
  lan: LanState;
  storage: { status: 'ok' | 'error'; schemaVersion: number; file: string };
  uptimeSeconds: number;
}
