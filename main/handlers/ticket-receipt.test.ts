import { describe, expect, it } from 'vitest';
import { EscPosDecoder } from '../../drivers/escpos/decoder.js';
import { PRINTER_PROFILES, type PrinterProfile } from '../../drivers/escpos/profiles.js';
import { ReceiptAssembler } from '../../drivers/escpos/receipt.js';
import { HallTime } from '../queue/hall-time.js';
import type { CitizenTicket } from '../contract/index.js';
import { closedReason, countPdfPages } from './citizen/index.js';
import { checklistReceipt, hallDateTime, ticketReceipt, type ReceiptContext } from './ticket-receipt.js';

function decode(bytes: Uint8Array, columns = 48): string {
  const cmds = new EscPosDecoder({ chineseModeAtPowerOn: true }).push(bytes);
  const a = new ReceiptAssembler({ columns, now: () => 0 });
  const out = cmds.map((c) => a.apply(c).cut).filter((r) => r !== undefined);
  const rest = a.finish(true);
  if (rest) out.push(rest);
  return out.map((r) => r.text).join('\n');
}

const ticket: CitizenTicket = {
  ticketId: 1, number: 'A012', categoryId: 'social-security', categoryName: { 'zh-CN': '社保医保', 'zh-TW': '社保醫保', en: 'Social insurance' },
  priority: 'elderly', peopleAhead: 4, estimatedWaitMinutes: 32, issuedAt: '2025-03-03T01:05:00.000Z', status: 'waiting', qrPayload: 'HKT:tok',
};
const ctx = (lang: ReceiptContext['lang'], profile: PrinterProfile = PRINTER_PROFILES['80mm']): ReceiptContext => ({
  hallName: { 'zh-CN': '从化区政务服务中心', 'zh-TW': '從化區政務服務中心', en: 'Conghua Service Centre' },
  lang, profile, utcOffset: '+08:00', now: new Date('2025-03-03T01:06:00.000Z'),
});

describe('ticket receipt', () => {
  it('prints number, category, hall, local time, people ahead, wait, priority and the QR code', () => {
    const bytes = ticketReceipt(ticket, ctx('zh-CN'));
    const text = decode(bytes);
    for (const s of ['从化区政务服务中心', '取号凭条', 'A012', '社保医保', '优先: 长者', '2025-03-03 09:05', '4 人', '约 32 分钟']) expect(text).toContain(s);
    // GS ( k store of the QR payload (UTF-8 "HKT:tok" in the stream).
    expect(Buffer.from(bytes).includes(Buffer.from('HKT:tok'))).toBe(true);
  });

  it('fits a 58 mm printer and speaks English', () => {
    const text = decode(ticketReceipt(ticket, ctx('en', PRINTER_PROFILES['58mm'])), 32);
    expect(text).toContain('Queue ticket');
    expect(text).toContain('about 32 min');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(32);
  });

  it('prints the windows, 当日有效, and no "约 0 分钟" when nobody waits', () => {
    const none = decode(ticketReceipt({ ...ticket, peopleAhead: 0, estimatedWaitMinutes: 0, windows: ['1', '2'] }, ctx('zh-CN')));
    expect(none).toContain('无需等待');
    expect(none).not.toMatch(/0 分钟/);
    expect(none).toMatch(/办理窗口\s+1、2 号窗口/);
    expect(none).toContain('当日有效');
    const en = decode(ticketReceipt({ ...ticket, peopleAhead: 0, estimatedWaitMinutes: 0, windows: ['3'] }, ctx('en', PRINTER_PROFILES['58mm'])), 32);
    expect(en).toContain('no wait');
    expect(en).toContain('window 3');
    expect(en).toContain('Valid today only');
    const tw = decode(ticketReceipt({ ...ticket, peopleAhead: 2, estimatedWaitMinutes: 0 }, ctx('zh-TW')));
    expect(tw).toContain('不到 1 分鐘');
    expect(tw).toContain('當日有效');
  });

  it('promises phone follow-up only when the QR code is the follow page URL', () => {
    const kioskOnly = decode(ticketReceipt(ticket, ctx('zh-CN')));
    expect(kioskOnly).not.toContain('扫码查看排队进度');
    expect(kioskOnly).toContain('自助机扫此码评价服务');
    const url = 'https://hall.example.gov.cn/q/t/Tk_0123456789abcdef';
    const bytes = ticketReceipt({ ...ticket, qrPayload: url }, ctx('zh-CN'));
    expect(decode(bytes)).toContain('扫码查看排队进度');
    // GS ( k fn 80 stores the symbol data: the URL itself is in the byte stream
    expect(Buffer.from(bytes).includes(Buffer.from(url))).toBe(true);
  });

  it('checklist receipt prints the lines it is given under the hall name', () => {
    const text = decode(checklistReceipt(['一次性告知·材料清单', '社会保障卡申领', '1. 居民身份证'], ctx('zh-CN')));
    expect(text).toContain('材料清单');
    expect(text).toContain('1. 居民身份证');
  });

  it('formats hall-local time whatever the machine time zone', () => {
    expect(hallDateTime(new Date('2025-03-03T17:30:00Z'), '+08:00')).toBe('2025-03-04 01:30');
  });
});

describe('category closed reasons', () => {
  const hours = [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00', lastTicket: '16:30' }];
  const t = new HallTime('+08:00');
  const at = (iso: string) => new Date(iso).getTime();
  it('open, before opening, after the last ticket, closed today, holiday', () => {
    expect(closedReason({ hours }, [], [], t, at('2025-03-03T02:00:00Z'))).toBeNull(); // Mon 10:00
    expect(closedReason({ hours }, [], [], t, at('2025-03-03T00:30:00Z'))).toBe('not-open-yet'); // Mon 08:30
    expect(closedReason({ hours }, [], [], t, at('2025-03-03T08:40:00Z'))).toBe('after-last-ticket'); // Mon 16:40
    expect(closedReason({ hours }, [], [], t, at('2025-03-08T02:00:00Z'))).toBe('closed-today'); // Sat
    expect(closedReason({ hours }, ['2025-03-03'], [], t, at('2025-03-03T02:00:00Z'))).toBe('holiday');
    expect(closedReason({ hours }, [], ['2025-03-08'], t, at('2025-03-08T02:00:00Z'))).toBeNull(); // 调休 Saturday
  });
});

describe('countPdfPages', () => {
  it('counts /Type /Page objects, not /Pages', () => {
    expect(countPdfPages(Buffer.from('<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type /Page\n>>'))).toBe(2);
  });
});
