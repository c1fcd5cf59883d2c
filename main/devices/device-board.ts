import type { DriverError } from '../../drivers/errors.js';
import type { TraceEntry } from '../../drivers/log.js';
import { DEVICE_IDS, type DeviceId, type DeviceState, type DeviceStatus } from '../contract/index.js';
import type { EventHub } from '../core/event-hub.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../storage/database.js';
import type { DeviceMode } from './device-plan.js';
import { LinkMeter } from './link-meter.js';

export type SequencedTrace = TraceEntry & { seq: number };

const TRACE_RING = 1000;

export interface DeviceBoardOptions {
  hub: EventHub;
  db: Db;
  logger: Logger;
  models: Record<DeviceId, string>;
  configured: Record<DeviceId, string>;
  modes: Record<DeviceId, DeviceMode>;
  /** Devices the host drives over a transport of its own (they get a LinkMeter). */
  linked: readonly DeviceId[];
  /** Counters the drivers keep themselves, merged in when a status is read. */
  liveCounters: (id: DeviceId) => Record<string, number>;
}

/**
 * The device board's truth: one DeviceStatus per device, its LinkMeter, the redacted protocol trace, and the
 * `device_events` rows of every state change. A device with a link is never `ok` before it has answered on the
 * link opened last (a replugged device answers again): until then an `ok` is shown as `starting` with "no answer from the device yet".
 */
export class DeviceBoard {
  private readonly status = new Map<DeviceId, DeviceStatus>();
  private readonly meters = new Map<DeviceId, LinkMeter>();
  private readonly traceRing: SequencedTrace[] = [];
  private traceSeq = 0;
  stopped = false;

  constructor(private readonly options: DeviceBoardOptions) {
    for (const id of DEVICE_IDS) {
      const simulated = options.modes[id] === 'simulated';
      if (options.linked.includes(id)) this.meters.set(id, new LinkMeter(simulated));
      this.status.set(id, {
        id,
        model: options.models[id],
        transport: options.configured[id],
        simulated,
        state: options.modes[id] === 'none' && id !== 'callDisplay' ? 'offline' : 'starting',
        detail: options.modes[id] === 'none' && id !== 'callDisplay' ? 'not configured' : 'starting',
        counters: {},
        since: Date.now(),
      });
    }
  }

  meter(id: DeviceId): LinkMeter | undefined {
    return this.meters.get(id);
  }

  get(id: DeviceId): DeviceStatus {
    return this.status.get(id)!;
  }

  statuses(): DeviceStatus[] {
    return DEVICE_IDS.map((id) => this.view(id));
  }

  view(id: DeviceId): DeviceStatus {
    const s = this.status.get(id)!;
    const meter = this.meters.get(id);
    const link = meter?.snapshot();
    return {
      ...s,
      ...(link && link.kind !== 'none' ? { transport: link.kind === 'simulator' ? `simulator (${link.address})` : `${link.kind}:${link.address}` } : {}),
      counters: { ...s.counters, ...this.options.liveCounters(id) },
      ...(link ? { link } : {}),
    };
  }

  /** Technician trace: entries after `seq` (0 = all kept), oldest first. Personal data is redacted by the drivers. */
  traceSince(seq: number): SequencedTrace[] {
    return this.traceRing.filter((t) => t.seq > seq);
  }

  /** A driver's trace entry; a decoded answer (`rx`) counts as the device's last good exchange. */
  pushTrace(id: DeviceId, t: TraceEntry): void {
    this.traceRing.push({ ...t, seq: ++this.traceSeq });
    if (this.traceRing.length > TRACE_RING) this.traceRing.splice(0, this.traceRing.length - TRACE_RING);
    if (t.dir === 'rx') this.answered(id, t.at);
  }

  /** The device gave a real answer (a decoded frame, a status read, a scanned code). */
  answered(id: DeviceId, at = Date.now()): void {
    const m = this.meters.get(id);
    if (!m) return;
    const first = !m.hasAnswered;
    m.answered(at);
    const s = this.status.get(id)!;
    if (first && this.pendingOk.has(id)) {
      const detail = this.pendingOk.get(id)!;
      this.pendingOk.delete(id);
      this.set(id, { state: 'ok', detail });
    } else if (first && s.state === 'starting') this.emit(id);
  }

  private readonly pendingOk = new Map<DeviceId, string>();

  recordError(id: DeviceId, e: DriverError | { code: string; message: string }): void {
    this.status.get(id)!.lastError = { code: e.code, message: e.message, at: Date.now() };
  }

  bump(id: DeviceId, counter: string, by = 1): void {
    const s = this.status.get(id)!;
    s.counters[counter] = (s.counters[counter] ?? 0) + by;
  }

  addCounters(id: DeviceId, add: Record<string, number>): void {
    const s = this.status.get(id)!;
    s.counters = sumCounters(s.counters, add);
  }

  set(id: DeviceId, patch: { state?: DeviceState; detail?: string }): void {
    if (this.stopped) return;
    const meter = this.meters.get(id);
    if (patch.state === 'ok' && meter && !meter.hasAnswered) {
      // Never `ok` on an open port alone: a TCP printer nobody listens behind, a reader that never answered.
      this.pendingOk.set(id, patch.detail ?? this.status.get(id)!.detail);
      patch = { state: 'starting', detail: `${patch.detail ?? 'link open'}; no answer from the device yet` };
    } else if (patch.state !== undefined) this.pendingOk.delete(id);
    const s = this.status.get(id)!;
    const stateChanged = patch.state !== undefined && patch.state !== s.state;
    const changed = stateChanged || (patch.detail !== undefined && patch.detail !== s.detail);
    if (!changed) return;
    Object.assign(s, patch);
    if (stateChanged) {
      s.since = Date.now();
      try {
        this.options.db
          .prepare('INSERT INTO device_events (at, device, state, code, message) VALUES (?, ?, ?, ?, ?)')
          .run(Date.now(), id, s.state, s.lastError?.code ?? null, s.detail);
      } catch (e) {
        this.options.logger.error({ err: e, device: id }, 'could not record device event');
      }
      this.options.logger.info({ device: id, state: s.state, detail: s.detail }, 'device state');
    }
    this.emit(id);
  }

  private emit(id: DeviceId): void {
    this.options.hub.emit('device-status', this.view(id));
  }
}

export function sumCounters(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  return out;
}
