import { useCallback, useEffect, useState } from 'react';
import type { FollowView } from '../../../main/contract/queue-wire.js';
import { FOLLOW_LANGS, ft, hallClock, pickFollowLang, pickName, RATING_LEVELS, statusText, waitText, windowsText, type FollowLang } from './follow-text.js';

/**
 * The ticket follow page on a citizen's phone: number, position, estimated wait, called or not (and where), and the
 * 好差评 form after service. Polls `../api/v1/follow/<token>` every 10 s (relative, so it works behind the hall's
 * reverse proxy prefix). Shows no identity: the host sends none.
 */
const POLL_MS = 10_000;
const LANG_KEY = 'hall-kiosk.follow-lang';
const LANG_NAMES: Record<FollowLang, string> = { 'zh-CN': '简体', 'zh-TW': '繁體', en: 'English' };

type Load = { state: 'loading' } | { state: 'ok'; view: FollowView; at: Date } | { state: 'not-found' } | { state: 'offline'; last?: { view: FollowView; at: Date } };

const apiUrl = (token: string, suffix = '') => new URL(`../api/v1/follow/${encodeURIComponent(token)}${suffix}`, window.location.href).href;

function storedLang(): string | null {
  try {
    return window.localStorage.getItem(LANG_KEY);
  } catch (e) {
    // Private browsing may refuse storage: the language then follows the phone.
    console.warn('follow page: no local storage', e);
    return null;
  }
}

export function FollowApp(props: { token: string }) {
  const [lang, setLang] = useState<FollowLang>(() => pickFollowLang(storedLang(), navigator.languages ?? [navigator.language]));
  const [load, setLoad] = useState<Load>(props.token ? { state: 'loading' } : { state: 'not-found' });

  const refresh = useCallback(async () => {
    if (!props.token) return;
    try {
      const res = await fetch(apiUrl(props.token), { cache: 'no-store' });
      if (res.status === 404) {
        setLoad({ state: 'not-found' });
        return;
      }
      const body = (await res.json()) as { ok: boolean; value?: FollowView };
      if (!res.ok || !body.ok || !body.value) throw new Error(`status ${res.status}`);
      setLoad({ state: 'ok', view: body.value, at: new Date() });
    } catch (e) {
      console.warn('follow page: refresh failed', e);
      setLoad((prev) => ({ state: 'offline', ...(prev.state === 'ok' ? { last: { view: prev.view, at: prev.at } } : prev.state === 'offline' && prev.last ? { last: prev.last } : {}) }));
    }
  }, [props.token]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = ft(lang, 'title');
  }, [lang]);

  const view = load.state === 'ok' ? load.view : load.state === 'offline' ? load.last?.view : undefined;
  const finished = view !== undefined && (view.status === 'no_show' || view.status === 'expired' || (view.status === 'done' && !view.canRate));
  useEffect(() => {
    void refresh();
    if (finished) return undefined;
    const timer = window.setInterval(() => void refresh(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh, finished]);

  const chooseLang = (l: FollowLang) => {
    setLang(l);
    try {
      window.localStorage.setItem(LANG_KEY, l);
    } catch (e) {
      console.warn('follow page: language not stored', e);
    }
  };

  const at = load.state === 'ok' ? load.at : load.state === 'offline' ? load.last?.at : undefined;
  return (
    <main className="follow" data-testid="follow">
      <nav className="follow__langs" aria-label="Language">
        {FOLLOW_LANGS.map((l) => (
          <button key={l} type="button" lang={l} aria-pressed={l === lang} onClick={() => chooseLang(l)}>
            {LANG_NAMES[l]}
          </button>
        ))}
      </nav>
      {view && <p className="follow__hall">{pickName(view.hallName, lang)}</p>}
      <h1 className="follow__title">{ft(lang, 'title')}</h1>
      {load.state === 'loading' && <p className="follow__note">…</p>}
      {load.state === 'not-found' && (
        <p className="follow__alert" role="alert" data-testid="follow-not-found">
          {ft(lang, 'notFound')}
        </p>
      )}
      {load.state === 'offline' && (
        <p className="follow__alert" role="status">
          {ft(lang, 'offline')}
        </p>
      )}
      {view && <TicketStatus view={view} lang={lang} />}
      {view && (view.canRate || view.ratedLevel !== null) && <RatingForm token={props.token} lang={lang} ratedLevel={view.ratedLevel} onRated={() => void refresh()} />}
      {at && <p className="follow__note">{ft(lang, 'updated', { t: hallClock(at) })}</p>}
      <p className="follow__note">{ft(lang, 'privacy')}</p>
    </main>
  );
}

function TicketStatus(props: { view: FollowView; lang: FollowLang }) {
  const { view: v, lang } = props;
  const urgent = v.status === 'called';
  return (
    <section className="follow__ticket" aria-live="polite">
      <p className="follow__label">{ft(lang, 'yourNumber')}</p>
      <p className="follow__number" data-testid="follow-number">
        {v.number}
      </p>
      <p className="follow__category">{pickName(v.categoryName, lang)}</p>
      <p className={urgent ? 'follow__status follow__status--called' : 'follow__status'} data-testid="follow-status">
        {statusText(lang, v)}
      </p>
      <dl className="follow__facts">
        {v.status === 'waiting' && (
          <>
            <dt>{ft(lang, 'ahead')}</dt>
            <dd data-testid="follow-ahead">{ft(lang, 'aheadValue', { n: v.peopleAhead })}</dd>
            <dt>{ft(lang, 'wait')}</dt>
            <dd data-testid="follow-wait">{waitText(lang, v.peopleAhead, v.estimatedWaitMinutes)}</dd>
          </>
        )}
        {v.windows.length > 0 && v.status !== 'called' && v.status !== 'serving' && (
          <>
            <dt>{ft(lang, 'windows')}</dt>
            <dd>{windowsText(lang, v.windows)}</dd>
          </>
        )}
      </dl>
      <p className="follow__note">{ft(lang, 'validToday')}</p>
    </section>
  );
}

function RatingForm(props: { token: string; lang: FollowLang; ratedLevel: number | null; onRated: () => void }) {
  const { lang } = props;
  const [level, setLevel] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [state, setState] = useState<'idle' | 'sending' | 'done' | 'failed' | 'reason'>(props.ratedLevel !== null ? 'done' : 'idle');
  if (state === 'done' || props.ratedLevel !== null) {
    return (
      <p className="follow__thanks" role="status" data-testid="follow-thanks">
        {ft(lang, 'thanks')}
      </p>
    );
  }
  const submit = async () => {
    if (level === null) return;
    if (level <= 2 && reason.trim() === '') {
      setState('reason');
      return;
    }
    setState('sending');
    try {
      const res = await fetch(apiUrl(props.token, '/rating'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ level, ...(reason.trim() ? { reason: reason.trim() } : {}) }),
      });
      const body = (await res.json()) as { ok: boolean; error?: { code: string } };
      if (body.ok || body.error?.code === 'QUEUE_ALREADY_RATED') {
        setState('done');
        props.onRated();
      } else setState(body.error?.code === 'QUEUE_REASON_REQUIRED' ? 'reason' : 'failed');
    } catch (e) {
      console.warn('follow page: rating not sent', e);
      setState('failed');
    }
  };
  return (
    <form
      className="follow__rating"
      data-testid="follow-rating"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset>
        <legend>{ft(lang, 'rateTitle')}</legend>
        {RATING_LEVELS.map((r) => (
          <label key={r.level} className={level === r.level ? 'follow__level follow__level--on' : 'follow__level'}>
            <input type="radio" name="level" value={r.level} checked={level === r.level} onChange={() => setLevel(r.level)} />
            {r[lang]}
          </label>
        ))}
      </fieldset>
      <label className="follow__reason">
        {ft(lang, 'reason')}
        <textarea value={reason} maxLength={500} rows={3} onChange={(e) => setReason(e.target.value)} />
      </label>
      {state === 'reason' && <p className="follow__alert" role="alert">{ft(lang, 'reasonRequired')}</p>}
      {state === 'failed' && <p className="follow__alert" role="alert">{ft(lang, 'rateFailed')}</p>}
      <button type="submit" className="follow__submit" disabled={level === null || state === 'sending'}>
        {ft(lang, 'submit')}
      </button>
    </form>
  );
}
