import { useState } from 'react';
import { formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { hallUtcOffset } from '../hall-clock.js';
import { errorSentence, useCall, useLoad } from './staff-api.js';

const STATE_LABEL = { open: '开放', paused: '暂停', closed: '关闭' } as const;

/** The kiosk screen a help request came from, as staff say it (the machine's screen names are not shown). */
export const SCREEN_LABEL: Record<string, string> = {
  attract: '待机画面',
  home: '首页',
  identified: '身份确认',
  ticket: '取号',
  checkin: '预约签到',
  guide: '办事指南',
  print: '材料打印',
  rating: '评价',
  help: '呼叫帮办',
};

/** Live hall view (polled every 5 s): waiting per category, longest wait, counters, calls, help requests. */
export function LivePanel() {
  const call = useCall();
  const live = useLoad('hall.live', {}, [], 5000);
  const help = useLoad('help.list', { status: 'open' }, [], 5000);
  const [message, setMessage] = useState<string | null>(null);

  const ack = async (id: number) => {
    try {
      await call('help.update', { id, status: 'acknowledged' });
      help.reload();
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };

  const v = live.value;
  return (
    <div className="staff-live">
      {live.error && <p className="staff-error" role="alert">{live.error}</p>}
      {message && <p className="staff-error" role="alert">{message}</p>}
      <section aria-label="呼叫帮办">
        <h3>呼叫帮办 {help.value ? `（${help.value.length}）` : ''}</h3>
        {help.error && <p className="staff-error">{help.error}</p>}
        {help.value?.length === 0 && <p>暂无待处理的求助。</p>}
        <ul className="staff-help">
          {help.value?.map((h) => (
            <li key={h.id}>
              <strong data-testid="help-id">编号 {h.id}</strong> · {formatHallTime(Date.parse(h.at), hallUtcOffset())} · {h.kioskId} · 在“{SCREEN_LABEL[h.screen] ?? h.screen}”界面
              <button type="button" onClick={() => void ack(h.id)}>
                已知悉
              </button>
            </li>
          ))}
        </ul>
      </section>
      {v && (
        <>
          <p>
            {v.day} · 近一小时叫号 <strong data-testid="calls-last-hour">{v.callsLastHour}</strong> 次
          </p>
          <table className="staff-table" aria-label="各类别等候">
            <thead>
              <tr>
                <th>类别</th>
                <th>等候</th>
                <th>其中优先</th>
                <th>最长等候(分)</th>
                <th>预计等候(分)</th>
                <th>开放窗口</th>
                <th>今日取号</th>
                <th>剩余号源</th>
              </tr>
            </thead>
            <tbody>
              {v.categories.map((c) => (
                <tr key={c.id} className={c.open ? '' : 'closed'}>
                  <td>
                    {c.prefix} {c.name['zh-CN']}
                  </td>
                  <td>{c.waiting}</td>
                  <td>{c.priorityWaiting}</td>
                  <td>{c.longestWaitMinutes}</td>
                  <td>{c.estimatedWaitMinutes}</td>
                  <td>{c.openCounters}</td>
                  <td>{c.issuedToday}</td>
                  <td>{c.quotaLeft}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="staff-table" aria-label="窗口">
            <thead>
              <tr>
                <th>窗口</th>
                <th>状态</th>
                <th>办理类别</th>
                <th>当前号码</th>
              </tr>
            </thead>
            <tbody>
              {v.counters.map((c) => (
                <tr key={c.window}>
                  <td>{c.window}</td>
                  <td>{STATE_LABEL[c.state]}</td>
                  <td>{c.categoryIds.map((id) => v.categories.find((x) => x.id === id)?.name['zh-CN'] ?? id).join('、')}</td>
                  <td>{c.current ? `${c.current.number}（${c.current.status === 'called' ? '已呼叫' : '办理中'}）` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
