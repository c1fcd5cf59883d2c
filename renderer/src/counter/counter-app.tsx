import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { pickText, type Language } from '../../../kiosk-config/i18n.js';
import { SERVICE_OUTCOMES, type ServiceOutcome } from '../../../kiosk-config/queue.js';
import { LanClient, LanError } from '../lan/client.js';
import { createLanI18n, errorSentence } from '../lan/i18n.js';
import { QueueStream, streamUrl, type StreamState } from '../lan/stream.js';
import type { CounterSignIn, CounterState, HallInfo, QueueSnapshot, TicketView } from '../lan/types.js';

/**
 * The counter caller (窗口呼叫器) for window staff on a plain browser: sign in with window number and PIN
 * (POST /api/v1/counter-sessions), then operate that window only. The session token lives in sessionStorage and
 * expires on the host; an expired or revoked session returns the page to sign-in with a sentence saying so.
 */
const SESSION_KEY = 'hall-kiosk.counter-session';

function loadSession(): CounterSignIn | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as CounterSignIn;
    if (typeof s.token !== 'string' || Date.parse(s.expiresAt) <= Date.now()) throw new Error('expired');
    return s;
  } catch {
    sessionStorage.removeItem(SESSION_KEY); // unreadable or expired: sign in again
    return undefined;
  }
}

export function CounterApp() {
  const [session, setSession] = useState<CounterSignIn | undefined>(loadSession);
  const [notice, setNotice] = useState<string | undefined>();
  const lang: Language = 'zh-CN';
  const i18n = useMemo(() => createLanI18n(lang), []);
  const t = i18n.t;

  useEffect(() => {
    document.title = t('counter.title');
  }, [t]);

  const signedIn = useCallback((s: CounterSignIn) => {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    setNotice(undefined);
    setSession(s);
  }, []);
  const signedOut = useCallback((why?: string) => {
    sessionStorage.removeItem(SESSION_KEY);
    setNotice(why);
    setSession(undefined);
  }, []);

  return session ? (
    <Workspace session={session} t={t} lang={lang} onSignedOut={signedOut} />
  ) : (
    <SignIn t={t} lang={lang} notice={notice} onSignedIn={signedIn} />
  );
}

type T = ReturnType<typeof createLanI18n>['t'];

function SignIn({ t, lang, notice, onSignedIn }: { t: T; lang: Language; notice?: string; onSignedIn(s: CounterSignIn): void }) {
  const client = useMemo(() => new LanClient(), []);
  const [windows, setWindows] = useState<string[]>([]);
  const [window, setWindow] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    client
      .counterWindows()
      .then((r) => {
        setWindows(r.windows);
        setWindow((w) => w || r.windows[0] || '');
      })
      .catch((e: unknown) => setError(errorSentence(t, e, lang)));
  }, [client, t, lang]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    client
      .signIn(window, pin)
      .then(onSignedIn)
      .catch((err: unknown) => {
        setPin('');
        setError(errorSentence(t, err, lang));
      })
      .finally(() => setBusy(false));
  };

  return (
    <main className="counter counter--signin">
      <form className="signin" onSubmit={submit} aria-labelledby="signin-h">
        <h1 id="signin-h">
          {t('counter.title')} · {t('counter.signInTitle')}
        </h1>
        {notice && <p className="msg msg--info" role="status">{notice}</p>}
        <label htmlFor="window">{t('counter.window')}</label>
        <select id="window" value={window} onChange={(e) => setWindow(e.target.value)} required>
          {windows.map((w) => (
            <option key={w} value={w}>
              {t('counter.windowTitle', { window: w })}
            </option>
          ))}
        </select>
        <label htmlFor="pin">{t('counter.pin')}</label>
        <input
          id="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          pattern="[0-9]*"
          maxLength={8}
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          required
        />
        <button type="submit" className="btn btn--primary" disabled={busy || !window || pin.length < 4}>
          {busy ? t('counter.signingIn') : t('counter.signIn')}
        </button>
        {error && (
          <p className="msg msg--error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function Workspace({ session, t, lang, onSignedOut }: { session: CounterSignIn; t: T; lang: Language; onSignedOut(why?: string): void }) {
  const client = useMemo(() => new LanClient({ token: session.token }), [session.token]);
  const [snap, setSnap] = useState<QueueSnapshot | undefined>();
  const [hall, setHall] = useState<HallInfo | undefined>();
  const [conn, setConn] = useState<StreamState>('connecting');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [outcome, setOutcome] = useState<ServiceOutcome>('completed');
  const [target, setTarget] = useState('');
  const w = session.window;

  const refresh = useCallback(() => {
    client
      .snapshot()
      .then(setSnap)
      .catch((e: unknown) => setMessage({ kind: 'error', text: errorSentence(t, e, lang) }));
  }, [client, t, lang]);

  useEffect(() => {
    client
      .hall()
      .then(setHall)
      .catch((e: unknown) => setMessage({ kind: 'error', text: errorSentence(t, e, lang) }));
    const stream = new QueueStream({
      url: streamUrl(session.token),
      onState: setConn,
      onMessage: (m) => {
        if (m.type === 'hello') setSnap(m.snapshot);
        else refresh();
      },
      onBadMessage: (reason) => setMessage({ kind: 'error', text: reason }),
    });
    stream.start();
    const expiry = setTimeout(() => onSignedOut(t('errors.AUTH_REQUIRED')), Math.max(0, Date.parse(session.expiresAt) - Date.now()));
    return () => {
      stream.stop();
      clearTimeout(expiry);
    };
  }, [client, session, refresh, t, lang, onSignedOut]);

  const me = snap?.counters.find((c) => c.window === w);
  const current = me?.current ?? null;
  const myCats = snap?.categories.filter((c) => me?.categoryIds.includes(c.id)) ?? [];
  const catName = (c: { name: { 'zh-CN': string; 'zh-TW': string; en: string } }) => pickText(c.name, lang);

  async function act(run: () => Promise<TicketView | null | { state: CounterState }>, done: (r: TicketView | null | { state: CounterState }) => string) {
    setBusy(true);
    setMessage(undefined);
    try {
      const r = await run();
      setMessage({ kind: 'ok', text: done(r) });
      refresh();
    } catch (e) {
      if (e instanceof LanError && e.code === 'AUTH_REQUIRED') {
        onSignedOut(errorSentence(t, e, lang));
        return;
      }
      setMessage({ kind: 'error', text: errorSentence(t, e, lang) });
    } finally {
      setBusy(false);
    }
  }

  const num = (r: TicketView | null | { state: CounterState }) => (r && 'number' in r ? r.number : (current?.number ?? ''));
  const transferTargets = [
    ...(snap?.categories ?? []).map((c) => ({ value: `c:${c.id}`, label: t('counter.toCategory', { name: catName(c) }) })),
    ...(snap?.counters ?? []).filter((c) => c.window !== w).map((c) => ({ value: `w:${c.window}`, label: t('counter.toWindow', { window: c.window }) })),
  ];

  const signOut = () => {
    client
      .signOut()
      .catch((e: unknown) => {
        // signing out of an already expired session is still a sign-out; anything else is shown on the sign-in page
        if (!(e instanceof LanError && e.code === 'AUTH_REQUIRED')) throw e;
      })
      .then(
        () => onSignedOut(),
        (e: unknown) => onSignedOut(errorSentence(t, e, lang)),
      );
  };

  return (
    <div className="counter">
      <header className="counter__bar">
        <h1>
          {t('counter.windowTitle', { window: w })}
          {hall && <span className="counter__hall"> · {pickText(hall.hall.name, lang)}</span>}
        </h1>
        <span className={`badge badge--${me?.state ?? 'closed'}`} data-testid="counter-state">
          {t(`counter.state.${me?.state ?? 'closed'}`)}
        </span>
        <span className="counter__expires">
          {t('counter.expires', { time: formatHallTime(Date.parse(session.expiresAt), hall?.hall.utcOffset) })}
        </span>
        <button type="button" className="btn btn--plain" onClick={signOut}>
          {t('counter.signOut')}
        </button>
      </header>
      {conn !== 'open' && (
        <p className="msg msg--error counter__conn" role="alert">
          {conn === 'lost' ? t('conn.lost') : t('conn.connecting')}
        </p>
      )}

      <main className="counter__main">
        <section className="counter__current" aria-labelledby="current-h">
          <h2 id="current-h">{t('counter.current')}</h2>
          {current ? (
            <>
              <p className="counter__number" data-testid="current-number">
                {current.number}
              </p>
              <p className="counter__status">{t(`counter.status.${current.status}`)}</p>
            </>
          ) : (
            <p className="counter__none">{t('counter.noTicket')}</p>
          )}
        </section>

        <section className="counter__actions" aria-label={t('counter.title')}>
          <button
            type="button"
            className="btn btn--primary btn--big"
            disabled={busy || current !== null}
            onClick={() => act(() => client.callNext(w), (r) => (r ? t('counter.done.called', { ticket: num(r) }) : t('counter.noneWaiting')))}
          >
            {t('counter.callNext')}
          </button>
          <button type="button" className="btn btn--big" disabled={busy || current?.status !== 'called'} onClick={() => act(() => client.recall(w), (r) => t('counter.done.recalled', { ticket: num(r) }))}>
            {t('counter.recall')}
          </button>
          <button type="button" className="btn btn--big" disabled={busy || current?.status !== 'called'} onClick={() => act(() => client.start(w), (r) => t('counter.done.started', { ticket: num(r) }))}>
            {t('counter.start')}
          </button>
          <button type="button" className="btn btn--big btn--warn" disabled={busy || current?.status !== 'called'} onClick={() => act(() => client.noShow(w), (r) => t('counter.done.noShow', { ticket: num(r) }))}>
            {t('counter.noShow')}
          </button>
          <div className="counter__finish">
            <label htmlFor="outcome">{t('counter.outcome')}</label>
            <select id="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as ServiceOutcome)}>
              {SERVICE_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`counter.outcomes.${o}`)}
                </option>
              ))}
            </select>
            <button type="button" className="btn btn--big" disabled={busy || current === null} onClick={() => act(() => client.finish(w, outcome), (r) => t('counter.done.finished', { ticket: num(r) }))}>
              {t('counter.finish')}
            </button>
          </div>
          <div className="counter__transfer">
            <label htmlFor="transfer">{t('counter.transferTo')}</label>
            <select id="transfer" value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">—</option>
              {transferTargets.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn--big"
              disabled={busy || current === null || !target}
              onClick={() =>
                act(
                  () => client.transfer(w, target.startsWith('c:') ? { toCategoryId: target.slice(2) } : { toWindow: target.slice(2) }),
                  (r) => t('counter.done.transferred', { ticket: num(r) }),
                )
              }
            >
              {t('counter.transfer')}
            </button>
          </div>
        </section>

        <section className="counter__side" aria-labelledby="waiting-h">
          <h2 id="waiting-h">{t('counter.waiting')}</h2>
          <ul className="counter__waiting">
            {myCats.map((c) => (
              <li key={c.id}>
                <span>
                  {c.prefix} · {catName(c)}
                </span>
                <strong>{c.waiting}</strong>
              </li>
            ))}
          </ul>
          <div className="counter__state">
            {(['open', 'paused', 'closed'] as const).map((s) => (
              <button
                key={s}
                type="button"
                className="btn"
                aria-pressed={me?.state === s}
                disabled={busy}
                onClick={() => act(async () => ({ state: (await client.setState(w, s)).state }), () => t('counter.done.state', { state: t(`counter.state.${s}`) }))}
              >
                {t(s === 'open' ? 'counter.open' : s === 'paused' ? 'counter.pause' : 'counter.close')}
              </button>
            ))}
          </div>
        </section>
      </main>

      <div className="counter__msg" aria-live="polite">
        {message && (
          <p className={`msg msg--${message.kind === 'ok' ? 'ok' : 'error'}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="counter-message">
            {message.text}
          </p>
        )}
      </div>
    </div>
  );
}
