import { useTranslation } from 'react-i18next';
import type { PublicConfig } from '../../../main/contract/index.js';
import { pickText, type Language } from '../../../kiosk-config/i18n.js';

/** Always visible: hall name, language switch, elderly-mode switch, and 呼叫帮办 during a session. */
export function TopBar(props: {
  config: PublicConfig;
  lang: Language;
  onLang: (l: Language) => void;
  elderly: boolean;
  onElderly: () => void;
  onHelp?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  return (
    <header className="top-bar">
      <div className="hall-name">{pickText(props.config.hall.name, props.lang)}</div>
      <nav className="switches" aria-label={t('common.settings')}>
        {props.config.kiosk.languages.map((l) => (
          <button key={l} type="button" className={`chip ${l === props.lang ? 'active' : ''}`} aria-pressed={l === props.lang} lang={l} onClick={() => props.onLang(l)}>
            {t(`lang.${l}`)}
          </button>
        ))}
        <button type="button" className={`chip elderly-switch ${props.elderly ? 'active' : ''}`} aria-pressed={props.elderly} onClick={props.onElderly}>
          {props.elderly ? t('elderly.on') : t('elderly.off')}
        </button>
        {props.onHelp && (
          <button type="button" className="chip help-chip" data-testid="help-button" onClick={props.onHelp}>
            {t('home.tiles.help.label')}
          </button>
        )}
      </nav>
    </header>
  );
}
