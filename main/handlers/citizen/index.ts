import type { Handlers } from '../../core/dispatcher.js';
import type { KioskContext as KioskServices } from '../context.js';
import { createCitizenContext } from './context.js';
import { resolveDeps, type CitizenDeps } from './deps.js';
import { documentHandlers } from './document-handlers.js';
import { guideHandlers } from './guide-handlers.js';
import { helpHandlers } from './help-handlers.js';
import { queueHandlers } from './queue-handlers.js';
import { ratingHandlers } from './rating-handlers.js';

export type { CitizenA4, CitizenDeps, CitizenQueue, CitizenReceipts } from './deps.js';
export { resolveDeps } from './deps.js';
export { closedReason } from './queue-handlers.js';
export { countPdfPages, documentList, pdftoppmPages } from './document-handlers.js';

type CitizenHandlerNames =
  | 'queue.categories'
  | 'ticket.take'
  | 'ticket.print'
  | 'checkin.appointment'
  | 'guide.groups'
  | 'guide.list'
  | 'guide.search'
  | 'guide.item'
  | 'guide.printChecklist'
  | 'documents.list'
  | 'documents.preview'
  | 'documents.print'
  | 'documents.job'
  | 'rating.ticket'
  | 'rating.submit'
  | 'help.request'
  | 'help.cancel'
  | 'help.list'
  | 'help.update';

/**
 * The citizen requests, one group per service (queue, guides, documents, rating, help) over one shared context
 * (config, the session's own tickets, view conversions). Requests that act for a person take the caller's
 * connection from the dispatcher's CallContext: only the page session that owns the identity acts under it.
 */
export function createCitizenHandlers(services: KioskServices, deps: CitizenDeps = resolveDeps(services)): Pick<Handlers, CitizenHandlerNames> {
  const c = createCitizenContext(services, deps);
  return {
    ...queueHandlers(c),
    ...guideHandlers(c),
    ...documentHandlers(c),
    ...ratingHandlers(c),
    ...helpHandlers(c),
  };
}
