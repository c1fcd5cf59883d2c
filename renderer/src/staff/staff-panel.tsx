import { useState } from 'react';
import type { StaffRoleName } from '../../../main/contract/index.js';
import { ROLE_LABELS } from './pin-pad.js';
import { actorLabel, outcomeLabel } from './device-labels.js';
import { errorSentence, fmtTime, useCall, useLoad } from './staff-api.js';

/** PINs of the staff roles, the staff idle time-out, and the audit trail. */
export function StaffPanel() {
  const call = useCall();
  const creds = useLoad('staff.credentials', {});
  const audit = useLoad('staff.audit', { limit: 200 });
  const [role, setRole] = useState<StaffRoleName>('technician');
  const [pin, setPin] = useState('');
  const [idle, setIdle] = useState(5);
  const [message, setMessage] = useState<string | null>(null);

  const changePin = async () => {
    try {
      await call('staff.changePin', { role, pin });
      setMessage(`${ROLE_LABELS[role]}的 PIN 已修改。`);
      setPin('');
      creds.reload();
      audit.reload();
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };
  const setIdleMinutes = async () => {
    try {
      const r = await call('staff.setIdleMinutes', { minutes: idle });
      setMessage(`工作人员无操作 ${r.idleMinutes} 分钟后自动退出。`);
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };

  return (
    <div className="staff-people">
      <table className="staff-table" aria-label="角色">
        <thead>
          <tr>
            <th>角色</th>
            <th>已设置 PIN</th>
            <th>连续错误</th>
            <th>锁定至</th>
            <th>最近修改</th>
          </tr>
        </thead>
        <tbody>
          {creds.value?.map((c) => (
            <tr key={c.role}>
              <td>{ROLE_LABELS[c.role]}</td>
              <td>{c.configured ? '是' : '否'}</td>
              <td>{c.failedCount}</td>
              <td>{c.lockedUntil ? fmtTime(c.lockedUntil) : '—'}</td>
              <td>{c.updatedAt ? `${fmtTime(c.updatedAt)} ${actorLabel(c.updatedBy)}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="staff-actions">
        <select aria-label="修改哪个角色" value={role} onChange={(e) => setRole(e.target.value as StaffRoleName)}>
          <option value="manager">{ROLE_LABELS.manager}</option>
          <option value="technician">{ROLE_LABELS.technician}</option>
        </select>
        <input aria-label="新 PIN" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 12))} />
        <button type="button" disabled={pin.length < 6} onClick={() => void changePin()}>
          修改 PIN
        </button>
        <label>
          空闲退出（分钟）
          <input type="number" min={1} max={60} value={idle} onChange={(e) => setIdle(Number(e.target.value))} />
        </label>
        <button type="button" onClick={() => void setIdleMinutes()}>
          设置
        </button>
      </div>
      {message && <p role="status">{message}</p>}
      <h3>审计日志</h3>
      {audit.error && <p className="staff-error">{audit.error}</p>}
      <table className="staff-table" aria-label="审计日志">
        <thead>
          <tr>
            <th>时间</th>
            <th>操作者</th>
            <th>操作</th>
            <th>对象</th>
            <th>结果</th>
            <th>详情</th>
          </tr>
        </thead>
        <tbody>
          {audit.value?.map((a) => (
            <tr key={a.id}>
              <td>{fmtTime(a.at)}</td>
              <td>{actorLabel(a.actor)}</td>
              <td>{a.action}</td>
              <td>{a.target}</td>
              <td>{outcomeLabel(a.outcome)}</td>
              <td>{JSON.stringify(a.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
