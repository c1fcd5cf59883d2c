import { minutesOfDay, type QueueCategory } from '../../../kiosk-config/queue.js';
import { withTraditional } from '../../catalog/traditional.js';
import type { CategoryAvailability, CategoryClosedReason } from '../../contract/index.js';
import { receiptPrinterProblem } from '../../contract/ticketing.js';
import type { Handlers } from '../../core/dispatcher.js';
import { HostError } from '../../errors.js';
import type { CheckInInput } from '../../queue/engine.js';
import type { HallTime } from '../../queue/hall-time.js';
import { ticketReceiptJob } from '../ticket-receipt.js';
import type { CitizenHandlerContext } from './context.js';

/** 取号 and 预约签到: categories, issuing under the caller's page session's identity, printing, check-in. */
export function queueHandlers(c: CitizenHandlerContext): Pick<Handlers, 'queue.categories' | 'ticket.take' | 'ticket.print' | 'checkin.appointment'> {
  const { services, deps } = c;
  /** `queue.whenPrinterDown: refuse`: no number is issued that the kiosk cannot print (the home screen said so first). */
  const refuseWhenPrinterDown = () => {
    if (c.config().queue.whenPrinterDown !== 'refuse') return;
    const problem = receiptPrinterProblem(services.devices.statuses().find((d) => d.id === 'receiptPrinter'));
    if (problem) throw new HostError('QUEUE_PRINTER_DOWN', 'tickets are paused while the receipt printer cannot print', { detail: { problem } });
  };

  return {
    'queue.categories': async () => {
      const snap = await deps.queue.snapshot();
      const now = services.now().getTime();
      const config = c.config();
      return config.queue.categories.map((cat): CategoryAvailability => {
        const s = snap.categories.find((x) => x.id === cat.id);
        const closed = closedReason(cat, config.queue.holidays, config.queue.extraWorkdays, c.hallTime(), now);
        return {
          id: cat.id,
          prefix: cat.prefix,
          name: cat.name,
          ...(cat.description ? { description: withTraditional(cat.description) } : {}),
          idRequired: cat.idRequired,
          closedReason: closed ?? (s && s.quotaLeft <= 0 ? 'quota-reached' : null),
          waiting: s?.waiting ?? 0,
          estimatedWaitMinutes: s?.estimatedWaitMinutes ?? 0,
          quotaLeft: s?.quotaLeft ?? 0,
        };
      });
    },

    'ticket.take': async ({ categoryId, priority, requestId }, call) => {
      c.categoryOf(categoryId);
      refuseWhenPrinterDown();
      // Only the page session that owns the identity acts under it; any other connection takes an anonymous ticket.
      const person = services.session.personal(call.connectionId);
      const issued = await deps.queue.issueTicket({
        categoryId,
        ...(person ? { idNumber: person.idNumber, birthDate: person.birthDate } : {}),
        ...(priority ? { priority: { reason: priority } } : {}),
        source: 'kiosk',
        deviceId: c.config().kiosk.id,
        requestId,
      });
      return c.remember(c.toCitizen(issued));
    },

    'ticket.print': async ({ ticketId, lang }) => {
      const ticket = c.sessionTicket(ticketId);
      return deps.receipts.printReceipt(ticketReceiptJob(ticket, c.receiptContext(lang)));
    },

    'checkin.appointment': async (input, call) => {
      let by: CheckInInput;
      if ('card' in input) {
        const person = services.session.personal(call.connectionId);
        if (!person) throw new HostError('QUEUE_ID_REQUIRED', 'no ID card was read in this session');
        by = { idNumber: person.idNumber };
      } else {
        by = { code: c.codeOf(input, call) };
      }
      refuseWhenPrinterDown();
      const r = await deps.queue.checkIn(by);
      return c.remember(c.toCitizen(r, { slotStart: r.appointment.slotStart, alreadyCheckedIn: r.appointment.alreadyCheckedIn }));
    },
  };
}

/** Why a category issues no ticket at `now` by its configured hours; null when open. Mirrors the engine's rule. */
export function closedReason(
  c: Pick<QueueCategory, 'hours'>,
  holidays: readonly string[],
  extraWorkdays: readonly string[],
  time: HallTime,
  now: number,
): Exclude<CategoryClosedReason, 'quota-reached'> | null {
  const day = time.day(now);
  if (holidays.includes(day)) return 'holiday';
  const weekday = extraWorkdays.includes(day) ? 1 : time.weekday(now);
  const periods = c.hours.filter((h) => h.days.includes(weekday));
  if (periods.length === 0) return 'closed-today';
  const m = time.minuteOfDay(now);
  for (const h of periods) if (m >= minutesOfDay(h.open) && m < minutesOfDay(h.lastTicket ?? h.close)) return null;
  return periods.some((h) => m < minutesOfDay(h.open)) ? 'not-open-yet' : 'after-last-ticket';
}
