import { createContext, useContext, useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';

/** A coded error as a sentence that says what to do. The code itself is never shown. */
/** Codes that mean "the link to the device is gone": with a `device`, the sentence names it (小票打印机未连接). */
const LINK_LOST = new Set(['TRANSPORT_DISCONNECTED', 'TRANSPORT_NOT_OPEN', 'TRANSPORT_OPEN_FAILED', 'TRANSPORT_WRITE_FAILED', 'DEVICE_CLOSED', 'PRINTER_OFFLINE']);

export function ErrorMessage(props: { code: string | null; device?: 'receiptPrinter'; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  if (!props.code) return null;
  const key = props.device && LINK_LOST.has(props.code) ? `deviceErrors.${props.device}.disconnected` : `errors.${props.code}`;
  const text = i18n.exists(key) ? t(key) : t('errors.generic');
  return (
    <div className="error-message" role="alert" data-testid="error-message" data-code={props.code}>
      <p>{text}</p>
      {props.children}
    </div>
  );
}

/** The cabinet's orientation and the elderly mode, for screens that page their lists to fill the glass. */
export interface Layout {
  orientation: 'portrait' | 'landscape';
  elderly: boolean;
}
export const LayoutContext = createContext<Layout>({ orientation: 'portrait', elderly: false });
export function useLayout(): Layout {
  return useContext(LayoutContext);
}

/**
 * Items per page that fill the screen without scrolling: `columns` × rows, where rows depend on the orientation and
 * the elderly mode (bigger targets, fewer rows). Tuned on 1080×1920 and 1920×1080 (e2e/screens.spec.ts checks it).
 */
export function usePerPage(rows: { portrait: number; landscape: number; elderlyPortrait: number; elderlyLandscape: number }): number {
  const { orientation, elderly } = useLayout();
  if (orientation === 'portrait') return elderly ? rows.elderlyPortrait : rows.portrait;
  return elderly ? rows.elderlyLandscape : rows.landscape;
}

/** Grid rows of a paged list (`--rows` in kiosk.css): a short last page keeps the same row height. */
export function rowsStyle(perPage: number, columns: number): CSSProperties {
  return { '--rows': String(Math.max(1, Math.ceil(perPage / columns))) } as CSSProperties;
}

/**
 * The screen's title. The back button is part of the header in the DOM but sits in the bottom bar on the glass
 * (kiosk.css `.screen-header .back`): within reach in portrait, at the same place on every screen.
 */
export function ScreenHeader(props: { title: string; hint?: string | undefined; onBack?: (() => void) | undefined; id: string }) {
  const { t } = useTranslation();
  return (
    <div className="screen-header">
      {props.onBack && (
        <button type="button" className="back" data-testid="nav-back" onClick={props.onBack}>
          <span aria-hidden="true">‹ </span>
          {t('common.back')}
        </button>
      )}
      <div>
        <h1 id={props.id}>{props.title}</h1>
        {props.hint && <p className="hint">{props.hint}</p>}
      </div>
    </div>
  );
}

export function Busy(props: { label: string }) {
  return (
    <div className="busy" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{props.label}</span>
    </div>
  );
}

/** A QR code drawn locally (qrcode), as an <img> with a data: URL (allowed by the CSP). */
export function QrImage(props: { payload: string; label: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(props.payload, { errorCorrectionLevel: 'M', margin: 2, width: props.size ?? 240 }).then((url) => live && setSrc(url));
    return () => {
      live = false;
    };
  }, [props.payload, props.size]);
  return src ? <img className="qr" src={src} alt={props.label} width={props.size ?? 240} height={props.size ?? 240} /> : null;
}

/** Pages a list so that a screen never shows more than `perPage` items (fewer in elderly mode). */
export function usePaged<T>(items: readonly T[], perPage: number): { page: T[]; pager: ReactNode } {
  const { t } = useTranslation();
  const [index, setIndex] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const current = Math.min(index, pages - 1);
  const first = useRef(items);
  useEffect(() => {
    if (first.current !== items) {
      first.current = items;
      setIndex(0);
    }
  }, [items]);
  const page = items.slice(current * perPage, current * perPage + perPage);
  const pager =
    pages > 1 ? (
      <nav className="pager" aria-label={t('common.pages')}>
        <button type="button" disabled={current === 0} onClick={() => setIndex(current - 1)}>
          {t('common.previous')}
        </button>
        <span>{t('common.pageOf', { page: current + 1, pages })}</span>
        <button type="button" disabled={current >= pages - 1} onClick={() => setIndex(current + 1)}>
          {t('common.next')}
        </button>
      </nav>
    ) : null;
  return { page, pager };
}

export type IconName = 'ticket' | 'checkin' | 'guide' | 'print' | 'rating' | 'help' | 'card' | 'scan';

/** Line icons drawn inline (no image requests), decorative: the label says what the button does. */
export function Icon(props: { name: IconName }) {
  const common = { fill: 'none', stroke: 'currentColor', strokeWidth: 4, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const };
  const paths: Record<IconName, ReactNode> = {
    ticket: (
      <>
        <path {...common} d="M10 18h44v10a6 6 0 0 0 0 12v10H10V40a6 6 0 0 0 0-12z" />
        <path {...common} d="M24 26h16M24 34h16M24 42h10" />
      </>
    ),
    checkin: (
      <>
        <rect {...common} x="10" y="14" width="44" height="40" rx="4" />
        <path {...common} d="M10 24h44M22 8v10M42 8v10M22 38l7 7 13-13" />
      </>
    ),
    guide: (
      <>
        <path {...common} d="M12 12h16a6 6 0 0 1 6 6v36a5 5 0 0 0-5-5H12zM52 12H38a6 6 0 0 0-6 6v36a5 5 0 0 1 5-5h15z" />
      </>
    ),
    print: (
      <>
        <path {...common} d="M18 24V8h28v16M18 46H10V26h44v20h-8" />
        <rect {...common} x="18" y="38" width="28" height="18" />
      </>
    ),
    rating: <path {...common} d="M32 8l7 15 16 2-12 11 3 16-14-8-14 8 3-16L9 25l16-2z" />,
    help: (
      <>
        <circle {...common} cx="32" cy="32" r="22" />
        <path {...common} d="M25 26a7 7 0 1 1 10 6c-2 1-3 3-3 5v2M32 46v1" />
      </>
    ),
    card: (
      <>
        <rect {...common} x="8" y="16" width="48" height="32" rx="4" />
        <circle {...common} cx="22" cy="30" r="5" />
        <path {...common} d="M14 42c2-4 14-4 16 0M36 26h14M36 34h10" />
      </>
    ),
    scan: (
      <>
        <path {...common} d="M10 20V10h10M44 10h10v10M54 44v10H44M20 54H10V44" />
        <path {...common} d="M20 22h8v8h-8zM36 22h8v8h-8zM20 36h8v8h-8zM36 36h4M44 40v4M36 44h4" />
      </>
    ),
  };
  return (
    <svg className="icon" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      {paths[props.name]}
    </svg>
  );
}

/**
 * True while `el` has content below its visible part (a long guide, a ticket in landscape elderly mode): the kiosk
 * then shows a "more below" hint, so nothing is hidden without a sign.
 */
export function useMoreBelow(el: HTMLElement | null): boolean {
  const [more, setMore] = useState(false);
  useEffect(() => {
    if (!el) return;
    const check = () => setMore(el.scrollHeight - el.scrollTop - el.clientHeight > 8);
    check();
    const resize = new ResizeObserver(check);
    resize.observe(el);
    const mutation = new MutationObserver(check);
    mutation.observe(el, { childList: true, subtree: true, characterData: true });
    el.addEventListener('scroll', check, { passive: true });
    return () => {
      resize.disconnect();
      mutation.disconnect();
      el.removeEventListener('scroll', check);
    };
  }, [el]);
  return more;
}
