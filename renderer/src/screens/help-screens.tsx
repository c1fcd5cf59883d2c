import { useSelector } from '@xstate/react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import { Busy, ErrorMessage, ScreenHeader } from '../components/common.js';
import type { helpMachine } from '../machines/help.machine.js';

export function HelpFlow(props: { actor: ActorRefFrom<typeof helpMachine>; staffed: boolean; phone: string }) {
  const { t } = useTranslation();
  const state = useSelector(props.actor, (s) => s);
  const send = props.actor.send;
  if (state.matches('sending') || state.matches('cancelling')) return <Busy label={t('help.sending')} />;
  const request = state.context.request;
  const stateName = typeof state.value === 'string' ? state.value : Object.keys(state.value)[0]!;
  return (
    <section aria-labelledby="help-title" data-flow-state={stateName}>
      <ScreenHeader id="help-title" title={t('help.title')} />
      {state.matches({ sent: 'acknowledged' }) ? (
        <p className="note ok big-note" role="status" data-testid="help-acknowledged">{t('help.acknowledged')}</p>
      ) : state.matches('sent') ? (
        <p className="note ok big-note" role="status" data-testid="help-sent">{props.staffed ? t('help.sent') : t('help.sentUnstaffed', { phone: props.phone })}</p>
      ) : state.matches('cancelled') ? (
        <p className="note big-note" role="status" data-testid="help-cancelled">{t('help.cancelled')}</p>
      ) : (
        <ErrorMessage code={state.context.errorCode}>
          <p>{t('help.phone', { phone: props.phone })}</p>
        </ErrorMessage>
      )}
 {request && !state.matches('failed') && (
        <p className="help-reference" data-testid="help-reference">{t('help.reference', { id: request.id })}</p>
      )}
      <div className="actions">
        {state.matches('sent') && (
          <button type="button" className="secondary big" data-testid="help-cancel" onClick={() => send({ type: 'CANCEL' })}>{t('help.cancel')}</button>
        )}
        {state.matches('failed') && <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>}
        <button type="button" className="secondary big" onClick={() => send({ type: 'DONE' })}>{t('common.home')}</button>
      </div>
    </section>
  );
}
