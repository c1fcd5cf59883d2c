import { formatHallDateTime } from '../../kiosk-config/hall-clock.js';
import { EscPosEncoder, type PrintJob } from '../../drivers/escpos/encoder.js';
import type { PrinterProfile } from '../../drivers/escpos/profiles.js';
import { pickText, type Language, type LocalizedText } from '../../kiosk-config/i18n.js';
import type { CitizenTicket } from '../contract/index.js';
import { ticketAheadText, ticketWaitText, ticketWindowsText } from '../contract/ticket-text.js';

/**
 * Receipt layouts of the citizen flows on the ESC/POS printer: the queue ticket (取号凭条) and the 一次性告知
 * material checklist. Privacy: a ticket carries the number, category, its windows, hall, time, people ahead, the
 * estimated wait (worded as on the follow page: main/contract/ticket-text.ts), 当日有效 and the QR code
 * (`<publicBaseUrl>/t/<token>` or `HKT:<token>`, see CitizenTicket);
 * never a name or an ID number (there is no parameter that could carry one). Phone follow-up is promised only when
 * the QR code is a URL a phone can open.
 */

const LABELS = {
  ticketTitle: { 'zh-CN': '取号凭条', 'zh-TW': '取號憑條', en: 'Queue ticket' },
  appointmentTitle: { 'zh-CN': '预约签到凭条', 'zh-TW': '預約簽到憑條', en: 'Appointment check-in' },
  issuedAt: { 'zh-CN': '取号时间', 'zh-TW': '取號時間', en: 'Issued' },
  ahead: { 'zh-CN': '前面等候', 'zh-TW': '前面等候', en: 'People ahead' },
  wait: { 'zh-CN': '预计等候', 'zh-TW': '預計等候', en: 'Estimated wait' },
  windows: { 'zh-CN': '办理窗口', 'zh-TW': '辦理窗口', en: 'Window' },
  validToday: { 'zh-CN': '当日有效', 'zh-TW': '當日有效', en: 'Valid today only' },
  priority: { 'zh-CN': '优先', 'zh-TW': '優先', en: 'Priority' },
  // Only when the QR code is the follow page's URL (network.publicBaseUrl): a phone can open it.
  qrHint: { 'zh-CN': '扫码查看排队进度、评价服务', 'zh-TW': '掃碼查看排隊進度、評價服務', en: 'Scan to follow the queue and rate the service' },
  // `HKT:<token>` only a kiosk scanner reads: promise nothing a phone cannot do.
  qrHintKiosk: { 'zh-CN': '办理后可在自助机扫此码评价服务', 'zh-TW': '辦理後可在自助機掃此碼評價服務', en: 'After service, scan this code at a kiosk to rate it' },
  notice: {
    'zh-CN': '请留意叫号屏幕和语音，过号请到服务台咨询。',
    'zh-TW': '請留意叫號屏幕和語音，過號請到服務台諮詢。',
    en: 'Watch the call screen and listen for your number. Missed it? Ask at the service desk.',
  },
  printedAt: { 'zh-CN': '打印时间', 'zh-TW': '打印時間', en: 'Printed' },
} as const satisfies Record<string, Required<LocalizedText>>;

const PRIORITY_NAMES = {
  elderly: { 'zh-CN': '长者', 'zh-TW': '長者', en: 'Senior' },
  disability: { 'zh-CN': '残疾人', 'zh-TW': '殘疾人', en: 'Disability' },
  pregnancy: { 'zh-CN': '孕妇', 'zh-TW': '孕婦', en: 'Pregnancy' },
  military: { 'zh-CN': '军人', 'zh-TW': '軍人', en: 'Military' },
  appointment: { 'zh-CN': '预约', 'zh-TW': '預約', en: 'Appointment' },
} as const satisfies Record<NonNullable<CitizenTicket['priority']>, Required<LocalizedText>>;

export interface ReceiptContext {
  hallName: LocalizedText;
  lang: Language;
  profile: PrinterProfile;
  /** Hall's UTC offset `+08:00`. */
  utcOffset: string;
  now: Date;
}

/** True when the QR payload is a follow-page URL a phone can open (not the kiosk-only `HKT:` form). */
export function isFollowUrl(qrPayload: string): boolean {
  return /^https?:\/\//i.test(qrPayload);
}

/** Local `YYYY-MM-DD HH:MM` in the hall's time zone. */
export function hallDateTime(at: Date, utcOffset: string): string {
  return formatHallDateTime(at, utcOffset);
}

export function ticketReceipt(ticket: CitizenTicket, ctx: ReceiptContext): Uint8Array {
  return ticketReceiptJob(ticket, ctx).bytes;
}

/** The ticket as a print job: its bytes with the lines and paper length it takes (for the print log and counters). */
export function ticketReceiptJob(ticket: CitizenTicket, ctx: ReceiptContext): PrintJob {
  const l = (k: keyof typeof LABELS) => LABELS[k][ctx.lang];
  const e = new EscPosEncoder({ profile: ctx.profile });
  e.initialize().align('center').bold().wrap(pickText(ctx.hallName, ctx.lang)).bold(false);
  e.textLine(ticket.appointment ? l('appointmentTitle') : l('ticketTitle'));
  e.rule();
  // GS ! 0x33: 4x width and height for the number, readable from arm's length.
  e.size(4, 4).bold().textLine(ticket.number).bold(false).size(1, 1);
  e.size(2, 2).wrap(pickText(ticket.categoryName, ctx.lang)).size(1, 1);
  if (ticket.priority) e.bold().textLine(`${l('priority')}: ${PRIORITY_NAMES[ticket.priority][ctx.lang]}`).bold(false);
  e.align('left').rule();
  e.line(l('issuedAt'), hallDateTime(new Date(ticket.issuedAt), ctx.utcOffset));
  e.line(l('ahead'), ticketAheadText(ctx.lang, ticket.peopleAhead));
  e.line(l('wait'), ticketWaitText(ctx.lang, ticket.peopleAhead, ticket.estimatedWaitMinutes));
  if (ticket.windows && ticket.windows.length > 0) e.line(l('windows'), ticketWindowsText(ctx.lang, ticket.windows));
  e.rule();
  e.align('center').qr(ticket.qrPayload, { moduleSize: 6, errorLevel: 'M' });
  e.wrap(isFollowUrl(ticket.qrPayload) ? l('qrHint') : l('qrHintKiosk'));
  e.bold().textLine(l('validToday')).bold(false);
  e.align('left').wrap(l('notice'));
  e.line(l('printedAt'), hallDateTime(ctx.now, ctx.utcOffset));
  return e.cut('partial').job();
}

/** The material checklist: lines already wrapped to the profile's columns by `materialChecklistLines`. */
export function checklistReceipt(lines: readonly string[], ctx: ReceiptContext): Uint8Array {
  return checklistReceiptJob(lines, ctx).bytes;
}

export function checklistReceiptJob(lines: readonly string[], ctx: ReceiptContext): PrintJob {
  const e = new EscPosEncoder({ profile: ctx.profile });
  e.initialize().align('center').bold().wrap(pickText(ctx.hallName, ctx.lang)).bold(false).align('left');
  const [title, ...rest] = lines;
  if (title !== undefined) e.bold().textLine(title).bold(false);
  for (const line of rest) e.textLine(line);
  e.rule();
  e.line(LABELS.printedAt[ctx.lang], hallDateTime(ctx.now, ctx.utcOffset));
  return e.cut('partial').job();
}
