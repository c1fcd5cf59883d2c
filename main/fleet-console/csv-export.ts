import { RATING_LEVELS } from '../../kiosk-config/queue.js';
import type { Db } from '../storage/database.js';

/**
 * CSV for the supervising department (UTF-8 with BOM so that Excel opens Chinese correctly). One row per hall and
 * day: kiosks reporting, tickets, receipts, A4 pages, help requests, idle resets, 好差评 counts by level and the
 * satisfaction rate (levels 3-5 over all). Cells that a spreadsheet would run as a formula are quoted with '.
 */
export function hallDaysCsv(db: Db, range: { from: string; to: string }, hallNames: Map<string, string>): string {
  const rows = db
    .prepare(
      `SELECT day, hall_id AS hallId, COUNT(*) AS kiosks, SUM(tickets) AS tickets, SUM(prints) AS prints, SUM(a4_pages) AS a4Pages,
              SUM(help_requests) AS helpRequests, SUM(idle_resets) AS idleResets,
              SUM(rating_1) AS r1, SUM(rating_2) AS r2, SUM(rating_3) AS r3, SUM(rating_4) AS r4, SUM(rating_5) AS r5
       FROM daily_stats WHERE day >= ? AND day <= ? GROUP BY day, hall_id ORDER BY day, hall_id`,
    )
    .all(range.from, range.to) as {
    day: string;
    hallId: string;
    kiosks: number;
    tickets: number;
    prints: number;
    a4Pages: number;
    helpRequests: number;
    idleResets: number;
    r1: number;
    r2: number;
    r3: number;
    r4: number;
    r5: number;
  }[];
  const levels = [1, 2, 3, 4, 5].map((n) => `好差评-${RATING_LEVELS.find((l) => l.level === n)!['zh-CN']}(${n})`);
  const header = ['日期', '大厅编号', '大厅名称', '上报终端数', '取号数', '凭条打印', 'A4页数', '呼叫帮办', '超时重置', ...levels, '评价总数', '满意率'];
  const lines = [header];
  for (const r of rows) {
    const ratings = [r.r1, r.r2, r.r3, r.r4, r.r5];
    const total = ratings.reduce((a, b) => a + b, 0);
    const satisfied = r.r3 + r.r4 + r.r5;
    lines.push([
      r.day,
      r.hallId,
      hallNames.get(r.hallId) ?? '',
      String(r.kiosks),
      String(r.tickets),
      String(r.prints),
      String(r.a4Pages),
      String(r.helpRequests),
      String(r.idleResets),
      ...ratings.map(String),
      String(total),
      total === 0 ? '' : (satisfied / total).toFixed(3),
    ]);
  }
  return '\uFEFF' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function alertsCsv(db: Db, range: { fromMs: number; toMs: number }): string {
  const rows = db
    .prepare('SELECT id, hall_id, kiosk_id, code, device, severity, message, opened_at, closed_at FROM alerts WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at')
    .all(range.fromMs, range.toMs) as { id: string; hall_id: string; kiosk_id: string; code: string; device: string; severity: string; message: string; opened_at: number; closed_at: number | null }[];
  const lines = [['告警编号', '大厅编号', '终端编号', '代码', '设备', '级别', '说明', '开始时间', '结束时间', '持续分钟']];
  for (const r of rows) {
    lines.push([
      r.id,
      r.hall_id,
      r.kiosk_id,
      r.code,
      r.device,
      r.severity,
      r.message,
      new Date(r.opened_at).toISOString(),
      r.closed_at === null ? '' : new Date(r.closed_at).toISOString(),
      r.closed_at === null ? '' : ((r.closed_at - r.opened_at) / 60_000).toFixed(1),
    ]);
  }
  return '\uFEFF' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function cell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
