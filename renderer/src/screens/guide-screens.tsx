import { useSelector } from '@xstate/react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import type { GuideBrowseBy, GuideSummary } from '../../../main/contract/index.js';
import {
  formatFeeLines,
  formatLegalLimit,
  formatMaterialForm,
  formatPromisedLimit,
  label,
  localize,
  serviceTypeLabel,
} from '../../../kiosk-config/catalog/format.js';
import type { ServiceItem } from '../../../kiosk-config/catalog/schema.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { Busy, ErrorMessage, rowsStyle, ScreenHeader, usePaged, usePerPage } from '../components/common.js';
import type { guideMachine } from '../machines/guide.machine.js';

const BROWSE: GuideBrowseBy[] = ['theme', 'department', 'lifeEvent'];
const KEYS = ['QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'];

export function GuideFlow(props: { actor: ActorRefFrom<typeof guideMachine>; lang: Language; elderly: boolean }) {
  const { t } = useTranslation();
  const state = useSelector(props.actor, (s) => s);
  const send = props.actor.send;
  const ctx = state.context;
  const perPage = usePerPage({ portrait: 12, landscape: 12, elderlyPortrait: 8, elderlyLandscape: 6 });
  const itemsPerPage = usePerPage({ portrait: 8, landscape: 8, elderlyPortrait: 4, elderlyLandscape: 4 });
  const resultsPerPage = usePerPage({ portrait: 4, landscape: 4, elderlyPortrait: 2, elderlyLandscape: 3 });

  if (state.matches('browse')) {
    return (
      <section aria-labelledby="guide-title" data-flow-state="browse">
        <ScreenHeader id="guide-title" title={t('guide.title')} hint={t('guide.hint')} onBack={() => send({ type: 'BACK' })} />
        <button type="button" className="search-entry" data-testid="guide-search" onClick={() => send({ type: 'SEARCH' })}>
          {t('guide.searchEntry')}
        </button>
        <div className="tabs" role="tablist" aria-label={t('guide.browseBy')}>
          {BROWSE.map((by) => (
            <button key={by} type="button" role="tab" aria-selected={ctx.by === by} className={ctx.by === by ? 'active' : ''} onClick={() => send({ type: 'BROWSE_BY', by })}>
              {t(`guide.by.${by}`)}
            </button>
          ))}
        </div>
        {state.matches({ browse: 'loading' }) && <Busy label={t('common.loading')} />}
        {state.matches({ browse: 'failed' }) && (
          <ErrorMessage code={ctx.errorCode}>
            <button type="button" className="primary" onClick={() => send({ type: 'RETRY' })}>{t('common.retry')}</button>
          </ErrorMessage>
        )}
        {state.matches({ browse: 'ready' }) && <GroupGrid groups={ctx.groups} lang={props.lang} perPage={perPage} onOpen={(key) => send({ type: 'OPEN_GROUP', key })} />}
      </section>
    );
  }
  if (state.matches('list')) {
    return (
      <section aria-labelledby="guide-title" data-flow-state="list">
        <ScreenHeader id="guide-title" title={ctx.group ? localize(ctx.group.label, props.lang) : t('guide.title')} onBack={() => send({ type: 'BACK' })} />
        {state.matches({ list: 'loading' }) && <Busy label={t('common.loading')} />}
        {state.matches({ list: 'failed' }) && <ErrorMessage code={ctx.errorCode} />}
        {state.matches({ list: 'ready' }) && <ItemList items={ctx.items} lang={props.lang} perPage={itemsPerPage} onOpen={(id) => send({ type: 'OPEN_ITEM', id })} />}
      </section>
    );
  }
  if (state.matches('search')) {
    return (
      <section aria-labelledby="guide-title" data-flow-state="search">
        <ScreenHeader id="guide-title" title={t('guide.searchTitle')} hint={t('guide.searchHint')} onBack={() => send({ type: 'BACK' })} />
        <div className="search-layout">
        <div className="search-input">
        <output className="search-query" data-testid="search-query" aria-live="polite">
          {ctx.query === '' ? <span className="placeholder">{t('guide.searchPlaceholder')}</span> : ctx.query}
        </output>
        <div className="keypad" role="group" aria-label={t('guide.keypad')}>
          {KEYS.map((row) => (
            <div key={row} className="keypad-row">
              {[...row].map((k) => (
                <button key={k} type="button" className="key" data-testid={`key-${k}`} onClick={() => send({ type: 'KEY', key: k.toLowerCase() })}>
                  {k}
                </button>
              ))}
            </div>
          ))}
          <div className="keypad-row">
            <button type="button" className="key wide" onClick={() => send({ type: 'BACKSPACE' })}>{t('guide.backspace')}</button>
            <button type="button" className="key wide" onClick={() => send({ type: 'CLEAR' })}>{t('guide.clear')}</button>
          </div>
        </div>
        </div>
        <div className="search-results">
        {state.matches({ search: 'searching' }) && <Busy label={t('guide.searching')} />}
        {state.matches({ search: 'failed' }) && <ErrorMessage code={ctx.errorCode} />}
        {state.matches({ search: 'ready' }) &&
          (ctx.results.length === 0 ? (
            <p className="note" role="status">{t('guide.noResults')}</p>
          ) : (
            <ItemList items={ctx.results} lang={props.lang} perPage={resultsPerPage} single onOpen={(id) => send({ type: 'OPEN_ITEM', id })} />
          ))}
        </div>
        </div>
      </section>
    );
  }
  if (state.matches('item')) {
    return (
      <section aria-labelledby="guide-title" data-flow-state="item">
        <ScreenHeader id="guide-title" title={ctx.item ? localize(ctx.item.name, props.lang) : t('guide.title')} onBack={() => send({ type: 'BACK' })} />
        {state.matches({ item: 'loading' }) && <Busy label={t('common.loading')} />}
        {state.matches({ item: 'failed' }) && <ErrorMessage code={ctx.errorCode} />}
        {ctx.item && (
          <>
            <ItemDetail item={ctx.item} lang={props.lang} />
            <div className="item-actions">
              <button type="button" className="primary big" data-testid="print-checklist" disabled={state.matches({ item: 'printing' })} onClick={() => send({ type: 'PRINT_CHECKLIST' })}>
                {t('guide.printChecklist')}
              </button>
              {state.matches({ item: 'printing' }) && <Busy label={t('ticket.printing')} />}
              {state.matches({ item: 'printed' }) && <p className="note ok" role="status" data-testid="checklist-printed">{t('guide.checklistPrinted')}</p>}
              {state.matches({ item: 'printFailed' }) && <ErrorMessage code={ctx.errorCode} device="receiptPrinter" />}
            </div>
          </>
        )}
      </section>
    );
  }
  return <Busy label={t('common.loading')} />;
}

function GroupGrid(props: { groups: { key: string; label: Parameters<typeof localize>[0]; count: number }[]; lang: Language; perPage: number; onOpen: (key: string) => void }) {
  const { t } = useTranslation();
  const { page, pager } = usePaged(props.groups, props.perPage);
  const columns = usePerPage({ portrait: 3, landscape: 4, elderlyPortrait: 2, elderlyLandscape: 3 });
  return (
    <>
      <div className="group-grid" style={rowsStyle(props.perPage, columns)}>
        {page.map((g) => (
          <button key={g.key} type="button" className="group" data-testid={`group-${g.key}`} onClick={() => props.onOpen(g.key)}>
            <span className="group-label">{localize(g.label, props.lang)}</span>
            <span className="group-count">{t('guide.itemCount', { count: g.count })}</span>
          </button>
        ))}
      </div>
      {pager}
    </>
  );
}

function ItemList(props: { items: GuideSummary[]; lang: Language; perPage: number; single?: boolean; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { page, pager } = usePaged(props.items, props.perPage);
  const layoutColumns = usePerPage({ portrait: 1, landscape: 2, elderlyPortrait: 1, elderlyLandscape: 2 });
  const columns = props.single ? 1 : layoutColumns;
  return (
    <>
      <ul className={`item-list ${props.single ? 'single' : ''}`} style={rowsStyle(props.perPage, columns)}>
        {page.map((i) => (
          <li key={i.id}>
            <button type="button" className="item" data-testid={`item-${i.id}`} onClick={() => props.onOpen(i.id)}>
              <span className="item-name">{localize(i.name, props.lang)}</span>
              <span className="item-meta">
                {localize(i.department, props.lang)} · {formatPromisedLimit(i.promisedTimeLimitDays, props.lang)}
                {i.onlineAvailable ? ` · ${t('guide.online')}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {pager}
    </>
  );
}

/** True when every text of `value` (any object with a zh-CN text) also has its English. */
export function wholeInEnglish(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(wholeInEnglish);
  if (value === null || typeof value !== 'object') return true;
  const o = value as Record<string, unknown>;
  if (typeof o['zh-CN'] === 'string' && typeof o.en !== 'string') return false;
  return Object.values(o).every(wholeInEnglish);
}

/**
 * Every standard element of the item (一次性告知), in the national order. In English, an item whose texts are not all
 * translated says so once (in English) and is then shown whole in Simplified Chinese, headings included, marked
 * lang="zh-CN": never English headings over Chinese text, never scripts mixed mid-page.
 */
function ItemDetail(props: { item: ServiceItem; lang: Language }) {
  const { t } = useTranslation();
  const chineseOnly = props.lang === 'en' && !wholeInEnglish(props.item);
  return chineseOnly ? (
    <>
      <p className="note warn" role="note" data-testid="chinese-only">{t('guide.chineseOnly')}</p>
      <ItemArticle item={props.item} lang="zh-CN" />
    </>
  ) : (
    <ItemArticle item={props.item} lang={props.lang} />
  );
}

function ItemArticle(props: { item: ServiceItem; lang: Language }) {
  const { t } = useTranslation();
  const { item, lang } = props;
  const L = (x: Parameters<typeof localize>[0]) => localize(x, lang);
  return (
    <article className="item-detail" data-testid="item-detail" lang={lang}>
      <dl className="facts">
        <dt>{label('department', lang)}</dt>
        <dd>{L(item.department.name)}</dd>
        <dt>{label('serviceType', lang)}</dt>
        <dd>{serviceTypeLabel(item.serviceType, lang)}</dd>
        <dt>{label('legalLimit', lang)}</dt>
        <dd>{formatLegalLimit(item.legalTimeLimitDays, lang)}</dd>
        <dt>{label('promisedLimit', lang)}</dt>
        <dd>{formatPromisedLimit(item.promisedTimeLimitDays, lang)}</dd>
        <dt>{label('fees', lang)}</dt>
        <dd>{formatFeeLines(item.fees, lang).join(t('common.periodSeparator', { lng: lang }))}</dd>
        <dt>{label('windows', lang)}</dt>
        <dd>{item.windows.map(L).join(t('common.periodSeparator', { lng: lang }))}</dd>
        <dt>{label('phone', lang)}</dt>
        <dd>{item.phone}</dd>
        <dt>{label('result', lang)}</dt>
        <dd>{L(item.result)}</dd>
        {item.onlineAvailable && (
          <>
            <dt>{label('online', lang)}</dt>
            <dd>{(item.onlineChannels ?? []).map(L).join(t('common.listSeparator', { lng: lang })) || t('guide.online', { lng: lang })}</dd>
          </>
        )}
      </dl>
      <h2>{label('conditions', lang)}</h2>
      <ul>{item.conditions.map((c, i) => <li key={i}>{L(c)}</li>)}</ul>
      <h2>{label('materials', lang)}</h2>
      <ol className="materials">
        {item.materials.map((m, i) => (
          <li key={i}>
            <span className="material-name">{L(m.name)}</span>
            <span className="material-form">
              {formatMaterialForm(m, lang)} · {label(m.required ? 'required' : 'optional', lang)}
              {m.exemptIfSharedData ? ` · ${label('exempt', lang)}` : ''}
            </span>
            {m.note && <span className="material-note">{L(m.note)}</span>}
          </li>
        ))}
      </ol>
      <h2>{label('process', lang)}</h2>
      <ol className="process">
        {item.process.map((p, i) => (
          <li key={i}>
            <strong>{L(p.title)}</strong>
            {p.detail && <span> — {L(p.detail)}</span>}
          </li>
        ))}
      </ol>
      <h2>{label('basis', lang)}</h2>
      <ul className="basis">{item.basis.map((b, i) => <li key={i}>{L(b)}</li>)}</ul>
    </article>
  );
}
