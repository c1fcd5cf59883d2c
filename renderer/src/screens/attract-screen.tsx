import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicConfig } from '../../../main/contract/index.js';
import { pickText, type Language } from '../../../kiosk-config/i18n.js';

function useClock(hostNow: number): Date {
  const [offset] = useState(() => hostNow - Date.now());
  const [now, setNow] = useState(() => new Date(Date.now() + offset));
  useEffect(() => {
    const t = setInterval(() => setNow(new Date(Date.now() + offset)), 1000);
    return () => clearInterval(t);
  }, [offset]);
  return now;
}

export function AttractScreen(props: { config: PublicConfig; lang: Language; now: number; onStart: () => void }) {
  const { t } = useTranslation();
  const now = useClock(props.now);
  const locale = props.lang === 'en' ? 'en-GB' : props.lang;
  return (
    <section className="attract" aria-labelledby="attract-title">
      <h1 id="attract-title" className="attract-hall">{pickText(props.config.hall.name, props.lang)}</h1>
      <p className="attract-clock" aria-live="off">
        <span className="date">{now.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', timeZone: 'Asia/Shanghai' })}</span>
        <span className="time">{now.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' })}</span>
      </p>
      {props.config.announcements.length > 0 && (
        <ul className="announcements" aria-label="announcements">
          {props.config.announcements.map((a) => (
            <li key={a.id}>{pickText(a.text, props.lang)}</li>
          ))}
        </ul>
      )}
      <button type="button" className="start-target" onClick={props.onStart}>
        {t('attract.touchToStart')}
      </button>
      <footer className="attract-footer">
        <div>
          {t('attract.hours')}:{' '}
          {props.config.openingHours.weekly.map((w) => `${w.days.map((d) => t(`weekday.${d}`)).join('、')} ${w.open}–${w.close}`).join('；')}
        </div>
        <div>
          {t('attract.phone')}: {props.config.hall.phone}
        </div>
        <div className="address">{pickText(props.config.hall.address, props.lang)}</div>
      </footer>
    </section>
  );
}
