import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { FleetDeviceId, FleetStats } from '../contract/fleet.js';

/**
 * The narrow view of a kiosk the fleet agent needs. The host implements it over KioskServices
 * (kiosk-adapter.ts); tests and the 2,000-agent load rig implement it with simulated facts, so many real agents
 * can run in one process. Nothing here returns personal data: states, short technician sentences and counts.
 */
export interface KioskIdentity {
  hallId: string;
  kioskId: string;
  hallName: string;
  region: string;
  version: string;
  host: string;
}

export interface DeviceFact {
  id: FleetDeviceId;
  state: 'ok' | 'warning' | 'error' | 'offline' | 'starting';
  /** A short technician sentence (never personal data), e.g. `paper end`, `cover open`. */
  detail: string;
}

export interface HealthFact {
  storage: 'ok' | 'error';
  /** False while a client kiosk cannot reach its hall's queue host. */
  queueReachable: boolean;
}

export type KioskFactEvent =
  | { type: 'device'; device: DeviceFact }
  | { type: 'health'; health: HealthFact }
  /** A failed read (ID card, scanner); `ok:true` for a good read, which ends a run of failures. */
  | { type: 'read'; device: FleetDeviceId; ok: boolean }
  | { type: 'config' };

export interface KioskFacts {
  identity(): KioskIdentity;
  devices(): DeviceFact[];
  health(): HealthFact;
  /** Counts for the hall's service day so far (without `at`). */
  stats(): Omit<FleetStats, 'at'>;
  config(): { versionId: number | null; fleetVersion: number | null; name: string };
  uptimeS(): number;
  /** Fact changes; returns the remover. */
  subscribe(listener: (e: KioskFactEvent) => void): () => void;
}

export interface FleetApplyMeta {
  fleetVersion: number;
  comment: string;
}

export interface KioskControl {
  currentConfig(): KioskConfig;
  /** The highest fleet version this kiosk accepted (replays of older pushes are refused). */
  lastFleetVersion(): number | null;
  /** Stores `config` as a new version with origin "fleet" and applies it live. */
  applyFleetConfig(config: KioskConfig, meta: FleetApplyMeta): { versionId: number; previousVersionId: number | null; restartNeededFor: string[] };
  /** Stores the body of `versionId` as a new version (origin "fleet-rollback") and applies it. */
  rollback(versionId: number, reason: string): { versionId: number };
  /** After an apply: is the kiosk still able to serve? */
  selfCheck(): Promise<{ ok: boolean; problems: string[] }>;
  /** The redacted diagnostic bundle (main/staff/bundle.ts). */
  bundle(): Promise<{ filename: string; data: Buffer }>;
  /** Schedules a clean restart of the host (the service supervisor starts it again). */
  scheduleRestart(at: Date): void;
}
