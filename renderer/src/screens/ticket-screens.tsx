import { useSelector } from '@xstate/react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import { DECLARABLE_PRIORITIES, type CategoryAvailability } from '../../../main/contract/index.js';
import { ownText, pickText, type Language } from '../../../kiosk-config/i18n.js';
import { Busy, ErrorMessage, rowsStyle, ScreenHeader, usePaged, usePerPage } from '../components/common.js';
import type { ticketMachine } from '../machines/ticket.machine.js';
import { IdentifyPanel, IdentityConfirm } from './identify-screens.js';
import { TicketCard } from './ticket-view.js';

type TicketRef = ActorRefFrom<typeof ticketMachine>;

export function TicketFlow(props: { actor: TicketRef; lang: Language; elderly: boolean }) {
  const { t } = useTranslation();
  const state = useSelector(props.actor, (s) => s);
  const send = props.actor.send;
  const ctx = state.context;
  const back = () => send({ type: 'BACK' });
  const categoriesPerPage = usePerPage({ portrait: 6, landscape: 6, elderlyPortrait: 3, elderlyLandscape: 4 });

  if (state.matches('identify')) {
    return (
      <section aria-labelledby="ticket-title" data-flow-state="identify">
        <ScreenHeader id="ticket-title" title={t('ticket.identifyTitle')} hint={t('ticket.identifyHint')} onBack={back} />
        <IdentifyPanel onWithoutId={() => send({ type: 'CONTINUE_WITHOUT_ID' })} />
      </section>
    );
  }
  if (state.matches('confirm') && ctx.identity) {
    return (
      <section aria-labelledby="ticket-title" data-flow-state="confirm">
        <ScreenHeader id="ticket-title" title={t('identify.thisIsYou')} onBack={back} />
        <IdentityConfirm identity={ctx.identity} onConfirm={() => send({ type: 'CONFIRM' })} onReject={() => send({ type: 'REJECT' })} />
      </section>
    );
  }
  if (state.matches('categories')) {
    return (
      <section aria-labelledby="ticket-title" data-flow-state="categories">
        <ScreenHeader id="ticket-title" title={t('ticket.chooseTitle')} hint={t('ticket.chooseHint')} onBack={back} />
        {ctx.printerProblem && (
          <p className="note printer-down" role="status" data-testid="printer-down-note">
            {t(`home.printerDown.reason.${ctx.printerProblem}`)} · {t('home.printerDown.screenTicket')}
          </p>
        )}
        {state.matches({ categories: 'loading' }) && <Busy label={t('common.loading')} />}
        {state.matches({ categories: 'failed' }) && (
          <ErrorMessage code={ctx.errorCode}>
            <button type="button" className="primary" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>
          </ErrorMessage>
        )}
        {state.matches({ categories: 'needId' }) && (
          <div className="notice-panel" role="alert" data-testid="need-id">
            <p>{t('ticket.needId', { category: ctx.category ? pickText(ctx.category.name, props.lang) : '' })}</p>
            <div className="actions">
              <button type="button" className="primary big" onClick={() => send({ type: 'IDENTIFY' })}>{t('ticket.identifyNow')}</button>
              <button type="button" className="secondary big" onClick={back}>{t('ticket.otherCategory')}</button>
            </div>
          </div>
        )}
        {(state.matches({ categories: 'choosing' }) || state.matches({ categories: 'needId' })) && (
          <CategoryList categories={ctx.categories} lang={props.lang} perPage={categoriesPerPage} onChoose={(id) => send({ type: 'CHOOSE', categoryId: id })} />
        )}
      </section>
    );
  }
  if (state.matches('priority') && ctx.category) {
    const elderly = ctx.identity?.elderly === true;
    return (
      <section aria-labelledby="ticket-title" data-flow-state="priority">
        <ScreenHeader id="ticket-title" title={pickText(ctx.category.name, props.lang)} onBack={back} />
        {elderly ? (
          <p className="note ok big-note" data-testid="elderly-priority">{t('ticket.elderlyPriority')}</p>
        ) : (
          <fieldset className="priority-choice">
            <legend>{t('ticket.priorityQuestion')}</legend>
            <button type="button" className={`choice ${ctx.priority === null ? 'active' : ''}`} aria-pressed={ctx.priority === null} onClick={() => send({ type: 'PRIORITY', priority: null })}>
              {t('ticket.noPriority')}
            </button>
            {DECLARABLE_PRIORITIES.map((p) => (
              <button key={p} type="button" className={`choice ${ctx.priority === p ? 'active' : ''}`} aria-pressed={ctx.priority === p} onClick={() => send({ type: 'PRIORITY', priority: p })}>
                {t(`priority.${p}`)}
              </button>
            ))}
            <p className="hint">{t('ticket.priorityHint')}</p>
          </fieldset>
        )}
        <button type="button" className="primary big wide" data-testid="take-ticket" onClick={() => send({ type: 'TAKE' })}>
          {t('ticket.take')}
        </button>
      </section>
    );
  }
  if (state.matches('issuing')) return <Busy label={t('ticket.issuing')} />;
  if (state.matches('screenTicket') && ctx.ticket) {
    // The printer was known to be down: the number is the ticket. Large, with what to do instead of a slip.
    return (
      <section aria-labelledby="ticket-title" data-flow-state="screenTicket">
        <ScreenHeader id="ticket-title" title={t('ticket.screenTicketTitle')} />
        <p className="note big-note" role="status" data-testid="screen-ticket-hint">{t('ticket.screenTicketHint')}</p>
        <TicketCard ticket={ctx.ticket} lang={props.lang} showQr />
        <div className="actions">
          <button type="button" className="primary big" data-testid="ticket-done" onClick={() => send({ type: 'DONE' })}>
            {t('common.finish')}
          </button>
        </div>
      </section>
    );
  }
  if (state.matches('refused')) {
    const code = ctx.errorCode ?? 'INTERNAL';
    return (
      <section aria-labelledby="ticket-title" data-flow-state="refused">
        <ScreenHeader id="ticket-title" title={t('ticket.refusedTitle')} />
        <ErrorMessage code={code} />
        <div className="actions">
          {code === 'QUEUE_ID_REQUIRED' && <button type="button" className="primary big" onClick={() => send({ type: 'IDENTIFY' })}>{t('ticket.identifyNow')}</button>}
          {(code === 'QUEUE_HOST_UNREACHABLE' || code === 'TRANSPORT_DISCONNECTED' || code === 'INTERNAL') && (
            <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>
          )}
          <button type="button" className="secondary big" onClick={back}>{t('ticket.otherCategory')}</button>
          <button type="button" className="secondary big" onClick={() => send({ type: 'DONE' })}>{t('common.home')}</button>
        </div>
      </section>
    );
  }
  if ((state.matches('printing') || state.matches('done') || state.matches('printFailed')) && ctx.ticket) {
    const failed = state.matches('printFailed');
    return (
      <section aria-labelledby="ticket-title" data-flow-state={String(state.value)}>
        <ScreenHeader id="ticket-title" title={failed ? t('ticket.printFailedTitle') : state.matches('printing') ? t('ticket.printing') : t('ticket.doneTitle')} />
        {state.matches('done') && <p className="note ok" data-testid="ticket-printed">{ctx.print?.statusKnown === false ? t('ticket.printedUnknown') : t('ticket.printed')}</p>}
        {failed && (
          <ErrorMessage code={ctx.errorCode} device="receiptPrinter">
            <p>{t('ticket.printFailedHint')}</p>
          </ErrorMessage>
        )}
        <TicketCard ticket={ctx.ticket} lang={props.lang} showQr={failed} />
        <div className="actions">
          {failed && <button type="button" className="primary big" data-testid="retry-print" onClick={() => send({ type: 'RETRY' })}>{t('ticket.retryPrint')}</button>}
          {!state.matches('printing') && (
            <button type="button" className={failed ? 'secondary big' : 'primary big'} data-testid="ticket-done" onClick={() => send({ type: 'DONE' })}>
              {t('common.finish')}
            </button>
          )}
        </div>
      </section>
    );
  }
  return <Busy label={t('common.loading')} />;
}

function CategoryList(props: { categories: CategoryAvailability[]; lang: Language; perPage: number; onChoose: (id: string) => void }) {
  const { t } = useTranslation();
  const { page, pager } = usePaged(props.categories, props.perPage);
  const columns = usePerPage({ portrait: 1, landscape: 2, elderlyPortrait: 1, elderlyLandscape: 2 });
  return (
    <>
      <ul className="category-list" style={rowsStyle(props.perPage, columns)}>
        {page.map((c) => {
          const closed = c.closedReason !== null;
          return (
            <li key={c.id}>
              <button type="button" className="category" aria-disabled={closed} data-testid={`category-${c.id}`} onClick={() => !closed && props.onChoose(c.id)}>
                <span className="category-prefix" aria-hidden="true">{c.prefix}</span>
                <span className="category-body">
                  <span className="category-name">{pickText(c.name, props.lang)}</span>
                  {c.description && ownText(c.description, props.lang) && <span className="category-desc">{ownText(c.description, props.lang)}</span>}
                  {closed ? (
                    <span className="category-closed">{t(`ticket.closed.${c.closedReason}`)}</span>
                  ) : (
                    <span className="category-stats">
                      {t('ticket.waiting', { count: c.waiting })} · {c.estimatedWaitMinutes > 0 ? t('ticket.waitValue', { count: c.estimatedWaitMinutes }) : t('ticket.noWait')}
                    </span>
                  )}
                  {c.idRequired && <span className="category-id">{t('ticket.idRequired')}</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {pager}
    </>
  );
}
