import { useState } from 'react';
import { DEVICE_TEST_ACTIONS, type DeviceTestAction, type DeviceTestResult } from '../../../main/contract/index.js';
import { download, errorSentence, fmtTime, useCall, useLoad } from './staff-api.js';

export const DEVICE_LABELS = { idCard: '身份证阅读器', scanner: '扫码器', receiptPrinter: '小票打印机', callDisplay: '叫号显示', a4Printer: 'A4 打印机' } as const;
const STATE_LABELS = { ok: '正常', warning: '警告', error: '故障', offline: '离线', starting: '启动中' } as const;
export const ACTION_LABELS: Record<DeviceTestAction, string> = {
  'read-card': '读卡测试',
  'wait-scan': '等待扫码',
  'print-test': '打印测试小票',
  'printer-status': '查询打印机状态',
  'display-test': '显示测试图案并测试叫号',
  'cups-test-page': 'CUPS 测试页',
};

/** Device board (polled every 3 s): state, transport, last error, counters, the self-check, tests, bundle export. */
export function DeviceBoard() {
  const call = useCall();
  const board = useLoad('tech.devices', {}, [], 3000);
  const [results, setResults] = useState<Record<string, DeviceTestResult | 'running'>>({});
  const [message, setMessage] = useState<string | null>(null);

  const run = async (device: keyof typeof DEVICE_LABELS, action: DeviceTestAction) => {
    setResults((r) => ({ ...r, [device]: 'running' }));
    try {
      const r = await call('tech.test', { device, action });
      setResults((x) => ({ ...x, [device]: r }));
    } catch (e) {
      setResults((x) => ({ ...x, [device]: { device, action, ok: false, code: 'ERROR', message: errorSentence(e), ms: 0 } }));
    }
    board.reload();
  };
  const bundle = async () => {
    setMessage('正在生成诊断包…');
    try {
      const b = await call('tech.bundle', {});
      download(b);
      setMessage(`已导出诊断包 ${b.filename}（${b.files.length} 个文件，已脱敏）。`);
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };

  const v = board.value;
  return (
    <div className="staff-devices">
      {board.error && <p className="staff-error" role="alert">{board.error}</p>}
      {v && (
        <p className="staff-selfcheck" data-status={v.health.status}>
          自检：{v.health.status === 'ok' ? '全部正常' : '有设备需要处理'} · 存储 {v.health.storage.status}（schema {v.health.storage.schemaVersion}）· 配置 {v.health.config.name} 版本{' '}
          {v.health.config.version ?? '—'} · 已运行 {Math.round(v.health.uptimeSeconds / 60)} 分钟
        </p>
      )}
      <div className="staff-device-grid">
        {v?.devices.map((d) => {
          const r = results[d.id];
          return (
            <article key={d.id} className={`staff-device state-${d.state}`} data-device={d.id} data-state={d.state} aria-label={DEVICE_LABELS[d.id]}>
              <h3>
                {DEVICE_LABELS[d.id]} <span className="staff-state">{STATE_LABELS[d.state]}</span>
              </h3>
              <dl>
                <dt>型号</dt>
                <dd>{d.model}</dd>
                <dt>连接</dt>
                <dd>
                  {d.transport}
                  {d.simulated ? '（模拟）' : ''}
                </dd>
                <dt>状态</dt>
                <dd>{d.detail}</dd>
                {d.lastError && (
                  <>
                    <dt>最近错误</dt>
                    <dd className="staff-last-error">
                      {d.lastError.code}：{d.lastError.message}（{fmtTime(d.lastError.at)}）
                    </dd>
                  </>
                )}
                <dt>计数</dt>
                <dd>
                  {Object.entries(d.counters)
                    .map(([k, n]) => `${k} ${n}`)
                    .join(' · ') || '—'}
                </dd>
              </dl>
              <div className="staff-actions">
                {DEVICE_TEST_ACTIONS[d.id].map((a) => (
                  <button key={a} type="button" disabled={r === 'running'} onClick={() => void run(d.id, a)}>
                    {ACTION_LABELS[a]}
                  </button>
                ))}
              </div>
              {r === 'running' && <p aria-busy="true">测试中…</p>}
              {r && r !== 'running' && (
                <p className={r.ok ? 'staff-ok' : 'staff-error'} role="status">
                  {ACTION_LABELS[r.action]}：{r.ok ? '通过' : `失败 ${r.code ?? ''}`} — {r.message}
                </p>
              )}
            </article>
          );
        })}
      </div>
      <div className="staff-actions">
        <button type="button" onClick={() => void bundle()}>
          导出诊断包
        </button>
      </div>
      {message && <p role="status">{message}</p>}
    </div>
  );
}
