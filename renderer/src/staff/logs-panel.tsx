import { useState } from 'react';
import { fmtTime, useLoad } from './staff-api.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const SUBS = ['', 'main', 'main/devices', 'main/queue', 'main/staff', 'main/bridge', 'drivers', 'browser-host', 'lan'];

/** Recent logs (already redacted by the logger), per subsystem and level, polled every 3 s. */
export function LogsPanel() {
  const [sub, setSub] = useState('');
  const [minLevel, setMinLevel] = useState<(typeof LEVELS)[number]>('info');
  const logs = useLoad('tech.logs', { minLevel, limit: 300, ...(sub ? { sub } : {}) }, [sub, minLevel], 3000);
  return (
    <div className="staff-logs">
      <div className="staff-actions">
        <select aria-label="子系统" value={sub} onChange={(e) => setSub(e.target.value)}>
          {SUBS.map((s) => (
            <option key={s} value={s}>
              {s || '全部子系统'}
            </option>
          ))}
        </select>
        <select aria-label="级别" value={minLevel} onChange={(e) => setMinLevel(e.target.value as (typeof LEVELS)[number])}>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l} 及以上
            </option>
          ))}
        </select>
      </div>
      {logs.error && <p className="staff-error" role="alert">{logs.error}</p>}
      <table className="staff-table staff-mono" aria-label="日志">
        <thead>
          <tr>
            <th>时间</th>
            <th>级别</th>
            <th>子系统</th>
            <th>消息</th>
            <th>字段</th>
          </tr>
        </thead>
        <tbody>
          {logs.value
            ?.slice()
            .reverse()
            .map((l, i) => {
              const { level, time, sub: s, msg, ...fields } = l;
              return (
                <tr key={`${time}-${i}`} className={`log-${level}`}>
                  <td>{fmtTime(time)}</td>
                  <td>{level}</td>
                  <td>{s}</td>
                  <td>{msg}</td>
                  <td>{Object.keys(fields).length ? JSON.stringify(fields) : ''}</td>
                </tr>
              );
            })}
        </tbody>
      </table>
    </div>
  );
}
