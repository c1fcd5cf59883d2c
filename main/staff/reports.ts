import type { QueueStats, DurationSummary } from '../queue/stats.js';
import type { PdfDocumentSpec } from '../../drivers/a4/pdf.js';
import type { Db } from '../storage/database.js';
import { DEFAULT_UTC_OFFSET, formatHallDateTime } from '../../kiosk-config/hall-clock.js';

/** What the printers used in a range (print_log, migration 0004). */
export interface PrintUsage {
  receiptPrints: number;
  receiptPaperMm: number;
  a4Jobs: number;
  a4Sheets: number;
}

export interface HallReport {
  hallName: string;
  fromDay: string;
  toDay: string;
  stats: QueueStats;
  prints: PrintUsage;
  /** Category id → its zh-CN name, so tables say 社保医保, not `social-security` (an unknown id shows as itself). */
  categoryNames?: Record<string, string>;
  /** The hall's UTC offset for the printed time, default +08:00. */
  utcOffset?: string;
}

const categoryName = (r: HallReport, id: string) => r.categoryNames?.[id] ?? id;

/** Records one print job; called by the printing code (receipt: paper length in mm; A4: sheets). */
export function recordPrint(db: Db, entry: { at: number; device: 'receiptPrinter' | 'a4Printer'; kind: string; paperMm?: number; sheets?: number }): void {
  db.prepare(`INSERT INTO print_log (at, device, kind, paper_mm, sheets) VALUES (?, ?, ?, ?, ?)`).run(
    entry.at,
    entry.device,
    entry.kind,
    Math.max(0, Math.round(entry.paperMm ?? 0)),
    Math.max(0, Math.round(entry.sheets ?? 0)),
  );
}

export function printUsage(db: Db, range: { from: Date; to: Date }): PrintUsage {
  const rows = db
    .prepare(`SELECT device, COUNT(*) AS n, SUM(paper_mm) AS mm, SUM(sheets) AS sheets FROM print_log WHERE at >= ? AND at < ? GROUP BY device`)
    .all(range.from.getTime(), range.to.getTime()) as { device: string; n: number; mm: number | null; sheets: number | null }[];
  const r = rows.find((x) => x.device === 'receiptPrinter');
  const a = rows.find((x) => x.device === 'a4Printer');
  return { receiptPrints: r?.n ?? 0, receiptPaperMm: r?.mm ?? 0, a4Jobs: a?.n ?? 0, a4Sheets: a?.sheets ?? 0 };
}

const fmt = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const dur = (d: DurationSummary) => [String(d.n), fmt(d.avgMinutes), fmt(d.p90Minutes)];

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The report as CSV: several titled tables one after another (BOM + CRLF so Excel reads Chinese). Ratings appear
 * with level, label, reason and window only; no ticket holder's data exists in the statistics to begin with.
 */
export function reportToCsv(r: HallReport): string {
  const s = r.stats;
  const rows: (string | number)[][] = [];
  const table = (title: string, header: string[], body: (string | number)[][]) => {
    rows.push([title], header, ...body, []);
  };
  rows.push(['report', `${r.hallName} ${r.fromDay}..${r.toDay}`], []);
  table('tickets per hour', ['hour', 'issued'], s.ticketsPerHour.map((h) => [h.hour, h.issued]));
  table(
    'per category',
    ['category', 'category id', 'issued', 'called', 'served', 'no-shows', 'transfers', 'waits', 'avg wait min', 'p90 wait min', 'services', 'avg service min', 'p90 service min'],
    s.perCategory.map((c) => [categoryName(r, c.categoryId), c.categoryId, c.issued, c.called, c.served, c.noShows, c.transfers, ...dur(c.wait), ...dur(c.service)]),
  );
  table('per counter', ['window', 'calls', 'served', 'services', 'avg service min', 'p90 service min'], s.perCounter.map((c) => [c.window, c.calls, c.served, ...dur(c.service)]));
  table('no-show rate', ['rate'], [[pct(s.noShowRate)]]);
  const a = s.appointments;
  table('appointments', ['checked in', 'early', 'on time', 'late', 'avg offset min'], [[a.checkedIn, a.early, a.onTime, a.late, fmt(a.avgOffsetMinutes)]]);
  table('ratings', ['level', 'label', 'count'], s.ratings.distribution.map((d) => [d.level, d.label, d.count]));
  table('bad ratings', ['number', 'level', 'reason', 'window', 'at'], s.ratings.bad.map((b) => [b.number, b.level, b.reason, b.window ?? '', b.at]));
  table('prints', ['receipt prints', 'receipt paper mm', 'A4 jobs', 'A4 sheets'], [[r.prints.receiptPrints, r.prints.receiptPaperMm, r.prints.a4Jobs, r.prints.a4Sheets]]);
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The printable report (A4, Chinese), rendered by drivers/a4/pdf.ts. */
export function reportToPdfSpec(r: HallReport, printedAt: Date): PdfDocumentSpec {
  const s = r.stats;
  return {
    title: `${r.hallName} 服务统计报告`,
    subtitle: `统计期间 ${r.fromDay} 至 ${r.toDay}`,
    footer: `${r.hallName} · 打印于 ${formatHallDateTime(printedAt, r.utcOffset ?? DEFAULT_UTC_OFFSET)}`,
    sections: [
      {
        heading: '概况',
        list: [
          `取号总数：${s.perCategory.reduce((n, c) => n + c.issued, 0)}`,
          `过号率：${pct(s.noShowRate)}`,
          `评价数：${s.ratings.count}，满意率：${pct(s.ratings.satisfactionRate)}`,
          `小票打印 ${r.prints.receiptPrints} 张（用纸 ${(r.prints.receiptPaperMm / 1000).toFixed(2)} 米），A4 打印 ${r.prints.a4Jobs} 次 ${r.prints.a4Sheets} 页`,
        ],
      },
      {
        heading: '分时段取号量',
        table: { columns: [{ header: '时段' }, { header: '取号数', align: 'right' }], rows: s.ticketsPerHour.filter((h) => h.issued > 0).map((h) => [`${h.hour}:00-${h.hour + 1}:00`, h.issued]) },
      },
      {
        heading: '按业务类别',
        table: {
          columns: [
            { header: '类别', width: 2 },
            { header: '取号', align: 'right' },
            { header: '办结', align: 'right' },
            { header: '过号', align: 'right' },
            { header: '平均等候(分)', align: 'right', width: 1.4 },
            { header: 'P90等候(分)', align: 'right', width: 1.4 },
            { header: '平均办理(分)', align: 'right', width: 1.4 },
            { header: 'P90办理(分)', align: 'right', width: 1.4 },
          ],
          rows: s.perCategory.map((c) => [categoryName(r, c.categoryId), c.issued, c.served, c.noShows, fmt(c.wait.avgMinutes), fmt(c.wait.p90Minutes), fmt(c.service.avgMinutes), fmt(c.service.p90Minutes)]),
        },
      },
      {
        heading: '按窗口',
        table: {
          columns: [{ header: '窗口' }, { header: '呼叫', align: 'right' }, { header: '办结', align: 'right' }, { header: '平均办理(分)', align: 'right' }, { header: 'P90办理(分)', align: 'right' }],
          rows: s.perCounter.map((c) => [c.window, c.calls, c.served, fmt(c.service.avgMinutes), fmt(c.service.p90Minutes)]),
        },
      },
      {
        heading: '预约守时',
        paragraphs: [
          `签到 ${s.appointments.checkedIn} 人：提前 ${s.appointments.early}，准时 ${s.appointments.onTime}，迟到 ${s.appointments.late}；平均偏差 ${fmt(s.appointments.avgOffsetMinutes)} 分钟。`,
        ],
      },
      {
        heading: '好差评',
        table: { columns: [{ header: '等级' }, { header: '评价', width: 2 }, { header: '数量', align: 'right' }], rows: s.ratings.distribution.map((d) => [d.level, d.label, d.count]) },
      },
      ...(s.ratings.bad.length > 0
        ? [
            {
              heading: '差评及原因（需整改跟进）',
              table: {
                columns: [{ header: '号码' }, { header: '等级' }, { header: '窗口' }, { header: '原因', width: 4 }],
                rows: s.ratings.bad.map((b) => [b.number, b.level, b.window ?? '', b.reason]),
              },
            },
          ]
        : []),
    ],
  };
}
