import { useTranslation } from 'react-i18next';
import type { CitizenIdentityView } from '../../../main/contract/index.js';
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

export function HomeScreen(props: { identity: CitizenIdentityView | null; onOpen: (flow: FlowName) => void; onExit: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="home" aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      {props.identity && (
        <p className="identity-chip" data-testid="identity-chip">
          {t('home.identified', { name: props.identity.maskedName })}
        </p>
      )}
      <div className="tiles">
        {TILES.map((tile) => (
          <button key={tile.flow} type="button" className={`tile tile-${tile.flow}`} data-testid={`tile-${tile.flow}`} onClick={() => props.onOpen(tile.flow)}>
            <Icon name={tile.icon} />
            <span className="tile-label">{t(`home.tiles.${tile.flow}.label`)}</span>
            <span className="tile-sub">{t(`home.tiles.${tile.flow}.sub`)}</span>
          </button>
        ))}
      </div>
      <button type="button" className="secondary exit" onClick={props.onExit}>
        {t('home.exit')}
      </button>
    </section>
  );
}
