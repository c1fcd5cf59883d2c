import { useState } from 'react';
import type { StaffRoleName } from '../../../main/contract/index.js';
import { formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { hallUtcOffset } from '../hall-clock.js';
import { errorSentence, StaffCallError, useCall } from './staff-api.js';

export const ROLE_LABELS: Record<StaffRoleName, string> = { manager: '大厅管理员', technician: '运维技术员' };

/** PIN sign-in: role, then digits on a touch keypad (and the keyboard on a LAN browser). */
export function PinPad(props: { onSignedIn: (role: StaffRoleName, idleMinutes: number) => void; onCancel?: () => void }) {
  const call = useCall();
  const [role, setRole] = useState<StaffRoleName>('manager');
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy || pin.length === 0) return;
    setBusy(true);
    try {
      const s = await call('auth.signIn', { role, pin });
      props.onSignedIn(s.role, s.idleMinutes);
    } catch (e) {
      if (e instanceof StaffCallError && e.wire.code === 'AUTH_WRONG_PIN') {
        const left = e.wire.detail?.attemptsLeft;
        setMessage(typeof left === 'number' ? `PIN 错误，还可尝试 ${left} 次，之后该角色将被锁定。` : 'PIN 错误。');
      } else if (e instanceof StaffCallError && e.wire.code === 'AUTH_LOCKED') {
        const until = e.wire.detail?.lockedUntil;
        const time = typeof until === 'number' ? formatHallTime(until, hallUtcOffset(), { seconds: true }) : undefined;
        setMessage(time ? `已锁定：多次输入错误，请在 ${time} 后再试。` : '已锁定：多次输入错误，请稍后再试。');
      }
      else setMessage(errorSentence(e));
    } finally {
      setPin('');
      setBusy(false);
    }
  };
  const press = (d: string) => setPin((p) => (p.length < 12 ? p + d : p));

  return (
    <form
      className="staff-pin"
      aria-label="工作人员登录"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>工作人员登录</h2>
      <div className="staff-roles" role="radiogroup" aria-label="角色">
        {(['manager', 'technician'] as const).map((r) => (
          <button key={r} type="button" role="radio" aria-checked={role === r} className={role === r ? 'active' : ''} onClick={() => setRole(r)}>
            {ROLE_LABELS[r]}
          </button>
        ))}
      </div>
      <input
        className="staff-pin-input"
        aria-label="PIN"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 12))}
      />
      <div className="staff-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <button key={d} type="button" onClick={() => press(d)}>
            {d}
          </button>
        ))}
        <button type="button" onClick={() => setPin('')} aria-label="清除">
          清除
        </button>
        <button type="button" onClick={() => press('0')}>
          0
        </button>
        <button type="submit" disabled={busy || pin.length === 0}>
          登录
        </button>
      </div>
      {message && (
        <p className="staff-error" role="alert">
          {message}
        </p>
      )}
      {props.onCancel && (
        <button type="button" className="staff-cancel" onClick={props.onCancel}>
          取消
        </button>
      )}
    </form>
  );
}
