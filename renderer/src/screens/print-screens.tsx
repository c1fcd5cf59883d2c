import { useSelector } from '@xstate/react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import { localize } from '../../../kiosk-config/catalog/format.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { Busy, ErrorMessage, rowsStyle, ScreenHeader, usePaged, usePerPage } from '../components/common.js';
import type { printMachine } from '../machines/print.machine.js';

export function PrintFlow(props: { actor: ActorRefFrom<typeof printMachine>; lang: Language; elderly: boolean }) {
  const { t } = useTranslation();
  const state = useSelector(props.actor, (s) => s);
  const send = props.actor.send;
  const ctx = state.context;
  const perPage = usePerPage({ portrait: 8, landscape: 8, elderlyPortrait: 5, elderlyLandscape: 4 });
  const columns = usePerPage({ portrait: 1, landscape: 2, elderlyPortrait: 1, elderlyLandscape: 2 });
  const { page, pager } = usePaged(ctx.documents, perPage);

  if (state.matches('loading')) return <Busy label={t('common.loading')} />;
  if (state.matches('failed')) {
    return (
      <section aria-labelledby="print-title">
        <ScreenHeader id="print-title" title={t('print.title')} onBack={() => send({ type: 'BACK' })} />
        <ErrorMessage code={ctx.errorCode}>
          <button type="button" className="primary" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>
        </ErrorMessage>
      </section>
    );
  }
  if (state.matches('choosing')) {
    return (
      <section aria-labelledby="print-title" data-flow-state="choosing">
        <ScreenHeader id="print-title" title={t('print.title')} hint={t('print.hint')} onBack={() => send({ type: 'BACK' })} />
        <ul className="item-list" style={rowsStyle(perPage, columns)}>
          {page.map((d) => (
            <li key={d.id}>
              <button type="button" className="item" data-testid={`doc-${d.id}`} onClick={() => send({ type: 'CHOOSE', id: d.id })}>
                <span className="item-name">{localize(d.title, props.lang)}</span>
                <span className="item-meta">
                  {t(`print.kind.${d.kind}`)}
                  {d.itemName ? ` · ${localize(d.itemName, props.lang)}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {pager}
      </section>
    );
  }
  const title = ctx.document ? localize(ctx.document.title, props.lang) : t('print.title');
  if (state.matches('preview')) {
    return (
      <section aria-labelledby="print-title" data-flow-state="preview">
        <ScreenHeader id="print-title" title={title} onBack={() => send({ type: 'BACK' })} />
        {state.matches({ preview: 'loading' }) && <Busy label={t('print.rendering')} />}
        {state.matches({ preview: 'failed' }) && (
          <ErrorMessage code={ctx.errorCode}>
            <button type="button" className="primary" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>
          </ErrorMessage>
        )}
        {ctx.preview && (
          <>
            <div className="preview-layout">
            <div className="preview-pages" data-testid="preview-pages">
              {ctx.preview.pages.map((src, i) => (
                <img key={i} src={src} alt={t('print.pageAlt', { page: i + 1, title })} />
              ))}
            </div>
            <div className="preview-controls">
            <p className="hint">{t('print.pages', { count: ctx.preview.pageCount })}</p>
            <div className="copies" role="group" aria-label={t('print.copies')}>
              <span>{t('print.copies')}</span>
              <button type="button" className="step" aria-label={t('print.less')} disabled={ctx.copies <= 1} onClick={() => send({ type: 'LESS' })}>−</button>
              <output data-testid="copies" aria-live="polite">{ctx.copies}</output>
              <button type="button" className="step" aria-label={t('print.more')} disabled={ctx.copies >= ctx.maxCopies} onClick={() => send({ type: 'MORE' })}>+</button>
              <span className="hint">{t('print.maxCopies', { count: ctx.maxCopies })}</span>
            </div>
            <button type="button" className="primary big wide" data-testid="print-a4" disabled={!state.matches({ preview: 'ready' })} onClick={() => send({ type: 'PRINT' })}>
              {t('print.print')}
            </button>
            </div>
            </div>
          </>
        )}
      </section>
    );
  }
  if (state.matches('submitting') || state.matches('following')) {
    return (
      <section aria-labelledby="print-title" data-flow-state="following">
        <ScreenHeader id="print-title" title={title} />
        <Busy label={ctx.jobState === 'processing' ? t('print.processing') : t('print.queued')} />
      </section>
    );
  }
  if (state.matches('submitFailed')) {
    return (
      <section aria-labelledby="print-title" data-flow-state="submitFailed">
        <ScreenHeader id="print-title" title={t('print.failedTitle')} />
        <ErrorMessage code={ctx.errorCode} />
        <div className="actions">
          <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>
          <button type="button" className="secondary big" onClick={() => send({ type: 'DONE' })}>{t('common.home')}</button>
        </div>
      </section>
    );
  }
  if (state.matches('finished')) {
    const ok = ctx.jobState === 'completed';
    const why = ctx.jobReason === 'timeout' ? 'timeout' : (ctx.jobState ?? 'failed');
    return (
      <section aria-labelledby="print-title" data-flow-state="finished" data-job-state={ctx.jobState ?? ''}>
        <ScreenHeader id="print-title" title={ok ? t('print.doneTitle') : t('print.failedTitle')} />
        <p className={`note ${ok ? 'ok' : 'warn'}`} role="status" data-testid="print-result">
          {ok ? t('print.done', { count: ctx.copies }) : t(`print.jobEnded.${why}`)}
        </p>
        <div className="actions">
          {!ok && <button type="button" className="primary big" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>}
          <button type="button" className="secondary big" onClick={() => send({ type: 'BACK' })}>{t('print.another')}</button>
          <button type="button" className={ok ? 'primary big' : 'secondary big'} onClick={() => send({ type: 'DONE' })}>{t('common.finish')}</button>
        </div>
      </section>
    );
  }
  return <Busy label={t('common.loading')} />;
}
