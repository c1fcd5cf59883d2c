import type { PrintJob } from '../../../drivers/escpos/encoder.js';
import type { PrinterProfile } from '../../../drivers/escpos/profiles.js';
import type { Catalog } from '../../../kiosk-config/catalog/index.js';
import type { CatalogSearchIndex } from '../../catalog/search.js';
import type { A4JobState, ReceiptPrintOutcome } from '../../contract/index.js';
import type { KioskContext as KioskServices } from '../context.js';
import type { CheckInInput, IssuedTicket, IssueTicketInput, QueueSnapshot, RateInput, RatingView } from '../../queue/engine.js';

/** The queue operations the citizen flows use: the local QueueEngine or a remote client with the same calls. */
export interface CitizenQueue {
  issueTicket(input: IssueTicketInput): IssuedTicket | Promise<IssuedTicket>;
  getTicket(ref: { ticketId: number } | { token: string }): IssuedTicket | Promise<IssuedTicket>;
  checkIn(input: CheckInInput): Promise<IssuedTicket & { appointment: { slotStart: string; alreadyCheckedIn: boolean } }>;
  rate(input: RateInput): RatingView | Promise<RatingView>;
  snapshot(): QueueSnapshot | Promise<QueueSnapshot>;
}

export interface CitizenA4 {
  printA4(pdf: Buffer, options: { copies: number; title: string }): Promise<{ jobId: string }>;
  a4Job(jobId: string): Promise<{ state: A4JobState; reason?: string }>;
}

export interface CitizenReceipts {
  printReceipt(job: PrintJob | Uint8Array): Promise<ReceiptPrintOutcome>;
  receiptProfile(): PrinterProfile;
}

/** What the handlers need besides KioskServices' own members; resolved once per services object. */
export interface CitizenDeps {
  queue: CitizenQueue;
  catalog: Catalog;
  search: CatalogSearchIndex;
  receipts: CitizenReceipts;
  a4: CitizenA4;
  /** Renders PDF pages to PNG data: URLs (pdftoppm); injectable for tests. */
  previewPages?: (pdf: Buffer, maxPages: number) => Promise<string[]>;
}

/**
 * The queue, catalog and printers of `services`, read at each call: the queue is replaced when a new config is
 * applied and the catalog when the manager imports one.
 */
export function resolveDeps(services: KioskServices): CitizenDeps {
  return {
    // The local engine on the hall's queue host, the LAN client on other kiosks (lead's wiring).
    queue: {
      issueTicket: (i) => services.citizenQueue.issueTicket(i),
      getTicket: (r) => services.citizenQueue.getTicket(r),
      checkIn: (i) => services.citizenQueue.checkIn(i),
      rate: (i) => services.citizenQueue.rate(i),
      snapshot: () => services.citizenQueue.snapshot(),
    },
    get catalog() {
      return services.catalog.catalog;
    },
    get search() {
      return services.catalog.search;
    },
    receipts: {
      printReceipt: (bytes) => services.devices.printReceipt(bytes),
      receiptProfile: () => services.devices.receiptProfile(),
    },
    a4: {
      printA4: (pdf, options) => services.devices.printA4(pdf, options),
      a4Job: async (jobId) => {
        const s = await services.devices.a4Job(jobId);
        // Only the state and a technician-facing reason cross the bridge.
        const reason = s.reasons.find((r) => r !== 'none' && r !== 'job-completed-successfully');
        return { state: s.state, ...(reason ? { reason } : {}) };
      },
    },
  };
}
