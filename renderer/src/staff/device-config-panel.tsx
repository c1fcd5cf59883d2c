import { useCallback, useEffect, useState } from 'react';
import type { DeviceConfigResult, DiscoveryView } from '../../../main/contract/index.js';
import { DEVICE_LABELS } from './device-board.js';
import { errorSentence, useCall } from './staff-api.js';

const hex4 = (n: number | undefined) => (n === undefined ? '' : n.toString(16).padStart(4, '0'));

/**
 * Port and device discovery, and the device section of the config as JSON. "Test" opens each changed device's
 * port and runs its status check; "test and save" saves a new config version only when every check passed.
 */
export function DeviceConfigPanel() {
  const call = useCall();
  const [text, setText] = useState('');
  const [found, setFound] = useState<DiscoveryView | null>(null);
  const [result, setResult] = useState<DeviceConfigResult | null>(null);
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
    call('config.current', {}).then(
      (r) => setText(JSON.stringify(r.config.devices, null, 2)),
      (e: unknown) => setMessage(errorSentence(e)),
    ),
    [call],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const discover = async () => {
    try {
      setFound(await call('tech.discover', {}));
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };
  const check = async (save: boolean) => {
    setMessage(null);
    setResult(null);
    let devices: unknown;
    try {
      devices = JSON.parse(text);
    } catch (e) {
      setMessage(`不是有效的 JSON：${(e as Error).message}`);
      return;
    }
    setBusy(true);
    try {
      setResult(await call('tech.deviceConfig', { devices, save, comment }));
    } catch (e) {
      setMessage(errorSentence(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="staff-device-config">
      <section>
        <div className="staff-actions">
          <button type="button" onClick={() => void discover()}>
            扫描串口和 HID 设备
          </button>
        </div>
        {found && (
          <>
            <h3>串口（{found.serial.length}）</h3>
            <ul className="staff-mono">
              {found.serial.map((p) => (
                <li key={p.path}>
                  {p.path} {p.manufacturer ?? ''} {p.vendorId !== undefined ? `${hex4(p.vendorId)}:${hex4(p.productId)}` : ''}
                </li>
              ))}
            </ul>
            <h3>HID（{found.hid.length}）</h3>
            <ul className="staff-mono">
              {found.hid.map((d, i) => (
                <li key={i}>
                  {hex4(d.vendorId)}:{hex4(d.productId)} {d.product ?? ''} {d.usagePage !== undefined ? `usage page 0x${d.usagePage.toString(16)}` : ''}
                </li>
              ))}
            </ul>
            {found.problems.map((p) => (
              <p key={p} className="staff-error">
                {p}
              </p>
            ))}
          </>
        )}
      </section>
      <section>
        <h3>设备配置（devices）</h3>
        <textarea className="staff-json" aria-label="设备配置 JSON" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} rows={18} />
        <div className="staff-actions">
          <input aria-label="修改说明" placeholder="修改说明" value={comment} maxLength={200} onChange={(e) => setComment(e.target.value)} />
          <button type="button" disabled={busy} onClick={() => void check(false)}>
            测试
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => void check(true)}>
            测试通过后保存
          </button>
          <button type="button" onClick={() => void load()}>
            恢复当前配置
          </button>
        </div>
      </section>
      {message && <p className="staff-error" role="alert">{message}</p>}
      {result && (
        <section aria-label="测试结果">
          {result.problems.length > 0 && (
            <ul className="staff-problems">
              {result.problems.map((p) => (
                <li key={p.path + p.sentence}>{p.sentence}</li>
              ))}
            </ul>
          )}
          <ul>
            {result.checks.map((c) => (
              <li key={c.device} className={c.ok ? 'staff-ok' : 'staff-error'}>
                {DEVICE_LABELS[c.device]}：{c.changed ? (c.ok ? '通过' : `失败 ${c.code ?? ''}`) : '未修改'} — {c.message}
              </li>
            ))}
          </ul>
          {result.saved && result.version && (
            <p className="staff-ok" role="status">
              已保存为版本 {result.version.id}。{result.restartNeededFor?.length ? '设备更改在重启后生效。' : ''}
            </p>
          )}
          {!result.saved && result.checks.some((c) => !c.ok) && <p className="staff-error">有设备未通过测试，配置未保存。</p>}
        </section>
      )}
    </div>
  );
}
