import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Shown `warningSeconds` before the reset; any touch (handled by the kiosk root) extends the session. */
export function IdleWarning(props: { seconds: number }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState(props.seconds);
  useEffect(() => {
    const timer = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="idle-warning" role="alertdialog" aria-live="assertive" data-testid="idle-warning">
      <p className="idle-count">{t('idle.warning', { seconds: left })}</p>
      <p>{t('idle.extend')}</p>
    </div>
  );
}
