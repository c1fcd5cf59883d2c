import type { FleetAlert, FleetAlertCode } from '../contract/fleet.js';
import { receiptPrinterProblem } from '../contract/ticketing.js';
import type { DeviceFact, HealthFact } from './kiosk-port.js';

/**
 * Which alerts are open, derived from facts: a pure function of the device states and health (conditions) plus a
 * tracker that turns set changes into `{resolved:false}` / `{resolved:true}` messages with a stable id.
 * Messages are fixed technician sentences built from codes, never from free text that could hold personal data.
 */
export interface AlertCondition {
  code: FleetAlertCode;
  device: string;
  severity: FleetAlert['severity'];
  message: string;
}

/** Repeated read failures: this many failed reads in a row (without a good read in between) open READ_FAILURES. */
export const READ_FAILURE_THRESHOLD = 3;

export function deviceConditions(d: DeviceFact): AlertCondition[] {
  if (d.id === 'receiptPrinter') {
    // The kiosk's own rule for why its printer cannot print (host ticket refusal, home screen), so the console and
    // the kiosk never disagree. DeviceStatus has no fault code for a polled printer status, only state + detail.
    const problem = receiptPrinterProblem(d);
    if (problem === 'paper-end') return [{ code: 'PAPER_OUT', device: d.id, severity: 'critical', message: 'receipt printer: paper out' }];
    if (problem === 'cover-open') return [{ code: 'COVER_OPEN', device: d.id, severity: 'critical', message: 'receipt printer: cover open' }];
    // A near-end roll still prints: state `warning` with the detail DeviceManager.updatePrinterState sets for it.
    if (d.state === 'warning' && d.detail === 'paper near end') return [{ code: 'PAPER_NEAR_END', device: d.id, severity: 'warning', message: 'receipt printer: paper near end' }];
  }
  switch (d.state) {
    case 'offline':
      return [{ code: 'DEVICE_OFFLINE', device: d.id, severity: 'critical', message: `${d.id}: offline` }];
    case 'error':
      return [{ code: 'DEVICE_ERROR', device: d.id, severity: 'critical', message: `${d.id}: error` }];
    case 'ok':
    case 'warning':
    case 'starting':
      return [];
    default: {
      const never: never = d.state;
      throw new Error(`unknown device state ${String(never)}`);
    }
  }
}

export function healthConditions(h: HealthFact): AlertCondition[] {
  const out: AlertCondition[] = [];
  if (h.storage === 'error') out.push({ code: 'STORAGE_ERROR', device: 'storage', severity: 'critical', message: 'storage: database not usable' });
  if (!h.queueReachable) out.push({ code: 'QUEUE_HOST_UNREACHABLE', device: 'queue', severity: 'critical', message: 'queue host unreachable' });
  return out;
}

export class AlertTracker {
  private readonly open = new Map<string, FleetAlert>();
  private seq = 0;

  constructor(
    private readonly kioskId: string,
    private readonly now: () => Date,
  ) {}

  /** Replaces the conditions of one source (e.g. `device:receiptPrinter`); returns the messages to publish. */
  update(source: string, conditions: AlertCondition[]): FleetAlert[] {
    const out: FleetAlert[] = [];
    const wanted = new Map(conditions.map((c) => [`${source}|${c.code}`, c]));
    for (const [key, alert] of this.open) {
      if (key.startsWith(`${source}|`) && !wanted.has(key)) {
        this.open.delete(key);
        out.push({ ...alert, resolved: true, at: this.now().toISOString() });
      }
    }
    for (const [key, c] of wanted) {
      if (this.open.has(key)) continue;
      const at = this.now();
      const alert: FleetAlert = {
        id: `${this.kioskId}-${c.code.toLowerCase()}-${at.getTime().toString(36)}-${(++this.seq).toString(36)}`,
        code: c.code,
        device: c.device,
        severity: c.severity,
        message: c.message,
        at: at.toISOString(),
        resolved: false,
      };
      this.open.set(key, alert);
      out.push(alert);
    }
    return out;
  }

  /** A one-off alert that opens and is never held open (e.g. CONFIG_ROLLED_BACK is resolved by the operator's next push). */
  event(c: AlertCondition): FleetAlert {
    const at = this.now();
    return { id: `${this.kioskId}-${c.code.toLowerCase()}-${at.getTime().toString(36)}-${(++this.seq).toString(36)}`, ...c, at: at.toISOString(), resolved: false };
  }

  openAlerts(): FleetAlert[] {
    return [...this.open.values()];
  }
}
