import { useTranslation } from 'react-i18next';
import type { PublicConfig } from '../../../main/contract/index.js';
import { clockLang, formatHallDate, formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { ownText, pickText, type Language } from '../../../kiosk-config/i18n.js';
import { hallOpenState, type HallOpenState } from '../machines/opening-hours.js';
import { useHallNow } from './top-bar.js';

/** 周一至周五 09:00–17:00；周六 09:00–12:00 (Mon–Fri 09:00–17:00; Sat 09:00–12:00): runs of days read as ranges. */
export function openingHoursText(weekly: PublicConfig['openingHours']['weekly'], t: (k: string, o?: Record<string, unknown>) => string): string {
  const days = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    const consecutive = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
    if (sorted.length >= 3 && consecutive) return t('common.dayRange', { from: t(`weekday.${sorted[0]}`), to: t(`weekday.${sorted[sorted.length - 1]}`) });
    return sorted.map((d) => t(`weekday.${d}`)).join(t('common.listSeparator'));
  };
  return weekly.map((w) => `${days(w.days)} ${w.open}–${w.close}`).join(t('common.periodSeparator'));
}

export function AttractScreen(props: { config: PublicConfig; lang: Language; now: number; onStart: () => void }) {
  const { t } = useTranslation();
  const now = useHallNow(props.now);
  const offset = props.config.hall.utcOffset;
  const announcements = props.config.announcements.flatMap((a) => {
    const text = ownText(a.text, props.lang);
    return text ? [{ id: a.id, text }] : [];
  });
  const hours = hallOpenState(props.config.openingHours, offset, now);
  return (
    <section className="attract" aria-labelledby="attract-title">
      <h1 id="attract-title" className="attract-hall">{pickText(props.config.hall.name, props.lang)}</h1>
      <p className="attract-clock" aria-live="off">
        <span className="date">{formatHallDate(now, offset, clockLang(props.lang))}</span>
        <span className="time">{formatHallTime(now, offset)}</span>
      </p>
      {/* An announcement without English is left out of the English screen, not shown in Chinese there. */}
      {announcements.length > 0 && (
        <ul className="announcements" aria-label={t('attract.announcements')}>
          {announcements.map((a) => (
            <li key={a.id}>{a.text}</li>
          ))}
        </ul>
      )}
      {!hours.open && (
        <p className="notice-panel hall-closed" role="status" data-testid="hall-closed">
          <strong>{t('attract.closedNow')}</strong>
          {hours.next && <span data-testid="hall-opens-next"> {t('attract.opensNext', { when: nextOpening(hours.next, t) })}</span>}
        </p>
      )}
      <button type="button" className="start-target" onClick={props.onStart}>
        {t('attract.touchToStart')}
      </button>
      <footer className="attract-footer">
        <div>
          {t('attract.hours')}: {openingHoursText(props.config.openingHours.weekly, t)}
        </div>
        <div>
          {t('attract.phone')}: {props.config.hall.phone}
        </div>
        <div className="address">{pickText(props.config.hall.address, props.lang)}</div>
      </footer>
    </section>
  );
}

/** 今天 08:30 / 明天 08:30 / 2026-12-07（星期一）08:30. */
function nextOpening(next: NonNullable<HallOpenState['next']>, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (next.inDays === 0) return t('attract.today', { time: next.time });
  if (next.inDays === 1) return t('attract.tomorrow', { time: next.time });
  return t('attract.onWeekday', { date: next.day, weekday: t(`weekday.${next.weekday}`), time: next.time });
}
