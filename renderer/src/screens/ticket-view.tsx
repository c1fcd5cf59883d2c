import { useTranslation } from 'react-i18next';
import type { CitizenTicket } from '../../../main/contract/index.js';
import { pickText, type Language } from '../../../kiosk-config/i18n.js';
import { formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { QrImage } from '../components/common.js';
import { hallUtcOffset } from '../hall-clock.js';

/** The ticket on screen: the number big, category, people ahead, wait, and its QR code (to photograph). */
export function TicketCard(props: { ticket: CitizenTicket; lang: Language; showQr: boolean }) {
  const { t } = useTranslation();
  const tk = props.ticket;
  const time = formatHallTime(Date.parse(tk.issuedAt), hallUtcOffset());
  return (
    <div className="ticket-card" data-testid="ticket-card">
      <p className="ticket-label">{t('ticket.yourNumber')}</p>
      <p className="ticket-number" data-testid="ticket-number">{tk.number}</p>
      <p className="ticket-category">{pickText(tk.categoryName, props.lang)}</p>
      {tk.priority && <p className="ticket-priority">{t(`priority.${tk.priority}`)}</p>}
      <dl className="ticket-facts">
        <dt>{t('ticket.ahead')}</dt>
        <dd data-testid="people-ahead">{t('ticket.aheadValue', { count: tk.peopleAhead })}</dd>
        <dt>{t('ticket.wait')}</dt>
        <dd>{tk.estimatedWaitMinutes > 0 ? t('ticket.waitValue', { count: tk.estimatedWaitMinutes }) : t('ticket.noWait')}</dd>
        <dt>{t('ticket.issuedAt')}</dt>
        <dd>{time}</dd>
      </dl>
      {props.showQr && (
        <div className="ticket-qr">
          <QrImage payload={tk.qrPayload} label={t('ticket.qrLabel', { number: tk.number })} size={220} />
          {/* Phone follow-up only when the code is the follow page's URL (network.publicBaseUrl), not HKT:<token>. */}
          <p>{/^https?:\/\//i.test(tk.qrPayload) ? t('ticket.qrHint') : t('ticket.qrHintKiosk')}</p>
        </div>
      )}
    </div>
  );
}
