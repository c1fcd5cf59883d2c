import { useTranslation } from 'react-i18next';
import type { CitizenIdentityView } from '../../../main/contract/index.js';
import { Icon } from '../components/common.js';

/** Place the card (animated hint) or scan a code; `onWithoutId` only where the flow allows it. */
export function IdentifyPanel(props: { onWithoutId?: (() => void) | undefined; allowScan?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="identify-panel">
      <div className="identify-options">
        <div className="identify-option">
          <div className="card-hint" aria-hidden="true">
            <Icon name="card" />
          </div>
          <p>{t('identify.hint')}</p>
        </div>
        {props.allowScan && (
          <div className="identify-option">
            <div className="scan-hint" aria-hidden="true">
              <Icon name="scan" />
            </div>
            <p>{t('identify.scanHint')}</p>
          </div>
        )}
      </div>
      {props.onWithoutId && (
        <button type="button" className="secondary big" data-testid="without-id" onClick={props.onWithoutId}>
          {t('identify.withoutId')}
        </button>
      )}
    </div>
  );
}

export function IdentityConfirm(props: { identity: CitizenIdentityView; onConfirm: () => void; onReject: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="identified">
      <p className="masked-name" data-testid="masked-name">{props.identity.maskedName}</p>
      <p className="masked-id" data-testid="masked-id">{props.identity.maskedIdNumber}</p>
      {props.identity.elderly && <p className="note ok" data-testid="elderly-note">{t('identify.elderly')}</p>}
      {props.identity.expired && <p className="note warn">{t('identify.expired')}</p>}
      <p className="note">{t('identify.takeCardLater')}</p>
      <p className="hint" data-testid="keep-card">{t('identify.keepCard')}</p>
      <div className="actions">
        <button type="button" className="primary big" onClick={props.onConfirm} data-testid="confirm-identity">
          {t('identify.confirm')}
        </button>
        <button type="button" className="secondary big" onClick={props.onReject}>
          {t('identify.notMe')}
        </button>
      </div>
    </div>
  );
}

export function IdentifiedScreen(props: { identity: CitizenIdentityView; onConfirm: () => void; onReject: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="identified-screen" aria-labelledby="identified-title">
      <h1 id="identified-title">{t('identify.thisIsYou')}</h1>
      <IdentityConfirm {...props} />
    </section>
  );
}
