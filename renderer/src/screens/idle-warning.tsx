import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Shown `warningSeconds` before the reset: a visible countdown (number and shrinking bar) and a big 继续办理 button.
 * Any touch (handled by the kiosk root's pointerdown) extends the session, the button included.
 */
export function IdleWarning(props: { seconds: number }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState(props.seconds);
  useEffect(() => {
    const timer = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(timer);
  }, []);
  const share = props.seconds > 0 ? left / props.seconds : 0;
  return (
    <div className="idle-warning" role="alertdialog" aria-modal="true" aria-labelledby="idle-text" data-testid="idle-warning">
      <div className="idle-card">
        <p className="idle-count" aria-hidden="true" data-testid="idle-count">{t('idle.secondsLeft', { count: left })}</p>
        <div className="idle-bar" aria-hidden="true">
          <div className="idle-bar-fill" style={{ transform: `scaleX(${share})` }} />
        </div>
        <p id="idle-text" aria-live="assertive">{t('idle.warning', { seconds: left })}</p>
        <button type="button" className="primary idle-continue" data-testid="idle-continue">
          {t('idle.continue')}
        </button>
      </div>
    </div>
  );
}
