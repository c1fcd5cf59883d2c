import { z } from 'zod';
import type { LocalizedText } from '../../kiosk-config/i18n.js';
import type { PriorityReason } from '../../kiosk-config/queue.js';
import type { LocalizedName, ServiceItem, ThemeId } from '../../kiosk-config/catalog/schema.js';
import { event, request } from './define.js';

/**
 * Requests and events of the citizen touch UI (issue 5): taking a ticket, appointment check-in, service guides
 * (办事指南 / 一次性告知), A4 material printing, rating (好差评) and calling for help (呼叫帮办).
 *
 * Privacy: nothing here carries a name or an ID number. The host takes the identity from the citizen session
 * (`session.personal()`); a scanned code travels only when the renderer itself read it (keyboard-wedge scanner),
 * otherwise the host uses the code its own scanner read last in this session (`{ scanned: true }`).
 */

const lang = z.enum(['zh-CN', 'zh-TW', 'en']);
const none = z.object({}).strict();
/** Priority a citizen may declare at the kiosk (elderly is computed by the host from the card, never declared). */
export const DECLARABLE_PRIORITIES = ['disability', 'pregnancy', 'military'] as const;
export type DeclarablePriority = (typeof DECLARABLE_PRIORITIES)[number];

/** Where a ticket or an appointment code comes from. */
const codeSource = z.union([
  /** A code the renderer read itself (keyboard-wedge scanner), 1-512 characters. */
  z.object({ code: z.string().trim().min(1).max(512) }).strict(),
  /** The code the host's scanner read last in this session. */
  z.object({ scanned: z.literal(true) }).strict(),
]);
const ticketRef = z.union([z.object({ ticketId: z.number().int().positive() }).strict(), codeSource]);

export type CategoryClosedReason = 'holiday' | 'closed-today' | 'not-open-yet' | 'after-last-ticket' | 'quota-reached';

/** A ticket category as the 取号 screen shows it. */
export interface CategoryAvailability {
  id: string;
  prefix: string;
  name: LocalizedText;
  description?: LocalizedText;
  idRequired: boolean;
  /** Null when a ticket can be taken now. */
  closedReason: CategoryClosedReason | null;
  waiting: number;
  estimatedWaitMinutes: number;
  quotaLeft: number;
}

/** A ticket as the citizen sees it (no name, no ID number, ever). */
export interface CitizenTicket {
  ticketId: number;
  number: string;
  categoryId: string;
  categoryName: LocalizedText;
  priority: PriorityReason | null;
  peopleAhead: number;
  estimatedWaitMinutes: number;
  /** ISO 8601 UTC. */
  issuedAt: string;
  status: 'waiting' | 'called' | 'serving' | 'done' | 'no_show';
  /**
   * The ticket's QR code: the follow page `<network.publicBaseUrl>/t/<token>` when the hall configured one (a phone
   * can open it), else `HKT:<token>` (only a kiosk's scanner reads it). Printed on the receipt; shown on screen when
   * the printer fails, so the citizen can photograph it.
   */
  qrPayload: string;
  /** The windows serving the ticket's category (or the one it was sent to), for the receipt and screen. */
  windows?: string[];
  /** Present for 预约签到 tickets. */
  appointment?: { slotStart: string; alreadyCheckedIn: boolean };
}

/** Outcome of a receipt print; a print that cannot happen is an error (PRINTER_* codes) instead. */
export interface ReceiptPrintOutcome {
  printed: boolean;
  /** False on write-only printers: the receipt was sent, whether it came out is unknown. */
  statusKnown: boolean;
  /** e.g. paper near end. Technician-facing; the UI maps `warningCode` when present. */
  warning?: string;
}

export interface GuideSummary {
  id: string;
  name: LocalizedName;
  department: LocalizedName;
  theme: ThemeId;
  promisedTimeLimitDays: number;
  onlineAvailable: boolean;
}

export type GuideBrowseBy = 'theme' | 'department' | 'lifeEvent';

export interface GuideGroup {
  key: string;
  label: LocalizedName;
  count: number;
}

export interface PrintableDocument {
  /** `guide:<itemId>` or `form:<formId>`. */
  id: string;
  kind: 'guide' | 'blank-form';
  title: LocalizedName;
  /** The service item it belongs to, for grouping. */
  itemName?: LocalizedName;
}

export interface DocumentPreview {
  id: string;
  pageCount: number;
  /** PNG pages as data: URLs (at most `maxPages`). */
  pages: string[];
}

export type A4JobState = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface HelpRequestView {
  id: number;
  at: string;
  kioskId: string;
  /** The screen the citizen was on, e.g. `ticket`, `guide`. */
  screen: string;
  status: 'open' | 'acknowledged' | 'closed';
}

export const citizenRequests = {
  /** Categories with waiting counts, estimated wait and why a category gives no ticket now. */
  'queue.categories': request<CategoryAvailability[]>()(none),
  /**
   * Takes a ticket for the citizen at the screen, with the session's identity when a card was read. Idempotent per
   * `requestId` (a retry after a lost answer returns the same ticket).
   */
  'ticket.take': request<CitizenTicket>()(
    z
      .object({
        categoryId: z.string().min(1).max(41),
        priority: z.enum(DECLARABLE_PRIORITIES).optional(),
        requestId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
        lang,
      })
      .strict(),
  ),
  /** Prints (or reprints after a fault) a ticket issued or checked in during this session. */
  'ticket.print': request<ReceiptPrintOutcome>()(z.object({ ticketId: z.number().int().positive(), lang }).strict()),
  /** 预约签到 by the appointment code, or by the ID card read in this session (`{ card: true }`). */
  'checkin.appointment': request<CitizenTicket>()(z.union([codeSource, z.object({ card: z.literal(true) }).strict()])),
  'guide.groups': request<GuideGroup[]>()(z.object({ by: z.enum(['theme', 'department', 'lifeEvent']) }).strict()),
  'guide.list': request<GuideSummary[]>()(
    z.object({ by: z.enum(['theme', 'department', 'lifeEvent']), key: z.string().min(1).max(60) }).strict(),
  ),
  /** Keyword / pinyin-initials search (`sbk` → 社保卡…), best first. */
  'guide.search': request<GuideSummary[]>()(
    z.object({ query: z.string().max(60), limit: z.number().int().min(1).max(50).default(20) }).strict(),
  ),
  'guide.item': request<ServiceItem>()(z.object({ id: z.string().min(1).max(20) }).strict()),
  /** Prints the 一次性告知 material checklist of an item on the receipt printer. */
  'guide.printChecklist': request<ReceiptPrintOutcome>()(z.object({ id: z.string().min(1).max(20), lang }).strict()),
  /** Printable documents and the most copies one print may ask for (config devices.a4Printer.maxCopies). */
  'documents.list': request<{ documents: PrintableDocument[]; maxCopies: number }>()(none),
  'documents.preview': request<DocumentPreview>()(
    z.object({ id: z.string().min(3).max(60), lang, maxPages: z.number().int().min(1).max(10).default(4) }).strict(),
  ),
  /** Sends the document to the A4 printer (CUPS); copies 1..config maxCopies. */
  'documents.print': request<{ jobId: string }>()(
    z.object({ id: z.string().min(3).max(60), lang, copies: z.number().int().min(1).max(20) }).strict(),
  ),
  'documents.job': request<{ state: A4JobState; reason?: string }>()(z.object({ jobId: z.string().min(1).max(80) }).strict()),
  /** The ticket to rate: by id (taken in this session) or by its scanned QR code. */
  'rating.ticket': request<CitizenTicket>()(z.object({ ticket: ticketRef }).strict()),
  /** 好差评: level 5 非常满意 … 1 非常不满意; a reason is required for levels 2 and 1. One rating per ticket. */
  'rating.submit': request<{ ticketNumber: string; level: number; followUp: boolean }>()(
    z
      .object({ ticket: ticketRef, level: z.number().int().min(1).max(5), reason: z.string().trim().max(500).optional() })
      .strict(),
  ),
  /** 呼叫帮办: raises a help request for the hall's staff. */
  'help.request': request<HelpRequestView>()(z.object({ screen: z.string().regex(/^[a-z-]{2,30}$/) }).strict()),
  /** Cancels a help request raised from this page (the citizen no longer needs it). */
  'help.cancel': request<HelpRequestView>()(z.object({ id: z.number().int().positive() }).strict()),
  /** Open help requests, for the manager console. */
  'help.list': request<HelpRequestView[]>()(z.object({ status: z.enum(['open', 'acknowledged', 'closed']).optional() }).strict(), 'staff'),
  'help.update': request<HelpRequestView>()(
    z.object({ id: z.number().int().positive(), status: z.enum(['acknowledged', 'closed']) }).strict(),
    'staff',
  ),
} as const;

export const citizenEvents = {
  /** A citizen pressed 呼叫帮办 (for the staff console and the hall display). */
  'help-requested': event<HelpRequestView>(),
  /** A help request was acknowledged by staff (the kiosk says “工作人员正在赶来”), closed or cancelled. */
  'help-updated': event<HelpRequestView>(),
} as const;

