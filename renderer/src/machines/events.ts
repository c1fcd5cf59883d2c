import type { CitizenIdentityView, ScanView } from '../../../main/contract/index.js';
import type { ReceiptPrinterProblem } from '../../../main/contract/ticketing.js';

/** Hardware events as the flows receive them (forwarded by the kiosk machine from the host's events). */
export type HardwareEvent =
  | { type: 'CARD_READ'; identity: CitizenIdentityView }
  | { type: 'CARD_REMOVED' }
  /** `code` is present only when the renderer read it itself (keyboard-wedge scanner). */
  | { type: 'CODE_SCANNED'; scan: ScanView; code?: string };

/** The receipt printer's state changed (from `device-status`): why it cannot print now, or null when it can. */
export type PrinterStatusEvent = { type: 'PRINTER_STATUS'; problem: ReceiptPrinterProblem | null };

/** How a flow refers to a scanned code in a request: the wedge's own text, or the host's last scan. */
export function scanRef(e: { code?: string }): { code: string } | { scanned: true } {
  return e.code !== undefined ? { code: e.code } : { scanned: true };
}

/** Idempotency key for ticket requests (retries after a lost answer return the same ticket). */
export function newRequestId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
