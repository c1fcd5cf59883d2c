import type { DeviceStatus } from './types.js';

/**
 * Why the receipt printer cannot print a ticket now, from its device status (pushed as `device-status` events): one
 * rule for the host (which refuses `ticket.take` when the hall says `queue.whenPrinterDown: refuse`) and the home
 * screen (which says so before a citizen starts). Null when it can print; a near-end roll still prints.
 */
export type ReceiptPrinterProblem = 'paper-end' | 'cover-open' | 'disconnected' | 'fault';

export function receiptPrinterProblem(status: Pick<DeviceStatus, 'state' | 'detail'> | undefined): ReceiptPrinterProblem | null {
  if (!status) return null;
  switch (status.state) {
    case 'ok':
    case 'warning':
    case 'starting':
      return null;
    case 'offline':
      return 'disconnected';
    case 'error':
      return status.detail === 'paper end' ? 'paper-end' : status.detail === 'cover open' ? 'cover-open' : status.detail === 'offline' ? 'disconnected' : 'fault';
    default: {
      const never: never = status.state;
      throw new Error(`unhandled device state ${String(never)}`);
    }
  }
}
