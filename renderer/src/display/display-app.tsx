import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { clockLang, formatHallDate, formatHallTime } from '../../../kiosk-config/hall-clock.js';
import { pickText, type Language } from '../../../kiosk-config/i18n.js';
import { LanClient } from '../lan/client.js';
import { createLanI18n, errorSentence } from '../lan/i18n.js';
import { QueueStream, streamUrl, type StreamState } from '../lan/stream.js';
import type { CallRecord, DisplayFeed, HallInfo } from '../lan/types.js';
import { CallAnnouncer, type VoiceState } from './announcer.js';
import { applyCall, applyFeed, emptyModel, fromSnapshot, type DisplayModel } from './display-model.js';
import { HtmlAudioPlayer } from './html-audio-player.js';

type Action = { type: 'feed'; feed: DisplayFeed } | { type: 'call'; call: CallRecord };

function reducer(m: DisplayModel, a: Action): DisplayModel {
  switch (a.type) {
    case 'feed':
      return applyFeed(m, a.feed);
    case 'call':
      return applyCall(m, a.call);
    default: {
      const never: never = a;
      return never;
    }
  }
}

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** The hall display (综合屏). Opened as display.html#token=<display token>; see renderer/src/lan/token.ts. */
export function DisplayApp({ token }: { token: string | undefined }) {
  const [lang, setLang] = useState<Language>('zh-CN');
  const i18n = useMemo(() => createLanI18n(lang), [lang]);
  const t = i18n.t;
  const client = useMemo(() => new LanClient({ token }), [token]);
  const [hall, setHall] = useState<HallInfo | undefined>();
  const [model, dispatch] = useReducer(reducer, emptyModel);
  const [conn, setConn] = useState<StreamState>('connecting');
  const [problem, setProblem] = useState<string | undefined>();
  const [voice, setVoice] = useState<VoiceState>({ kind: 'idle' });
  const announcer = useRef<CallAnnouncer | undefined>(undefined);
  const now = useClock();

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('display.title');
  }, [lang, t]);

  useEffect(() => {
    if (!token) return;
    const player = new HtmlAudioPlayer();
    const a = new CallAnnouncer({
      resolveClips: async (c) => (await client.voice({ ticket: c.ticket, window: c.window }, 'zh')).clips,
      player,
      onState: setVoice,
    });
    announcer.current = a;
    let alive = true;
    // A plain browser refuses audio until the page is clicked: find out now and show the button before the first call.
    client
      .voice({ ticket: 'A001', window: '1' }, 'zh')
      .then(async (v) => {
        if (v.clips[0] && !(await player.mayAutoplay(v.clips[0]))) a.block();
      })
      .catch((e: unknown) => alive && setVoice({ kind: 'unavailable', reason: errorSentence(t, e, lang) }));
    let refetching = false;
    const refetch = () => {
      if (refetching) return;
      refetching = true;
      client
        .display()
        .then((feed) => alive && dispatch({ type: 'feed', feed }))
        .catch((e: unknown) => alive && setProblem(errorSentence(t, e, lang)))
        .finally(() => (refetching = false));
    };
    client
      .hall()
      .then((h) => {
        if (!alive) return;
        setHall(h);
        setLang(h.defaultLanguage);
      })
      .catch((e: unknown) => alive && setProblem(errorSentence(t, e, lang)));
    const stream = new QueueStream({
      url: streamUrl(token),
      onState: (s) => {
        setConn(s);
        if (s === 'open') setProblem(undefined);
      },
      onMessage: (m) => {
        switch (m.type) {
          case 'hello':
            dispatch({ type: 'feed', feed: fromSnapshot(m.snapshot) });
            return;
          case 'ticket-called': {
            const { type: _type, ...call } = m;
            dispatch({ type: 'call', call });
            a.announce({ ticket: call.number, window: call.window, recall: call.recall });
            refetch();
            return;
          }
          case 'queue-changed':
            refetch();
            return;
          default: {
            const never: never = m;
            return never;
          }
        }
      },
      onBadMessage: (reason) => setProblem(reason),
    });
    stream.start();
    return () => {
      alive = false;
      stream.stop();
    };
    // t/lang only feed error sentences; re-subscribing on a language change would drop the stream for nothing
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, token]);

  if (!token) {
    return (
      <main className="display display--error">
        <h1>{t('display.title')}</h1>
        <p role="alert">{t('conn.noToken', { page: 'display.html' })}</p>
      </main>
    );
  }

  const current = model.calls[0];
  const hallName = hall ? pickText(hall.hall.name, lang) : '';
  const catName = (id: string) => {
    const c = hall?.categories.find((x) => x.id === id);
    return c ? pickText(c.name, lang) : id;
  };
  const second = lang !== 'en' && hall?.languages.includes('en') ? createLanI18n('en').t : undefined;

  return (
    <div className="display">
      <header className="display__bar">
        <h1 className="display__hall">{hallName || t('display.title')}</h1>
        {/* Hall time (hall.utcOffset), whatever zone the display's browser is set to. */}
        <div className="display__clock">
          <span className="display__time">{formatHallTime(now, hall?.hall.utcOffset, { seconds: true })}</span>
          <span className="display__date">{formatHallDate(now, hall?.hall.utcOffset, clockLang(lang))}</span>
        </div>
      </header>

      {conn !== 'open' && (
        <div className="display__conn" role="alert" data-state={conn}>
          {conn === 'lost' ? t('conn.lost') : t('conn.connecting')}
        </div>
      )}

      <main className="display__main">
        <section className="display__current" aria-live="polite" aria-atomic="true" data-testid="current-call">
          {current ? (
            <div key={model.callSeq} className="display__call display__call--flash">
              {current.recall && <div className="display__recall">{t('display.recall')}</div>}
              <p className="display__call-text">
                {t('display.call', { ticket: '\uE000', window: '\uE001' })
                  .split(/(\uE000|\uE001)/)
                  .map((part, i) =>
                    part === '\uE000' ? (
                      <strong key={i} className="display__num">
                        {current.number}
                      </strong>
                    ) : part === '\uE001' ? (
                      <strong key={i} className="display__win">
                        {current.window}
                      </strong>
                    ) : (
                      <span key={i}>{part}</span>
                    ),
                  )}
              </p>
              {second && <p className="display__call-second">{second('display.call', { ticket: current.number, window: current.window })}</p>}
            </div>
          ) : (
            <p className="display__idle">{t('display.noCall')}</p>
          )}
        </section>

        <section className="display__recent" aria-labelledby="recent-h">
          <h2 id="recent-h">{t('display.recent')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('display.ticket')}</th>
                <th scope="col">{t('display.window')}</th>
              </tr>
            </thead>
            <tbody>
              {model.calls.slice(0, 8).map((c) => (
                <tr key={`${c.ticketId}-${c.at}`}>
                  <td className="display__recent-num">
                    {c.number}
                    {c.recall && <span className="display__recent-recall"> · {t('display.recall')}</span>}
                  </td>
                  <td>{t('display.windowN', { window: c.window })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </main>

      <section className="display__waiting" aria-labelledby="waiting-h">
        <h2 id="waiting-h">{t('display.waiting')}</h2>
        <ul>
          {model.waiting.map((w) => (
            <li key={w.categoryId}>
              <span className="display__prefix">{w.prefix}</span>
              <span className="display__cat">{catName(w.categoryId)}</span>
              <span className="display__count">{t('display.people', { count: w.waiting })}</span>
            </li>
          ))}
        </ul>
      </section>

      {hall && hall.announcements.length > 0 && (
        <footer className="display__news" aria-label={t('display.announcements')}>
          <div className="display__marquee">
            {[false, true].flatMap((copy) =>
              hall.announcements.map((a) => (
                <span key={`${a.id}-${copy}`} aria-hidden={copy || undefined}>
                  {pickText(a.text, lang)}
                </span>
              )),
            )}
          </div>
        </footer>
      )}

      {(problem || voice.kind === 'unavailable' || voice.kind === 'error') && (
        <p className="display__problem" role="status">
          {problem ?? t('display.voiceOff', { reason: voice.kind === 'unavailable' || voice.kind === 'error' ? voice.reason : '' })}
        </p>
      )}
      {voice.kind === 'blocked' && (
        <button type="button" className="display__voice-btn" onClick={() => announcer.current?.unlock()}>
          {t('display.enableVoice')}
        </button>
      )}
    </div>
  );
}
