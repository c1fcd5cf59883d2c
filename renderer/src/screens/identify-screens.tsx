import { useTranslation } from 'react-i18next';
import type { CitizenIdentityView } from '../../../main/contract/index.js';

export function IdentifyScreen(props: { onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="identify" aria-labelledby="identify-title">
      <h1 id="identify-title">{t('identify.title')}</h1>
      <div className="card-hint" aria-hidden="true" />
      <p>{t('identify.hint')}</p>
      <button type="button" className="secondary" onClick={props.onBack}>
        {t('home.back')}
      </button>
    </section>
  );
}

export function IdentifiedScreen(props: { identity: CitizenIdentityView; onConfirm: () => void; onReject: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="identified" aria-labelledby="identified-title">
      <h1 id="identified-title">{t('identify.thisIsYou')}</h1>
      <p className="masked-name" data-testid="masked-name">{props.identity.maskedName}</p>
      <p className="masked-id" data-testid="masked-id">{props.identity.maskedIdNumber}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={props.onConfirm}>
          {t('identify.confirm')}
        </button>
        <button type="button" className="secondary" onClick={props.onReject}>
          {t('identify.notMe')}
        </button>
      </div>
    </section>
  );
}
