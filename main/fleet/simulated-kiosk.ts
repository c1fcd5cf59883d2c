import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import { validateKioskConfig } from '../../kiosk-config/validate.js';
import type { FleetDeviceId, FleetStats } from '../contract/fleet.js';
import { projectRoot } from '../config/load.js';
import type { DeviceFact, FleetApplyMeta, HealthFact, KioskControl, KioskFactEvent, KioskFacts, KioskIdentity } from './kiosk-port.js';

/**
 * A kiosk's facts and controls in memory, for the fleet tests and the 2,000-agent load rig: devices whose state is
 * set by the test (paper out, cover open, unplugged), counts that grow, a config history with origins, a
 * self-check that can be told to fail for some configs. The real agent code runs against it unchanged.
 */
export interface SimulatedKioskOptions {
  hallId: string;
  kioskId: string;
  hallName?: string;
  region?: string;
  /** Base config (default: kiosk-config/halls/county-center.json) with hall.id and kiosk.id replaced. */
  base?: KioskConfig;
  /** Returns problems for a config that should fail the self-check after apply (default: none). */
  selfCheck?: (config: KioskConfig) => string[];
}

let sampleConfig: KioskConfig | undefined;

export function sampleKioskConfig(): KioskConfig {
  if (!sampleConfig) {
    const raw: unknown = JSON.parse(readFileSync(path.join(projectRoot(), 'kiosk-config', 'halls', 'county-center.json'), 'utf8'));
    const r = validateKioskConfig(raw);
    if (!r.ok) throw new Error(`sample config invalid: ${r.problems.map((p) => p.sentence).join(' ')}`);
    sampleConfig = r.config;
  }
  return structuredClone(sampleConfig);
}

export class SimulatedKiosk implements KioskFacts, KioskControl {
  private readonly listeners = new Set<(e: KioskFactEvent) => void>();
  private readonly deviceFacts = new Map<FleetDeviceId, DeviceFact>();
  private healthFact: HealthFact = { storage: 'ok', queueReachable: true };
  readonly versions: { id: number; origin: string; comment: string; config: KioskConfig; fleetVersion: number | null }[] = [];
  private current = 0;
  private fleetVersion: number | null = null;
  readonly restarts: Date[] = [];
  readonly counts: Omit<FleetStats, 'at' | 'day'> = { tickets: {}, prints: 0, a4Pages: 0, ratings: {}, helpRequests: 0, idleResets: 0 };
  private readonly startedAt = Date.now();

  constructor(private readonly options: SimulatedKioskOptions) {
    const config = options.base ? structuredClone(options.base) : sampleKioskConfig();
    config.hall.id = options.hallId;
    config.kiosk.id = options.kioskId;
    this.versions.push({ id: 1, origin: 'file', comment: 'loaded', config, fleetVersion: null });
    this.current = 1;
    for (const id of ['idCard', 'scanner', 'receiptPrinter', 'callDisplay', 'a4Printer'] as const) {
      this.deviceFacts.set(id, { id, state: 'ok', detail: 'ready (simulated)' });
    }
  }

  // ----- test switches -----------------------------------------------------------------------------------------

  setDevice(id: FleetDeviceId, state: DeviceFact['state'], detail: string): void {
    const d = { id, state, detail };
    this.deviceFacts.set(id, d);
    this.emit({ type: 'device', device: d });
  }

  setHealth(h: Partial<HealthFact>): void {
    this.healthFact = { ...this.healthFact, ...h };
    this.emit({ type: 'health', health: this.healthFact });
  }

  read(device: FleetDeviceId, ok: boolean): void {
    this.emit({ type: 'read', device, ok });
  }

  issueTicket(categoryId: string): void {
    this.counts.tickets[categoryId] = (this.counts.tickets[categoryId] ?? 0) + 1;
    this.counts.prints++;
  }

  rate(level: 1 | 2 | 3 | 4 | 5): void {
    this.counts.ratings[String(level)] = (this.counts.ratings[String(level)] ?? 0) + 1;
  }

  private emit(e: KioskFactEvent): void {
    for (const l of this.listeners) l(e);
  }

  // ----- KioskFacts ----------------------------------------------------------------------------------------------

  identity(): KioskIdentity {
    return {
      hallId: this.options.hallId,
      kioskId: this.options.kioskId,
      hallName: this.options.hallName ?? this.options.hallId,
      region: this.options.region ?? '',
      version: '0.1.0-sim',
      host: 'simulated',
    };
  }

  devices(): DeviceFact[] {
    return [...this.deviceFacts.values()];
  }

  health(): HealthFact {
    return this.healthFact;
  }

  stats(): Omit<FleetStats, 'at'> {
    return { day: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), ...structuredClone(this.counts) };
  }

  config(): { versionId: number; fleetVersion: number | null; name: string } {
    return { versionId: this.current, fleetVersion: this.fleetVersion, name: this.currentConfig().name };
  }

  uptimeS(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }

  subscribe(listener: (e: KioskFactEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ----- KioskControl --------------------------------------------------------------------------------------------

  currentConfig(): KioskConfig {
    return this.versions.find((v) => v.id === this.current)!.config;
  }

  lastFleetVersion(): number | null {
    return this.versions.reduce<number | null>((m, v) => (v.fleetVersion !== null && (m === null || v.fleetVersion > m) ? v.fleetVersion : m), null);
  }

  applyFleetConfig(config: KioskConfig, meta: FleetApplyMeta): { versionId: number; previousVersionId: number | null; restartNeededFor: string[] } {
    const previous = this.current;
    const id = this.versions.length + 1;
    this.versions.push({ id, origin: 'fleet', comment: meta.comment, config: structuredClone(config), fleetVersion: meta.fleetVersion });
    this.current = id;
    this.fleetVersion = meta.fleetVersion;
    this.emit({ type: 'config' });
    return { versionId: id, previousVersionId: previous, restartNeededFor: [] };
  }

  rollback(versionId: number, reason: string): { versionId: number } {
    const v = this.versions.find((x) => x.id === versionId);
    if (!v) throw new Error(`no version ${versionId}`);
    const id = this.versions.length + 1;
    this.versions.push({ id, origin: 'fleet-rollback', comment: reason, config: structuredClone(v.config), fleetVersion: null });
    this.current = id;
    this.fleetVersion = v.fleetVersion;
    this.emit({ type: 'config' });
    return { versionId: id };
  }

  selfCheck(): Promise<{ ok: boolean; problems: string[] }> {
    const problems = this.options.selfCheck?.(this.currentConfig()) ?? [];
    return Promise.resolve({ ok: problems.length === 0, problems });
  }

  bundle(): Promise<{ filename: string; data: Buffer }> {
    return Promise.resolve({ filename: `kiosk-diag-${this.options.kioskId}.tar.gz`, data: Buffer.from(`simulated bundle of ${this.options.kioskId}`) });
  }

  scheduleRestart(at: Date): void {
    this.restarts.push(at);
  }
}
