import { useEffect, useRef, useState } from 'react';
import type { TraceEntryView } from '../../../main/contract/index.js';
import { formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { hallUtcOffset } from '../hall-clock.js';
import { errorSentence, useCall } from './staff-api.js';

const DIR = { tx: '→', rx: '←', discarded: '✕' } as const;
const clock = (at: number) => `${formatHallTime(at, hallUtcOffset(), { seconds: true })}.${String(at % 1000).padStart(3, '0')}`;
const MAX_ROWS = 500;

export interface TraceGroup {
  entry: TraceEntryView;
  /** Time of the first entry of the run (entry.at is the latest). */
  firstAt: number;
  count: number;
}

/** How many recent rows a repeated frame is looked for in: one poll cycle of every device (printer: 4 DLE EOT pairs). */
export const REPEAT_WINDOW = 12;

/**
 * Collapses repeats: a frame equal (device, direction, bytes) to one of the last REPEAT_WINDOW rows joins it as
 * "×n" and moves to the end (it is the newest again). The reader's and the printer's status polls every 0.5 s
 * become one row per poll frame with counts instead of flooding the trace, and anything different (a read, an
 * error, a discarded frame) keeps its place in time.
 */
export function collapseTrace(rows: readonly TraceEntryView[]): TraceGroup[] {
  const groups: TraceGroup[] = [];
  const key = (e: TraceEntryView) => `${e.device}|${e.dir}|${e.hex}`;
  for (const e of rows) {
    const k = key(e);
    let at = -1;
    for (let i = groups.length - 1; i >= Math.max(0, groups.length - REPEAT_WINDOW); i--) {
      if (key(groups[i]!.entry) === k) {
        at = i;
        break;
      }
    }
    if (at >= 0) {
      const [same] = groups.splice(at, 1);
      groups.push({ entry: e, firstAt: same!.firstAt, count: same!.count + 1 });
    } else groups.push({ entry: e, firstAt: e.at, count: 1 });
  }
  return groups;
}

/** Live protocol trace (polled every second): the drivers redact frames that carry personal data. */
export function TracePanel() {
  const call = useCall();
  const [rows, setRows] = useState<TraceEntryView[]>([]);
  const [device, setDevice] = useState('');
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const since = useRef(0);

  useEffect(() => {
    if (paused) return;
    const tick = () =>
      call('tech.trace', { since: since.current }).then(
        (r) => {
          since.current = r.next;
          if (r.entries.length) setRows((old) => [...old, ...r.entries].slice(-MAX_ROWS));
          setError(null);
        },
        (e: unknown) => setError(errorSentence(e)),
      );
    void tick();
    const t = setInterval(() => void tick(), 1000);
    return () => clearInterval(t);
  }, [call, paused]);

  const devices = [...new Set(rows.map((r) => r.device))];
  const shown = collapseTrace(rows.filter((r) => !device || r.device === device));
  return (
    <div className="staff-trace">
      <div className="staff-actions">
        <select aria-label="设备" value={device} onChange={(e) => setDevice(e.target.value)}>
          <option value="">全部设备</option>
          {devices.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => setPaused((p) => !p)}>
          {paused ? '继续' : '暂停'}
        </button>
        <button type="button" onClick={() => setRows([])}>
          清空
        </button>
      </div>
      {error && <p className="staff-error" role="alert">{error}</p>}
      <table className="staff-table staff-mono" aria-label="协议跟踪">
        <thead>
          <tr>
            <th>时间</th>
            <th>设备</th>
            <th>方向</th>
            <th>长度</th>
            <th>十六进制</th>
            <th>含义</th>
            <th>次数</th>
          </tr>
        </thead>
        <tbody>
          {shown
            .slice()
            .reverse()
            .map(({ entry: r, firstAt, count }) => (
              <tr key={r.seq} className={r.dir} data-count={count}>
                <td>
                  {count > 1 && `${clock(firstAt)} – `}
                  {clock(r.at)}
                </td>
                <td>{r.device}</td>
                <td>{DIR[r.dir]}</td>
                <td>{r.length}</td>
                <td className="staff-hex">{r.hex}</td>
                <td>{r.meaning}</td>
                <td className="staff-count">{count > 1 ? `×${count}` : ''}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
