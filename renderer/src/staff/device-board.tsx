import { useEffect, useRef, useState } from 'react';
import { DEVICE_TEST_ACTIONS, type DeviceTestAction, type DeviceTestResult } from '../../../main/contract/index.js';
import { counterLabel, deviceDetail, statusFields } from './device-labels.js';
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

/** How long the host waits for a card or a code in a test (main/devices: testReadCard, 15 s): shown as a countdown. */
const WAIT_TESTS: Partial<Record<DeviceTestAction, number>> = { 'read-card': 15, 'wait-scan': 15 };

interface Running {
  action: DeviceTestAction;
  started: number;
  /** Bumped by 取消: a result that arrives for an abandoned run is dropped. */
  run: number;
}

/** Device board (polled every 3 s): state, transport, last error, counters, the self-check, tests, bundle export. */
export function DeviceBoard() {
  const call = useCall();
  const board = useLoad('tech.devices', {}, [], 3000);
  const [results, setResults] = useState<Record<string, DeviceTestResult>>({});
  const [running, setRunning] = useState<Record<string, Running>>({});
  const [message, setMessage] = useState<string | null>(null);
  const runs = useRef(0);
  const [, tick] = useState(0);
  const anyWaiting = Object.values(running).some((r) => WAIT_TESTS[r.action] !== undefined);
  useEffect(() => {
    if (!anyWaiting) return;
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [anyWaiting]);

  // A test never blocks the board: each device runs its own, the others stay usable, a wait can be abandoned.
  const run = async (device: keyof typeof DEVICE_LABELS, action: DeviceTestAction) => {
    const id = ++runs.current;
    setRunning((r) => ({ ...r, [device]: { action, started: Date.now(), run: id } }));
    let result: DeviceTestResult;
    try {
      result = await call('tech.test', { device, action });
    } catch (e) {
      result = { device, action, ok: false, code: 'ERROR', message: errorSentence(e), ms: 0 };
    }
    setRunning((r) => {
      if (r[device]?.run !== id) return r;
      setResults((x) => ({ ...x, [device]: result }));
      const { [device]: _done, ...rest } = r;
      return rest;
    });
    board.reload();
  };
  const cancel = (device: string) =>
    setRunning((r) => {
      const { [device]: _cancelled, ...rest } = r;
      return rest;
    });
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
          const busy = running[d.id];
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
                <dd>{deviceDetail(d.detail)}</dd>
                {d.link && (
                  <>
                    <dt>通信</dt>
                    <dd data-testid={`link-${d.id}`}>
                      {d.link.open ? '已打开' : '未打开'} · 收 {d.link.bytesIn} 字节 · 发 {d.link.bytesOut} 字节 · 最近应答{' '}
                      {d.link.lastGoodAt === null ? '从未应答' : fmtTime(d.link.lastGoodAt)}
                    </dd>
                  </>
                )}
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
                    .map(([k, n]) => `${counterLabel(k)} ${n}`)
                    .join(' · ') || '—'}
                </dd>
              </dl>
              <div className="staff-actions">
                {DEVICE_TEST_ACTIONS[d.id].map((a) => (
                  <button key={a} type="button" disabled={busy !== undefined} onClick={() => void run(d.id, a)}>
                    {ACTION_LABELS[a]}
                  </button>
                ))}
              </div>
              {busy && <TestProgress running={busy} onCancel={() => cancel(d.id)} />}
              {!busy && r && <TestResult result={r} />}
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

function TestProgress(props: { running: Running; onCancel: () => void }) {
  const wait = WAIT_TESTS[props.running.action];
  const elapsed = (Date.now() - props.running.started) / 1000;
  return (
    <div className="staff-test-progress" aria-busy="true" aria-live="polite">
      {wait !== undefined ? (
        <>
          <span>
            {ACTION_LABELS[props.running.action]}：请在 {Math.max(0, Math.ceil(wait - elapsed))} 秒内{props.running.action === 'read-card' ? '放上身份证' : '扫码'}…
          </span>
          <progress max={wait} value={Math.min(wait, elapsed)} aria-label="等待进度" />
        </>
      ) : (
        <span>{ACTION_LABELS[props.running.action]}：测试中…</span>
      )}
      <button type="button" onClick={props.onCancel}>
        取消
      </button>
    </div>
  );
}

/** A test's outcome; a printer status answer is listed field by field instead of as raw JSON. */
function TestResult(props: { result: DeviceTestResult }) {
  const r = props.result;
  const fields = statusFields(r.message);
  return (
    <div className={r.ok ? 'staff-ok' : 'staff-error'} role="status">
      <p>
        {ACTION_LABELS[r.action]}：{r.ok ? '通过' : `失败 ${r.code ?? ''}`}
        {fields ? '' : ` — ${r.message}`}
      </p>
      {fields && (
        <dl className="staff-status-fields">
          {fields.map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
