import { useTranslation } from 'react-i18next';

export function HomeScreen(props: { onIdentify: () => void; onExit: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="home" aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      <div className="tiles">
        <button type="button" className="tile" onClick={props.onIdentify}>
          {t('identify.title')}
        </button>
      </div>
      <button type="button" className="secondary" onClick={props.onExit}>
        {t('home.exit')}
      </button>
    </section>
  );
}
