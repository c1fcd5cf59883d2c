import { useSelector } from '@xstate/react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import { formatHallDay, formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { pickText, type Language } from '../../../kiosk-config/i18n.js';
import { hallUtcOffset } from '../hall-clock.js';
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
        {ctx.errorCode === 'QUEUE_APPOINTMENT_UNKNOWN' ? (
          <p className="note big-note" role="alert" data-testid="checkin-not-found">{t('checkin.notFoundOffer')}</p>
        ) : ctx.errorCode === 'QUEUE_APPOINTMENT_TOO_EARLY' && ctx.opensAt ? (
          <p className="note big-note" role="alert" data-testid="checkin-too-early">{t('checkin.tooEarlyAt', { time: hallMoment(ctx.opensAt) })}</p>
        ) : (
          <ErrorMessage code={ctx.errorCode} />
        )}
        <div className="actions">
          {ctx.errorCode === 'QUEUE_APPOINTMENT_UNKNOWN' && (
            <button type="button" className="primary big" data-testid="checkin-take-ticket" onClick={() => send({ type: 'TAKE_TICKET' })}>{t('checkin.takeTicket')}</button>
          )}
          <button type="button" className={ctx.errorCode === 'QUEUE_APPOINTMENT_UNKNOWN' ? 'secondary big' : 'primary big'} onClick={() => send({ type: 'RETRY' })}>{t('checkin.again')}</button>
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
        <div className="checkin-booking" data-testid="checkin-booking">
          <p>{t('checkin.booking', { service: pickText(ctx.ticket.categoryName, props.lang) })}</p>
          {ctx.ticket.appointment && <p>{t('checkin.slot', { time: hallMoment(ctx.ticket.appointment.slotStart) })}</p>}
        </div>
        {state.matches('done') && <p className="note ok" data-testid="checkin-take-slip">{t('checkin.takeSlip')}</p>}
        {state.matches('screenTicket') && <p className="note big-note" role="status" data-testid="screen-ticket-hint">{t('ticket.screenTicketHint')}</p>}
        {failed && <ErrorMessage code={ctx.errorCode} device="receiptPrinter"><p>{t('ticket.printFailedHint')}</p></ErrorMessage>}
        {state.matches('printing') && <Busy label={t('ticket.printing')} />}
        <TicketCard ticket={ctx.ticket} lang={props.lang} showQr={failed || state.matches('screenTicket')} />
        <div className="actions">
          {failed && <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('ticket.retryPrint')}</button>}
          {!state.matches('printing') && <button type="button" className="secondary big" onClick={() => send({ type: 'DONE' })}>{t('common.finish')}</button>}
        </div>
      </section>
    );
  }
  return <Busy label={t('common.loading')} />;
}

/** `09:30` today in hall time, or `2026-12-04 09:30` on another day. */
function hallMoment(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const offset = hallUtcOffset();
  const sameDay = formatHallDay(at, offset) === formatHallDay(Date.now(), offset);
  return sameDay ? formatHallTime(at, offset) : `${formatHallDay(at, offset)} ${formatHallTime(at, offset)}`;
}
