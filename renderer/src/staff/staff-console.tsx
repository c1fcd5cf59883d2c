import { useEffect, useRef, useState } from 'react';
import type { StaffRoleName } from '../../../main/contract/index.js';
import { setHallUtcOffset } from '../hall-clock.js';
import { CatalogPanel } from './catalog-panel.js';
import { ConfigEditor } from './config-editor.js';
import { DeviceBoard } from './device-board.js';
import { DeviceConfigPanel } from './device-config-panel.js';
import { LivePanel } from './live-panel.js';
import { LogsPanel } from './logs-panel.js';
import { ROLE_LABELS } from './pin-pad.js';
import { useStaffApi } from './staff-api.js';
import { StaffPanel } from './staff-panel.js';
import { StatsPanel } from './stats-panel.js';
import { TracePanel } from './trace-panel.js';
import { VersionsPanel } from './versions-panel.js';

const TABS: Record<StaffRoleName, { id: string; label: string }[]> = {
  manager: [
    { id: 'live', label: '实时大厅' },
    { id: 'config', label: '配置' },
    { id: 'versions', label: '版本' },
    { id: 'catalog', label: '事项目录' },
    { id: 'stats', label: '统计' },
    { id: 'staff', label: '人员与审计' },
  ],
  technician: [
    { id: 'devices', label: '设备' },
    { id: 'trace', label: '协议跟踪' },
    { id: 'device-config', label: '设备配置' },
    { id: 'logs', label: '日志' },
  ],
};

/** Touch activity is reported at most this often (it keeps the host-side session alive). */
const TOUCH_EVERY_MS = 20_000;

/**
 * The staff console for one signed-in role. The host ends the session after the idle time-out; the console checks
 * every 10 s (passively) and leaves as soon as the host says the session is gone.
 */
export function StaffConsole(props: { role: StaffRoleName; onExit: () => void }) {
  const api = useStaffApi();
  const tabs = TABS[props.role];
  const [tab, setTab] = useState(tabs[0]!.id);
  const lastTouch = useRef(0);
  const onExit = useRef(props.onExit);
  onExit.current = props.onExit;

  // Staff times are hall times: on staff.html the page learns the hall's offset from the config it may read.
  useEffect(() => {
    void api.invoke('config.current', {}).then((r) => {
      if (r.ok) setHallUtcOffset(r.value.config.hall.utcOffset);
    });
  }, [api]);

  useEffect(() => {
    const t = setInterval(() => {
      void api.invoke('auth.session', { touch: false }).then((r) => {
        if (!r.ok || r.value === null) onExit.current();
      });
    }, 10_000);
    return () => clearInterval(t);
  }, [api]);

  const activity = () => {
    const now = Date.now();
    if (now - lastTouch.current < TOUCH_EVERY_MS) return;
    lastTouch.current = now;
    void api.invoke('auth.session', { touch: true });
  };

  return (
    <div className="staff-console" data-role={props.role} onPointerDown={activity} onKeyDown={activity}>
      <header className="staff-header">
        <strong>工作人员控制台 · {ROLE_LABELS[props.role]}</strong>
        <nav className="staff-tabs" role="tablist">
          {tabs.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </nav>
        <button type="button" className="staff-exit" onClick={props.onExit}>
          退出
        </button>
      </header>
      <main className="staff-body" role="tabpanel">
        {tab === 'live' && <LivePanel />}
        {tab === 'config' && <ConfigEditor />}
        {tab === 'versions' && <VersionsPanel />}
        {tab === 'catalog' && <CatalogPanel />}
        {tab === 'stats' && <StatsPanel />}
        {tab === 'staff' && <StaffPanel />}
        {tab === 'devices' && <DeviceBoard />}
        {tab === 'trace' && <TracePanel />}
        {tab === 'device-config' && <DeviceConfigPanel />}
        {tab === 'logs' && <LogsPanel />}
      </main>
    </div>
  );
}
