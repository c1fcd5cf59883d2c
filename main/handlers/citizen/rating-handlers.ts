import type { Handlers } from '../../core/dispatcher.js';
import { HostError } from '../../errors.js';
import type { CitizenHandlerContext } from './context.js';

/** 好差评: the ticket to rate (taken in this page session, or by its scanned QR) and the rating itself. */
export function ratingHandlers(c: CitizenHandlerContext): Pick<Handlers, 'rating.ticket' | 'rating.submit'> {
  return {
    'rating.ticket': async ({ ticket }, call) => {
      const t = await c.ticketFrom(ticket, call);
      // Rated after service: say so before the citizen chooses a level (the engine enforces it again on rate()).
      if (t.status !== 'serving' && t.status !== 'done') {
        throw new HostError('QUEUE_INVALID_STATE', `ticket ${t.id} has not been served`, { detail: { status: t.status } });
      }
      return c.toCitizen(t);
    },

    'rating.submit': async ({ ticket, level, reason }, call) => {
      const t = await c.ticketFrom(ticket, call);
      const r = await c.deps.queue.rate({ ticketId: t.id, level, ...(reason ? { reason } : {}) });
      return { ticketNumber: t.number, level: r.level, followUp: r.followUp };
    },
  };
}
