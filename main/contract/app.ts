import { z } from 'zod';
import { event, request } from './define.js';
import type { Bootstrap, CitizenIdentityView, DeviceStatus, PublicConfig, ScanView, SimReceipt, SimState } from './types.js';

const none = z.object({}).strict();
const deviceId = z.enum(['idCard', 'scanner', 'receiptPrinter', 'callDisplay', 'a4Printer']);

export const appRequests = {
  /** First call of the UI: host kind, demo/installation/provisioning mode, public config, device states. */
  'app.bootstrap': request<Bootstrap>()(none),
  /** The UI is ready for events: events queued since start are delivered now, in order. */
  'app.ready': request<{ queued: number }>()(none),
  'devices.list': request<DeviceStatus[]>()(none),
  /** The current citizen's identity, masked; null when no card was read in this session. */
  'session.identity': request<CitizenIdentityView | null>()(none),
  /** Ends the citizen's session: the host forgets the identity and any pending personal data. */
  'session.end': request<{ wiped: boolean }>()(z.object({ reason: z.enum(['timeout', 'done', 'cancel']) }).strict()),
} as const;

export const simRequests = {
  'sim.state': request<SimState>()(none, 'sim'),
  'sim.placeCard': request<SimState>()(z.object({ identityId: z.string().min(1).max(40) }).strict(), 'sim'),
  'sim.removeCard': request<SimState>()(none, 'sim'),
  'sim.scan': request<SimState>()(z.object({ payload: z.string().min(1).max(512) }).strict(), 'sim'),
  'sim.setPrinterFault': request<SimState>()(
    z.object({ fault: z.enum(['none', 'near-end', 'paper-end', 'cover-open', 'cutter-jam', 'offline']) }).strict(),
    'sim',
  ),
  'sim.unplug': request<SimState>()(z.object({ device: deviceId }).strict(), 'sim'),
  'sim.replug': request<SimState>()(z.object({ device: deviceId }).strict(), 'sim'),
  'sim.receipts': request<SimReceipt[]>()(z.object({ limit: z.number().int().min(1).max(50).default(10) }).strict(), 'sim'),
} as const;

export const appEvents = {
  'device-status': event<DeviceStatus>(),
  /** A card was read: the host keeps the identity; the UI gets the masked view. */
  'card-read': event<CitizenIdentityView>(),
  'card-removed': event<Record<string, never>>(),
  'card-error': event<{ code: string; message: string }>(),
  'code-scanned': event<ScanView>(),
  'config-changed': event<PublicConfig>(),
  'session-ended': event<{ reason: string }>(),
  'sim-changed': event<SimState>(),
  /** The queue changed (tickets issued, called, finished) in these categories. */
  'queue-changed': event<{ at: string; categoryIds: string[] }>(),
  /** Client kiosks: the hall's queue host became unreachable (取号暂不可用) or reachable again. */
  'queue-availability': event<{ available: boolean }>(),
  /** A ticket was called to a window (for the hall display, the voice and the citizen who holds it). */
  'ticket-called': event<{ number: string; window: string; categoryId: string; at: string; recall: boolean }>(),
  'sim-receipt': event<SimReceipt>(),
} as const;
