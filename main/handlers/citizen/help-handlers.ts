import type { HelpRequestView } from '../../contract/index.js';
import type { Handlers } from '../../core/dispatcher.js';
import { HostError } from '../../errors.js';
import type { CitizenHandlerContext } from './context.js';

interface HelpRow {
  id: number;
  at: number;
  kiosk_id: string;
  screen: string;
  status: HelpRequestView['status'];
}

/**
 * 呼叫帮办: a citizen raises a request (its id is the reference the screen shows), may cancel it from the page that
 * raised it, and sees “工作人员正在赶来” when staff acknowledge it (`help.update` → `help-updated` event).
 */
export function helpHandlers(c: CitizenHandlerContext): Pick<Handlers, 'help.request' | 'help.cancel' | 'help.list' | 'help.update'> {
  const { services } = c;
  /** Which connection raised each open request: only that page may cancel it. */
  const raisedBy = new Map<number, string>();
  const setStatus = (id: number, status: 'acknowledged' | 'closed'): HelpRequestView | undefined => {
    const row = services.db
      .prepare(`UPDATE help_requests SET status = ?, updated_at = ? WHERE id = ? RETURNING *`)
      .get(status, services.now().getTime(), id) as HelpRow | undefined;
    if (!row) return undefined;
    if (status === 'closed') raisedBy.delete(id);
    const view = helpView(row);
    services.hub.emit('help-updated', view);
    return view;
  };

  return {
    'help.request': ({ screen }, call) => {
      const now = services.now().getTime();
      const row = services.db
        .prepare(`INSERT INTO help_requests (at, kiosk_id, screen, status, updated_at) VALUES (?, ?, ?, 'open', ?) RETURNING *`)
        .get(now, c.config().kiosk.id, screen, now) as HelpRow;
      raisedBy.set(row.id, call.connectionId);
      while (raisedBy.size > 50) raisedBy.delete(raisedBy.keys().next().value!);
      const view = helpView(row);
      services.hub.emit('help-requested', view);
      return view;
    },

    'help.cancel': ({ id }, call) => {
      if (raisedBy.get(id) !== call.connectionId) throw new HostError('BAD_REQUEST', `help request ${id} was not raised on this screen`);
      const view = setStatus(id, 'closed');
      if (!view) throw new HostError('BAD_REQUEST', `no help request ${id}`);
      return view;
    },

    'help.list': ({ status }) =>
      (
        services.db
          .prepare(`SELECT * FROM help_requests WHERE (@status IS NULL OR status = @status) ORDER BY at DESC LIMIT 100`)
          .all({ status: status ?? null }) as HelpRow[]
      ).map(helpView),

    'help.update': ({ id, status }) => {
      const view = setStatus(id, status);
      if (!view) throw new HostError('BAD_REQUEST', `no help request ${id}`);
      return view;
    },
  };
}

function helpView(r: HelpRow): HelpRequestView {
  return { id: r.id, at: new Date(r.at).toISOString(), kioskId: r.kiosk_id, screen: r.screen, status: r.status };
}
