import { useTranslation } from 'react-i18next';
import type { CitizenIdentityView, PublicConfig } from '../../../main/contract/index.js';
import type { ReceiptPrinterProblem } from '../../../main/contract/ticketing.js';
import { Icon, type IconName } from '../components/common.js';
import type { FlowName } from '../machines/kiosk.machine.js';

const TILES: { flow: FlowName; icon: IconName }[] = [
  { flow: 'ticket', icon: 'ticket' },
  { flow: 'checkin', icon: 'checkin' },
  { flow: 'guide', icon: 'guide' },
  { flow: 'print', icon: 'print' },
  { flow: 'rating', icon: 'rating' },
  { flow: 'help', icon: 'help' },
];

/**
 * `queueAvailable` is false on a client kiosk while the hall's queue host cannot be reached: the 取号 and 预约签到
 * tiles say 取号暂不可用 and do nothing (no ticket the host did not confirm is ever printed); guides, printing and
 * help keep working.
 */
export function HomeScreen(props: {
  identity: CitizenIdentityView | null;
  queueAvailable?: boolean;
  /** Why the receipt printer cannot print (said before the citizen starts), and what the hall does then. */
  printerProblem?: ReceiptPrinterProblem | null;
  whenPrinterDown?: PublicConfig['whenPrinterDown'];
  onOpen: (flow: FlowName) => void;
  onExit: () => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="home" aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      {props.identity && (
        <p className="identity-chip" data-testid="identity-chip">
          {t('home.identified', { name: props.identity.maskedName })}
        </p>
      )}
      {props.queueAvailable === false && (
        <p className="notice-panel" role="status" data-testid="queue-unavailable">
          {t('home.queueUnavailable')}
        </p>
      )}
      {props.printerProblem && (
        <p className="notice-panel printer-down" role="status" data-testid="printer-down" data-policy={props.whenPrinterDown}>
          <strong className="printer-down-reason">{t(`home.printerDown.reason.${props.printerProblem}`)}</strong>{' '}
          <span>{props.whenPrinterDown === 'refuse' ? t('home.printerDown.refuse') : t('home.printerDown.screenTicket')}</span>
        </p>
      )}
      <div className="tiles">
        {TILES.map((tile) => {
          const queueTile = tile.flow === 'ticket' || tile.flow === 'checkin';
          const paused = queueTile && props.printerProblem != null && props.whenPrinterDown === 'refuse';
          const off = (props.queueAvailable === false && queueTile) || paused;
          return (
            <button key={tile.flow} type="button" className={`tile tile-${tile.flow}`} data-testid={`tile-${tile.flow}`} aria-disabled={off}
              onClick={() => !off && props.onOpen(tile.flow)}>
              <Icon name={tile.icon} />
              <span className="tile-label">{t(`home.tiles.${tile.flow}.label`)}</span>
              <span className="tile-sub">{paused ? t('home.printerDown.short') : off ? t('home.queueUnavailableShort') : t(`home.tiles.${tile.flow}.sub`)}</span>
            </button>
          );
        })}
      </div>
      <button type="button" className="secondary exit" onClick={props.onExit}>
        {t('home.exit')}
      </button>
    </section>
  );
}
