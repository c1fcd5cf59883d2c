import { useSelector } from '@xstate/react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import { Busy, ErrorMessage, ScreenHeader } from '../components/common.js';
import type { helpMachine } from '../machines/help.machine.js';

export function HelpFlow(props: { actor: ActorRefFrom<typeof helpMachine>; staffed: boolean; phone: string }) {
  const { t } = useTranslation();
  const state = useSelector(props.actor, (s) => s);
  const send = props.actor.send;
  if (state.matches('sending')) return <Busy label={t('help.sending')} />;
  return (
    <section aria-labelledby="help-title" data-flow-state={String(state.value)}>
      <ScreenHeader id="help-title" title={t('help.title')} />
      {state.matches('sent') ? (
        <p className="note ok big-note" role="status" data-testid="help-sent">{props.staffed ? t('help.sent') : t('help.sentUnstaffed', { phone: props.phone })}</p>
      ) : (
        <ErrorMessage code={state.context.errorCode}>
          <p>{t('help.phone', { phone: props.phone })}</p>
        </ErrorMessage>
      )}
      <div className="actions">
        {state.matches('failed') && <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>}
        <button type="button" className="secondary big" onClick={() => send({ type: 'DONE' })}>{t('common.home')}</button>
      </div>
    </section>
  );
}
