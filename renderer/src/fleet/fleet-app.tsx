import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { FleetAnswer, FleetRole, FleetServerMessage } from '../../../main/contract/fleet.js';
import { applyFleetMessage, emptyFleetState, filteredKiosks, sortedAlerts, type FleetFilter } from './fleet-model.js';
import { errorSentence, t, type FleetLang } from './fleet-i18n.js';
import { ActionsPanel, AlertsPanel, ExportPanel, KioskTable, RolloutsPanel, TodayPanel } from './fleet-panels.js';

/**
 * The fleet console page: sign in, then one WebSocket with the console host; everything on screen comes from its
 * messages (fleet-model.ts). Chinese first; English by the switch at the top. Usable on a laptop and, with the
 * alerts first and large counts, on a wall screen.
 */
interface Session {
  token: string;
  user: string;
  role: FleetRole;
}

export type SendAction = (m: Record<string, unknown>) => Promise<FleetAnswer>;

export function FleetApp() {
  const [lang, setLang] = useState<FleetLang>('zh-CN');
  const [session, setSession] = useState<Session | null>(null);
  return (
    <div className="fleet" lang={lang}>
      <header className="fleet-header">
        <h1>{t('title', lang)}</h1>
        <div className="fleet-header-right">
          <button type="button" onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}>
            {lang === 'zh-CN' ? 'English' : '中文'}
          </button>
          {session && (
            <button type="button" onClick={() => setSession(null)}>
              {session.user} · {t('signOut', lang)}
            </button>
          )}
        </div>
      </header>
      {session ? <FleetLive session={session} lang={lang} onExpired={() => setSession(null)} /> : <SignIn lang={lang} onSignedIn={setSession} />}
    </div>
  );
}

function SignIn({ lang, onSignedIn }: { lang: FleetLang; onSignedIn: (s: Session) => void }) {
  const [user, setUser] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError('');
    const r = await fetch('/api/sign-in', { method: 'POST', body: JSON.stringify({ user, pin }) });
    const body = (await r.json()) as { ok: true; value: Session } | { ok: false; error: { code: string; message: string } };
    setPin('');
    if (body.ok) onSignedIn(body.value);
    else setError(errorSentence(body.error.code, body.error.message, lang));
  };
  return (
    <form className="fleet-signin" onSubmit={(e) => void submit(e)}>
      <label>
        {t('user', lang)}
        <input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
      </label>
      <label>
        {t('pin', lang)}
        <input name="pin" type="password" inputMode="numeric" autoComplete="current-password" value={pin} onChange={(e) => setPin(e.target.value)} />
      </label>
      <button type="submit">{t('signIn', lang)}</button>
      {error && <p className="fleet-error" role="alert">{error}</p>}
    </form>
  );
}

function FleetLive({ session, lang, onExpired }: { session: Session; lang: FleetLang; onExpired: () => void }) {
  const [state, dispatch] = useReducer((s: typeof emptyFleetState, m: FleetServerMessage) => applyFleetMessage(s, m, Date.now()), emptyFleetState);
  const [connected, setConnected] = useState(false);
  const [now, setNow] = useState(Date.now());
  const [filter, setFilter] = useState<FleetFilter>({ region: '', hallId: '', status: 'all', text: '' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const ws = useRef<WebSocket | null>(null);
  const waiting = useRef(new Map<string, (a: FleetAnswer) => void>());
  const seq = useRef(0);

  useEffect(() => {
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const sock = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
      ws.current = sock;
      sock.onopen = () => sock.send(JSON.stringify({ type: 'hello', token: session.token }));
      sock.onmessage = (e) => {
        const m = JSON.parse(String(e.data)) as FleetServerMessage;
        if (m.type === 'welcome') setConnected(true);
        if (m.type === 'error' && !m.requestId && m.code === 'AUTH_REQUIRED') onExpired();
        if ((m.type === 'answer' || m.type === 'error') && m.requestId) {
          const done = waiting.current.get(m.requestId);
          waiting.current.delete(m.requestId);
          done?.(m.type === 'answer' ? m.answer : { ok: false, error: { code: m.code, message: m.message } });
        }
        dispatch(m);
      };
      sock.onclose = () => {
        setConnected(false);
        if (!stopped) retry = setTimeout(open, 2000);
      };
    };
    open();
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearInterval(tick);
      ws.current?.close();
    };
  }, [session.token, onExpired]);

  const send: SendAction = useCallback((m) => {
    const requestId = `r${++seq.current}`;
    return new Promise<FleetAnswer>((resolve) => {
      waiting.current.set(requestId, resolve);
      ws.current?.send(JSON.stringify({ ...m, requestId }));
    });
  }, []);

  const kiosks = useMemo(() => filteredKiosks(state, filter), [state, filter]);
  const alerts = useMemo(() => sortedAlerts(state), [state]);
  const all = Object.values(state.kiosks);
  const regions = [...new Set(all.map((k) => k.region).filter(Boolean))].sort();
  const halls = [...new Map(all.map((k) => [k.hallId, k.hallName])).entries()].sort();
  const openCount = alerts.filter((a) => !a.resolved).length;
  const consoleNow = now + state.skew;

  return (
    <main className="fleet-main">
      <section className="fleet-summary" aria-live="polite">
        <span className={connected ? 'dot dot-ok' : 'dot dot-bad'} />
        {connected ? '' : t('connecting', lang)}
        <strong data-testid="online-count">
          {t('online', lang)} {all.filter((k) => k.online).length}
        </strong>
        <strong data-testid="offline-count" className={all.some((k) => !k.online) ? 'bad' : ''}>
          {t('offline', lang)} {all.filter((k) => !k.online).length}
        </strong>
        <strong data-testid="alert-count" className={openCount ? 'bad' : ''}>
          {t('openAlerts', lang)} {openCount}
        </strong>
      </section>
      <div className="fleet-filters">
        <select aria-label={t('allRegions', lang)} value={filter.region} onChange={(e) => setFilter({ ...filter, region: e.target.value })}>
          <option value="">{t('allRegions', lang)}</option>
          {regions.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <select aria-label={t('allHalls', lang)} value={filter.hallId} onChange={(e) => setFilter({ ...filter, hallId: e.target.value })}>
          <option value="">{t('allHalls', lang)}</option>
          {halls.map(([id, name]) => (
            <option key={id} value={id}>
              {name} ({id})
            </option>
          ))}
        </select>
        <select aria-label={t('statusAll', lang)} value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as FleetFilter['status'] })}>
          <option value="all">{t('statusAll', lang)}</option>
          <option value="offline">{t('statusOffline', lang)}</option>
          <option value="faults">{t('statusFaults', lang)}</option>
          <option value="alerts">{t('statusAlerts', lang)}</option>
        </select>
        <input type="search" placeholder={t('search', lang)} value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
      </div>
      <div className="fleet-columns">
        <div className="fleet-left">
          <AlertsPanel alerts={alerts} kiosks={state.kiosks} now={consoleNow} lang={lang} />
          <TodayPanel today={Object.values(state.today)} kiosks={state.kiosks} lang={lang} />
        </div>
        <div className="fleet-right">
          <KioskTable kiosks={kiosks} now={consoleNow} lang={lang} selected={selected} onSelect={setSelected} />
          {session.role !== 'viewer' && <ActionsPanel role={session.role} selected={[...selected]} hallId={filter.hallId} send={send} token={session.token} lang={lang} />}
          <RolloutsPanel rollouts={state.rollouts} lang={lang} />
          <ExportPanel token={session.token} lang={lang} />
        </div>
      </div>
    </main>
  );
}
