import { useSelector } from '@xstate/react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import { RATING_LEVELS } from '../../../kiosk-config/queue.js';
import { pickText, type Language } from '../../../kiosk-config/i18n.js';
import { Busy, ErrorMessage, Icon, ScreenHeader } from '../components/common.js';
import { RATING_REASONS, type ratingMachine } from '../machines/rating.machine.js';

export function RatingFlow(props: { actor: ActorRefFrom<typeof ratingMachine>; lang: Language }) {
  const { t } = useTranslation();
  const state = useSelector(props.actor, (s) => s);
  const send = props.actor.send;
  const ctx = state.context;
  const back = () => send({ type: 'BACK' });

  if (state.matches('choosingTicket') || state.matches('start')) {
    return (
      <section aria-labelledby="rating-title" data-flow-state="choosingTicket">
        <ScreenHeader id="rating-title" title={t('rating.title')} hint={t('rating.hint')} onBack={back} />
        <div className="identify-option">
          <div className="scan-hint" aria-hidden="true"><Icon name="scan" /></div>
          <p>{t('rating.scanTicket')}</p>
        </div>
        {ctx.sessionTickets.length > 0 && (
          <div className="session-tickets">
            <p>{t('rating.orChoose')}</p>
            {ctx.sessionTickets.map((tk) => (
              <button key={tk.ticketId} type="button" className="primary big" data-testid={`rate-ticket-${tk.number}`} onClick={() => send({ type: 'PICK_TICKET', ticketId: tk.ticketId })}>
                {t('rating.ticketButton', { number: tk.number, category: pickText(tk.categoryName, props.lang) })}
              </button>
            ))}
          </div>
        )}
      </section>
    );
  }
  if (state.matches('lookingUp') || state.matches('submitting') || state.matches('checkLevel')) return <Busy label={t('common.loading')} />;
  if (state.matches('choosingLevel') && ctx.ticket) {
    return (
      <section aria-labelledby="rating-title" data-flow-state="choosingLevel">
        <ScreenHeader id="rating-title" title={t('rating.levelTitle', { number: ctx.ticket.number })} hint={t('rating.levelHint')} onBack={back} />
        <div className="levels">
          {RATING_LEVELS.map((l) => (
            <button key={l.level} type="button" className={`level level-${l.level}`} data-testid={`level-${l.level}`} onClick={() => send({ type: 'LEVEL', level: l.level })}>
              <span className="stars" aria-hidden="true">{'★'.repeat(l.level)}{'☆'.repeat(5 - l.level)}</span>
              <span>{l[props.lang]}</span>
            </button>
          ))}
        </div>
      </section>
    );
  }
  if (state.matches('reason')) {
    return (
      <section aria-labelledby="rating-title" data-flow-state="reason">
        <ScreenHeader id="rating-title" title={t('rating.reasonTitle')} hint={t('rating.reasonHint')} onBack={back} />
        <div className="reasons" role="group" aria-label={t('rating.reasonTitle')}>
          {RATING_REASONS.map((r) => {
            const on = ctx.reasons.includes(r);
            return (
              <button key={r} type="button" className={`choice ${on ? 'active' : ''}`} aria-pressed={on} data-testid={`reason-${r}`}
                onClick={() => send({ type: 'TOGGLE_REASON', reason: r, text: t(`rating.reasons.${r}`, { lng: 'zh-CN' }) })}>
                {t(`rating.reasons.${r}`)}
              </button>
            );
          })}
        </div>
        {ctx.reasons.length === 0 && <p className="hint" role="status">{t('rating.reasonRequired')}</p>}
        <button type="button" className="primary big wide" data-testid="submit-rating" disabled={ctx.reasons.length === 0} onClick={() => send({ type: 'SUBMIT' })}>
          {t('rating.submit')}
        </button>
      </section>
    );
  }
  if (state.matches('refused')) {
    return (
      <section aria-labelledby="rating-title" data-flow-state="refused">
        <ScreenHeader id="rating-title" title={t('rating.refusedTitle')} />
        <ErrorMessage code={ctx.errorCode} />
        <div className="actions">
          <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('rating.another')}</button>
          <button type="button" className="secondary big" onClick={() => send({ type: 'DONE' })}>{t('common.home')}</button>
        </div>
      </section>
    );
  }
  if (state.matches('thanks')) {
    return (
      <section aria-labelledby="rating-title" data-flow-state="thanks">
        <ScreenHeader id="rating-title" title={t('rating.thanks')} />
        <p className="note ok" role="status" data-testid="rating-thanks">{ctx.level !== null && ctx.level <= 2 ? t('rating.followUp') : t('rating.thanksHint')}</p>
        <button type="button" className="primary big" onClick={() => send({ type: 'DONE' })}>{t('common.finish')}</button>
      </section>
    );
  }
  return <Busy label={t('common.loading')} />;
}
