import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicConfig } from '../../../main/contract/index.js';
import { formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { pickText, type Language } from '../../../kiosk-config/i18n.js';

/** The hall's time, ticking each second from the host's clock (`hostNow` at boot), read in hall time. */
export function useHallNow(hostNow: number): number {
  const [offset] = useState(() => hostNow - Date.now());
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() + offset), 1000);
    return () => clearInterval(t);
  }, [offset]);
  return now;
}

/** Top edge: what this terminal is and the hall's time. Nothing to press up here (out of reach in portrait). */
export function TopBar(props: { config: PublicConfig; lang: Language; now: number; showClock: boolean }) {
  return (
    <header className="top-bar">
      <div className="hall-name">{pickText(props.config.hall.name, props.lang)}</div>
      {props.showClock && (
        <div className="top-clock" aria-hidden="true">
          {formatHallTime(props.now, props.config.hall.utcOffset)}
        </div>
      )}
    </header>
  );
}

/**
 * Bottom edge, within reach on both cabinets: (the screen's 返回 sits at its left, see ScreenHeader), the language
 * switch, the elderly-mode switch and 呼叫帮办 during a session.
 */
export function BottomBar(props: {
  config: PublicConfig;
  lang: Language;
  onLang: (l: Language) => void;
  elderly: boolean;
  onElderly: () => void;
  onHelp?: (() => void) | undefined;
  /** The screen has more content below the glass: say so where the eye goes. */
  moreBelow?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <nav className="bottom-bar" aria-label={t('common.settings')}>
      {props.moreBelow && (
        <p className="scroll-hint" data-testid="scroll-hint">
          <span aria-hidden="true">▼ </span>
          {t('common.scrollMore')}
        </p>
      )}
      <div className="switches">
        {props.config.kiosk.languages.map((l) => (
          <button key={l} type="button" className={`chip ${l === props.lang ? 'active' : ''}`} aria-pressed={l === props.lang} lang={l} onClick={() => props.onLang(l)}>
            {t(`lang.${l}`)}
          </button>
        ))}
        <button type="button" className={`chip elderly-switch ${props.elderly ? 'active' : ''}`} aria-pressed={props.elderly} onClick={props.onElderly}>
          {props.elderly ? t('elderly.on') : t('elderly.off')}
        </button>
      </div>
      {props.onHelp && (
        <button type="button" className="chip help-chip" data-testid="help-button" onClick={props.onHelp}>
          {t('home.tiles.help.label')}
        </button>
      )}
    </nav>
  );
}
