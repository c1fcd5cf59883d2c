import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useState } from 'react';
import { Bar } from 'react-chartjs-2';
import type { DurationSummaryView, StatsReportView } from '../../../main/contract/index.js';
import { formatHallDay } from '../../../kiosk-config/hall-clock.js';
import { hallUtcOffset } from '../hall-clock.js';
import { download, errorSentence, useCall } from './staff-api.js';

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

const n1 = (v: number | null) => (v === null ? '—' : v.toFixed(1));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const Dur = ({ d }: { d: DurationSummaryView }) => (
  <>
    <td>{n1(d.avgMinutes)}</td>
    <td>{n1(d.p90Minutes)}</td>
  </>
);

/** Statistics for a day range, with the tickets-per-hour chart and CSV / PDF export. */
export function StatsPanel() {
  const call = useCall();
  const today = formatHallDay(Date.now(), hallUtcOffset());
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [report, setReport] = useState<StatsReportView | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = async () => {
    setMessage(null);
    try {
      setReport(await call('stats.report', { from, to }));
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };
  // Today's figures as soon as the tab opens; 统计 reloads for another range.
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const exportAs = async (format: 'csv' | 'pdf') => {
    try {
      download(await call('stats.export', { from, to, format }));
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };

  const s = report?.stats;
  return (
    <div className="staff-stats">
      <div className="staff-actions">
        <label>
          从 <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          至 <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" className="primary" onClick={() => void load()}>
          统计
        </button>
        <button type="button" onClick={() => void exportAs('csv')}>
          导出 CSV
        </button>
        <button type="button" onClick={() => void exportAs('pdf')}>
          导出 PDF 报告
        </button>
      </div>
      {message && <p className="staff-error" role="alert">{message}</p>}
      {s && report && (
        <>
          <div className="staff-chart">
            <Bar
              aria-label="分时段取号量"
              data={{ labels: s.ticketsPerHour.map((h) => `${h.hour}时`), datasets: [{ label: '取号数', data: s.ticketsPerHour.map((h) => h.issued), backgroundColor: '#1f6feb' }] }}
              options={{ animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }}
            />
          </div>
          <p>
            过号率 {pct(s.noShowRate)} · 预约签到 {s.appointments.checkedIn}（提前 {s.appointments.early} / 准时 {s.appointments.onTime} / 迟到 {s.appointments.late}）·
            小票 {report.prints.receiptPrints} 张 {(report.prints.receiptPaperMm / 1000).toFixed(2)} 米 · A4 {report.prints.a4Jobs} 次 {report.prints.a4Sheets} 页
          </p>
          <table className="staff-table" aria-label="按类别">
            <thead>
              <tr>
                <th>类别</th>
                <th>取号</th>
                <th>办结</th>
                <th>过号</th>
                <th>平均等候</th>
                <th>P90 等候</th>
                <th>平均办理</th>
                <th>P90 办理</th>
              </tr>
            </thead>
            <tbody>
              {s.perCategory.map((c) => (
                <tr key={c.categoryId}>
                  <td>{report.categoryNames?.[c.categoryId] ?? c.categoryId}</td>
                  <td>{c.issued}</td>
                  <td>{c.served}</td>
                  <td>{c.noShows}</td>
                  <Dur d={c.wait} />
                  <Dur d={c.service} />
                </tr>
              ))}
            </tbody>
          </table>
          <table className="staff-table" aria-label="按窗口">
            <thead>
              <tr>
                <th>窗口</th>
                <th>呼叫</th>
                <th>办结</th>
                <th>平均办理</th>
                <th>P90 办理</th>
              </tr>
            </thead>
            <tbody>
              {s.perCounter.map((c) => (
                <tr key={c.window}>
                  <td>{c.window}</td>
                  <td>{c.calls}</td>
                  <td>{c.served}</td>
                  <Dur d={c.service} />
                </tr>
              ))}
            </tbody>
          </table>
          <h3>好差评（满意率 {pct(s.ratings.satisfactionRate)}）</h3>
          <ul>
            {s.ratings.distribution.map((d) => (
              <li key={d.level}>
                {d.label}：{d.count}
              </li>
            ))}
          </ul>
          {s.ratings.bad.length > 0 && (
            <table className="staff-table" aria-label="差评原因">
              <thead>
                <tr>
                  <th>号码</th>
                  <th>等级</th>
                  <th>窗口</th>
                  <th>原因</th>
                </tr>
              </thead>
              <tbody>
                {s.ratings.bad.map((b) => (
                  <tr key={b.ticketId}>
                    <td>{b.number}</td>
                    <td>{b.level}</td>
                    <td>{b.window ?? ''}</td>
                    <td>{b.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
