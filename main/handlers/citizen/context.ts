import type { Language } from '../../../kiosk-config/i18n.js';
import type { QueueCategory } from '../../../kiosk-config/queue.js';
import type { CitizenTicket, RequestParsed } from '../../contract/index.js';
import type { CallContext } from '../../core/dispatcher.js';
import type { KioskContext as KioskServices } from '../context.js';
import { HostError } from '../../errors.js';
import type { IssuedTicket } from '../../queue/engine.js';
import { HallTime } from '../../queue/hall-time.js';
import { followQrPayload, ticketTokenOf } from '../../queue/ticket-link.js';
import type { ReceiptContext } from '../ticket-receipt.js';
import type { CitizenDeps } from './deps.js';

/** Tickets issued or checked in at this kiosk, by id: only these may be (re)printed or rated by id. */
const SESSION_TICKET_TTL_MS = 30 * 60_000;
const SESSION_TICKET_MAX = 20;

/**
 * What the citizen handler groups share: the live config, the session's own tickets (forgotten when the citizen
 * session is wiped: a new page, card removal, time-out), and the conversions to the citizen's view.
 */
export interface CitizenHandlerContext {
  services: KioskServices;
  deps: CitizenDeps;
  config(): KioskServices['currentConfig'];
  hallTime(): HallTime;
  remember(t: CitizenTicket): CitizenTicket;
  sessionTicket(ticketId: number): CitizenTicket;
  categoryOf(id: string): QueueCategory;
  toCitizen(t: IssuedTicket, appointment?: CitizenTicket['appointment']): CitizenTicket;
  receiptContext(lang: Language): ReceiptContext;
  /** The code a ticket or appointment reference points at: given by the renderer, or the caller's session's last scan. */
  codeOf(ref: { code: string } | { scanned: true }, call: CallContext): string;
  ticketFrom(ref: RequestParsed<'rating.ticket'>['ticket'], call: CallContext): Promise<IssuedTicket>;
}

export function createCitizenContext(services: KioskServices, deps: CitizenDeps): CitizenHandlerContext {
  const config = () => services.currentConfig;
  const sessionTickets = new Map<number, { ticket: CitizenTicket; at: number }>();
  // A session's tickets may be reprinted or rated by id only within that session: forget them when it ends.
  services.session.onWipe(() => sessionTickets.clear());

  const sessionTicket = (ticketId: number): CitizenTicket => {
    const e = sessionTickets.get(ticketId);
    if (!e || services.now().getTime() - e.at > SESSION_TICKET_TTL_MS) {
      throw new HostError('QUEUE_TICKET_UNKNOWN', `ticket ${ticketId} was not issued in this session`);
    }
    return e.ticket;
  };
  const categoryOf = (id: string): QueueCategory => {
    const c = config().queue.categories.find((x) => x.id === id);
    if (!c) throw new HostError('QUEUE_CATEGORY_UNKNOWN', `no category ${id}`);
    return c;
  };
  const codeOf = (ref: { code: string } | { scanned: true }, call: CallContext): string => {
    if ('code' in ref) return ref.code;
    const scan = services.session.lastScan(call.connectionId);
    if (!scan) throw new HostError('BAD_REQUEST', 'no code was scanned in this session');
    return scan.payload;
  };

  return {
    services,
    deps,
    config,
    hallTime: () => new HallTime(config().hall.utcOffset),
    remember: (t) => {
      const now = services.now().getTime();
      for (const [id, e] of sessionTickets) if (now - e.at > SESSION_TICKET_TTL_MS) sessionTickets.delete(id);
      sessionTickets.set(t.ticketId, { ticket: t, at: now });
      while (sessionTickets.size > SESSION_TICKET_MAX) sessionTickets.delete(sessionTickets.keys().next().value!);
      return t;
    },
    sessionTicket,
    categoryOf,
    toCitizen: (t, appointment) => ({
      ticketId: t.id,
      number: t.number,
      categoryId: t.categoryId,
      categoryName: categoryOf(t.categoryId).name,
      priority: t.priority,
      peopleAhead: t.peopleAhead,
      estimatedWaitMinutes: t.estimatedWaitMinutes,
      issuedAt: t.issuedAt,
      status: t.status,
      // The follow page's URL when the hall has a public one (network.publicBaseUrl), else `HKT:<token>`.
      qrPayload: followQrPayload(t.qrPayload, config().network.publicBaseUrl),
      windows: t.targetWindow ? [t.targetWindow] : [...categoryOf(t.categoryId).windows],
      ...(appointment ? { appointment } : {}),
    }),
    receiptContext: (lang) => ({
      hallName: config().hall.name,
      lang,
      profile: deps.receipts.receiptProfile(),
      utcOffset: config().hall.utcOffset,
      now: services.now(),
    }),
    codeOf,
    ticketFrom: async (ref, call) => {
      if ('ticketId' in ref) {
        sessionTicket(ref.ticketId);
        return deps.queue.getTicket({ ticketId: ref.ticketId });
      }
      const code = codeOf(ref, call);
      // Both QR forms: `HKT:<token>` and the follow page URL `<publicBaseUrl>/t/<token>`.
      const token = ticketTokenOf(code);
      if (!token) throw new HostError('QUEUE_TICKET_UNKNOWN', 'the scanned code is not a queue ticket');
      return deps.queue.getTicket({ token });
    },
  };
}
