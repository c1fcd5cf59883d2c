import { useSelector } from '@xstate/react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import type { Language } from '../../../kiosk-config/i18n.js';
import { Busy, ErrorMessage, ScreenHeader } from '../components/common.js';
import type { checkinMachine } from '../machines/checkin.machine.js';
import { IdentifyPanel } from './identify-screens.js';
import { TicketCard } from './ticket-view.js';

export function CheckinFlow(props: { actor: ActorRefFrom<typeof checkinMachine>; lang: Language }) {
  const { t } = useTranslation();
  const state = useSelector(props.actor, (s) => s);
  const send = props.actor.send;
  const ctx = state.context;
  if (state.matches('waiting') || state.matches('start')) {
    return (
      <section aria-labelledby="checkin-title" data-flow-state="waiting">
        <ScreenHeader id="checkin-title" title={t('checkin.title')} hint={t('checkin.hint')} onBack={() => send({ type: 'BACK' })} />
        <IdentifyPanel allowScan />
        {ctx.identity && (
          <button type="button" className="primary big" data-testid="checkin-use-card" onClick={() => send({ type: 'USE_CARD' })}>
            {t('checkin.useCard', { name: ctx.identity.maskedName })}
          </button>
        )}
      </section>
    );
  }
  if (state.matches('checkingIn')) return <Busy label={t('checkin.checkingIn')} />;
  if (state.matches('refused')) {
    return (
      <section aria-labelledby="checkin-title" data-flow-state="refused">
        <ScreenHeader id="checkin-title" title={t('checkin.refusedTitle')} />
        <ErrorMessage code={ctx.errorCode} />
        <div className="actions">
          <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('checkin.again')}</button>
          <button type="button" className="secondary big" onClick={() => send({ type: 'DONE' })}>{t('common.home')}</button>
        </div>
      </section>
    );
  }
  if (ctx.ticket) {
    const failed = state.matches('printFailed');
    return (
      <section aria-labelledby="checkin-title" data-flow-state={String(state.value)}>
        <ScreenHeader id="checkin-title" title={failed ? t('ticket.printFailedTitle') : t('checkin.doneTitle')} />
        {ctx.ticket.appointment?.alreadyCheckedIn && <p className="note">{t('checkin.already')}</p>}
        {failed && <ErrorMessage code={ctx.errorCode}><p>{t('ticket.printFailedHint')}</p></ErrorMessage>}
        {state.matches('printing') && <Busy label={t('ticket.printing')} />}
        <TicketCard ticket={ctx.ticket} lang={props.lang} showQr={failed} />
        <div className="actions">
          {failed && <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('ticket.retryPrint')}</button>}
          {!state.matches('printing') && <button type="button" className="secondary big" onClick={() => send({ type: 'DONE' })}>{t('common.finish')}</button>}
        </div>
      </section>
    );
  }
  return <Busy label={t('common.loading')} />;
}
