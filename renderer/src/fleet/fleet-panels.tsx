import { useState } from 'react';
import type { FleetAlertView, FleetAnswer, FleetDeviceId, FleetHallTodayView, FleetKioskView, FleetRole, FleetRolloutView } from '../../../main/contract/fleet.js';
import { formatDuration } from './fleet-model.js';
import { ALERT_NAMES, DEVICE_NAMES, errorSentence, t, type FleetLang, type FleetTextKey } from './fleet-i18n.js';
import type { SendAction } from './fleet-app.js';

const time = (ms: number) => new Date(ms).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });

/** A table head whose first column (row names, check boxes) has no title. */
function TableHead({ columns, lang }: { columns: FleetTextKey[]; lang: FleetLang }) {
  return (
    <thead>
      <tr>
        <th />
        {columns.map((c) => (
          <th key={c}>{t(c, lang)}</th>
        ))}
      </tr>
    </thead>
  );
}

export function AlertsPanel({ alerts, kiosks, now, lang }: { alerts: FleetAlertView[]; kiosks: Record<string, FleetKioskView>; now: number; lang: FleetLang }) {
  return (
    <section className="fleet-panel" aria-labelledby="alerts-h">
      <h2 id="alerts-h">{t('alerts', lang)}</h2>
      {alerts.length === 0 && <p>{t('noAlerts', lang)}</p>}
      <ul className="fleet-alerts" data-testid="alerts">
        {alerts.slice(0, 200).map((a) => (
          <li key={a.id} className={`alert alert-${a.resolved ? 'closed' : a.severity}`} data-code={a.code} data-resolved={a.resolved}>
            <strong>{ALERT_NAMES[a.code]?.[lang] ?? a.code}</strong>
            <span>
              {kiosks[a.key]?.hallName ?? a.hallId} · {a.kioskId}
              {a.device in DEVICE_NAMES ? ` · ${DEVICE_NAMES[a.device as FleetDeviceId][lang]}` : ''}
            </span>
            <span className="alert-age">
              {a.resolved ? `${t('closedAfter', lang)} ${formatDuration((a.closedAt ?? now) - a.openedAt, lang)}` : `${t('openFor', lang)} ${formatDuration(now - a.openedAt, lang)}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function TodayPanel({ today, kiosks, lang }: { today: FleetHallTodayView[]; kiosks: Record<string, FleetKioskView>; lang: FleetLang }) {
  const name = (hallId: string) => Object.values(kiosks).find((k) => k.hallId === hallId)?.hallName ?? hallId;
  return (
    <section className="fleet-panel" aria-labelledby="today-h">
      <h2 id="today-h">{t('today', lang)}</h2>
      <table className="fleet-table" data-testid="today">
        <TableHead columns={['tickets', 'prints', 'a4', 'ratings']} lang={lang} />
        <tbody>
          {[...today]
            .sort((a, b) => a.hallId.localeCompare(b.hallId))
            .map((h) => (
              <tr key={h.hallId} data-hall={h.hallId}>
                <th>
                  {name(h.hallId)} <small>{h.day}</small>
                </th>
                <td className="num">{h.tickets}</td>
                <td className="num">{h.prints}</td>
                <td className="num">{h.a4Pages}</td>
                <td className="num">{['5', '4', '3', '2', '1'].map((l) => h.ratings[l] ?? 0).join(' / ')}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

export function KioskTable(p: { kiosks: FleetKioskView[]; now: number; lang: FleetLang; selected: Set<string>; onSelect: (s: Set<string>) => void }) {
  const { lang } = p;
  const toggle = (key: string) => {
    const next = new Set(p.selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    p.onSelect(next);
  };
  return (
    <section className="fleet-panel" aria-labelledby="kiosks-h">
      <h2 id="kiosks-h">
        {t('kiosks', lang)} ({p.kiosks.length})
      </h2>
      <table className="fleet-table" data-testid="kiosks">
        <TableHead columns={['kiosks', 'lastSeen', 'version', 'configVersion', 'faults']} lang={lang} />
        <tbody>
          {p.kiosks.map((k) => (
            <tr key={k.key} data-kiosk={k.key} data-online={k.online} className={k.online ? '' : 'row-offline'}>
              <td>
                <input type="checkbox" aria-label={k.key} checked={p.selected.has(k.key)} onChange={() => toggle(k.key)} />
              </td>
              <td>
                <span className={k.online ? 'dot dot-ok' : 'dot dot-bad'} /> {k.online ? t('online', lang) : t('offline', lang)} · {k.region ? `${k.region} · ` : ''}
                {k.hallName} · <strong>{k.kioskId}</strong>
              </td>
              <td title={time(k.lastSeen)}>{formatDuration(p.now - k.lastSeen, lang)}</td>
              <td>{k.version ?? '—'}</td>
              <td>
                {k.configVersion ?? '—'}
                {k.fleetConfigVersion ? ` (${t('fleetVersion', lang)} ${k.fleetConfigVersion})` : ''}
              </td>
              <td>
                {Object.entries(k.devices)
                  .filter(([, d]) => d && d.state !== 'ok' && d.state !== 'starting')
                  .map(([id, d]) => `${DEVICE_NAMES[id as FleetDeviceId]?.[lang] ?? id}: ${d!.detail}`)
                  .join('；') || t('devicesOk', lang)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ActionsPanel({ role, selected, hallId, send, token, lang }: { role: FleetRole; selected: string[]; hallId: string; send: SendAction; token: string; lang: FleetLang }) {
  const [targetKind, setTargetKind] = useState<'selected' | 'hall'>('selected');
  const [configText, setConfigText] = useState('{\n  "announcements": []\n}');
  const [firstWave, setFirstWave] = useState(2);
  const [at, setAt] = useState('');
  const [log, setLog] = useState<string[]>([]);
  const say = (line: string) => setLog((l) => [line, ...l].slice(0, 30));
  const show = (what: string, a: FleetAnswer) => say(a.ok ? `${what}: ${t('state_ok', lang)}` : `${what}: ${errorSentence(a.error.code, a.error.message, lang)}`);
  const kiosks = selected.map((k) => ({ hallId: k.split('/')[0]!, kioskId: k.split('/')[1]! }));

  const push = async () => {
    let config: unknown;
    try {
      config = JSON.parse(configText);
    } catch {
      return say(t('badJson', lang)); // shown to the operator; nothing is sent
    }
    const target = targetKind === 'hall' ? (hallId ? { kind: 'hall', hallId } : null) : kiosks.length ? { kind: 'list', kiosks } : null;
    if (!target) return say(t('selectFirst', lang));
    show(t('push', lang), await send({ type: 'config.rollout', target, config, firstWave }));
  };
  const each = async (type: 'ping' | 'bundle.request' | 'restart') => {
    if (kiosks.length === 0) return say(t('selectFirst', lang));
    for (const k of kiosks) {
      const a = await send({ type, ...k, ...(type === 'restart' && at ? { at: new Date(at).toISOString() } : {}) });
      if (type === 'bundle.request' && a.ok) say(`${k.hallId}/${k.kioskId}: ${(a.value as { filename: string }).filename}`);
      show(`${k.hallId}/${k.kioskId} ${type}`, a);
      if (type === 'bundle.request' && a.ok) void downloadBundle((a.value as { url: string; filename: string }).url, (a.value as { filename: string }).filename, token);
    }
  };
  return (
    <section className="fleet-panel" aria-labelledby="actions-h">
      <h2 id="actions-h">{t('actions', lang)}</h2>
      <p>
        {t('selected', lang)}: {selected.length ? selected.join(', ') : '—'}
      </p>
      <div className="fleet-actions">
        <button type="button" onClick={() => void each('ping')}>
          {t('ping', lang)}
        </button>
        <button type="button" onClick={() => void each('bundle.request')}>
          {t('bundle', lang)}
        </button>
        <input type="datetime-local" aria-label={t('restart', lang)} value={at} onChange={(e) => setAt(e.target.value)} />
        <button type="button" onClick={() => void each('restart')}>
          {t('restart', lang)}
        </button>
      </div>
      {role === 'admin' && (
        <div className="fleet-push">
          <label>
            {t('target', lang)}
            <select value={targetKind} onChange={(e) => setTargetKind(e.target.value as 'selected' | 'hall')}>
              <option value="selected">{t('targetSelected', lang)}</option>
              <option value="hall">
                {t('targetHall', lang)} {hallId || '—'}
              </option>
            </select>
          </label>
          <label>
            {t('firstWave', lang)}
            <input type="number" min={1} max={1000} value={firstWave} onChange={(e) => setFirstWave(Math.max(1, Number(e.target.value) || 1))} />
          </label>
          <label className="fleet-config">
            {t('configJson', lang)}
            <textarea rows={6} spellCheck={false} value={configText} onChange={(e) => setConfigText(e.target.value)} />
          </label>
          <button type="button" onClick={() => void push()}>
            {t('push', lang)}
          </button>
        </div>
      )}
      <ul className="fleet-log" data-testid="action-log">
        {log.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </section>
  );
}

async function downloadBundle(url: string, filename: string, token: string): Promise<void> {
  const r = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  const blob = await r.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function RolloutsPanel({ rollouts, lang }: { rollouts: FleetRolloutView[]; lang: FleetLang }) {
  if (rollouts.length === 0) return null;
  return (
    <section className="fleet-panel" aria-labelledby="rollouts-h">
      <h2 id="rollouts-h">{t('rollouts', lang)}</h2>
      {rollouts.slice(0, 5).map((r) => (
        <details key={r.id} open={r.state !== 'done'} data-rollout={r.state}>
          <summary>
            v{r.version} · {t(`rollout_${r.state}`, lang)} · {r.steps.filter((s) => s.state === 'ok').length}/{r.steps.length}
            {r.offline?.length ? ` · ${t('notSentOffline', lang)} ${r.offline.length}` : ''}
          </summary>
          <table className="fleet-table">
            <tbody>
              {r.steps.map((s) => (
                <tr key={`${s.hallId}/${s.kioskId}`} className={`step-${s.state}`}>
                  <td>
                    {t('wave', lang)} {s.wave}
                  </td>
                  <td>
                    {s.hallId}/{s.kioskId}
                  </td>
                  <td>{t(`state_${s.state}`, lang)}</td>
                  <td>{s.answer && !s.answer.ok ? errorSentence(s.answer.error.code, s.answer.error.message, lang) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </section>
  );
}

export function ExportPanel({ token, lang }: { token: string; lang: FleetLang }) {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const get = async (kind: 'halls' | 'alerts') => {
    const r = await fetch(`/api/export/${kind}.csv?from=${from}&to=${to}`, { headers: { Authorization: `Bearer ${token}` } });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await r.blob());
    a.download = `fleet-${kind}-${from}-${to}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <section className="fleet-panel" aria-labelledby="export-h">
      <h2 id="export-h">{t('export', lang)}</h2>
      <label>
        {t('from', lang)} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        {t('to', lang)} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="button" onClick={() => void get('halls')}>
        {t('exportHalls', lang)}
      </button>
      <button type="button" onClick={() => void get('alerts')}>
        {t('exportAlerts', lang)}
      </button>
    </section>
  );
}
