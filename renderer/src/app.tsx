import { useMachine } from '@xstate/react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActorRefFrom } from 'xstate';
import type { Bootstrap, ScanView } from '../../main/contract/index.js';
import type { Language } from '../../kiosk-config/i18n.js';
import { receiptPrinterProblem } from '../../main/contract/ticketing.js';
import { kiosk } from './bridge/kiosk.js';
import { KeyboardWedgeDetector } from './hardware/keyboard-wedge.js';
import i18next from './i18n/index.js';
import type { checkinMachine } from './machines/checkin.machine.js';
import type { guideMachine } from './machines/guide.machine.js';
import type { helpMachine } from './machines/help.machine.js';
import { kioskMachine, type FlowName } from './machines/kiosk.machine.js';
import type { printMachine } from './machines/print.machine.js';
import type { ratingMachine } from './machines/rating.machine.js';
import type { ticketMachine } from './machines/ticket.machine.js';
import { AttractScreen } from './screens/attract-screen.js';
import { CheckinFlow } from './screens/checkin-screens.js';
import { GuideFlow } from './screens/guide-screens.js';
import { HelpFlow } from './screens/help-screens.js';
import { HomeScreen } from './screens/home-screen.js';
import { IdentifiedScreen } from './screens/identify-screens.js';
import { IdleWarning } from './screens/idle-warning.js';
import { PrintFlow } from './screens/print-screens.js';
import { RatingFlow } from './screens/rating-screens.js';
import { TicketFlow } from './screens/ticket-screens.js';
import { BottomBar, TopBar, useHallNow } from './screens/top-bar.js';
import { LayoutContext, useMoreBelow } from './components/common.js';
import { setHallUtcOffset } from './hall-clock.js';
import { SimPanel } from './sim/sim-panel.js';
import { StaffEntry } from './staff/staff-entry.js';
import { useKioskEvent } from './use-kiosk-event.js';
import { useVoice } from './voice.js';

export function App() {
  const [boot, setBoot] = useState<Bootstrap | null>(null);
  const [bootError, setBootError] = useState<string | null>(null);
  const { t } = useTranslation();

  useEffect(() => {
    void kiosk()
      .invoke('app.bootstrap', {})
      .then((r) => {
        if (!r.ok) {
          setBootError(r.error.code);
          return;
        }
        setBoot(r.value);
        void i18next.changeLanguage(r.value.config.kiosk.defaultLanguage);
        void kiosk().invoke('app.ready', {});
      });
  }, []);

  if (bootError) {
    return (
      <div className="boot-error" role="alert" data-code={bootError}>
        {i18next.exists(`errors.${bootError}`) ? t(`errors.${bootError}`) : t('errors.generic')}
      </div>
    );
  }
  if (!boot) return <div className="boot" aria-busy="true">{t('app.loading')}</div>;
  if (boot.provisioning) {
    // No hall configuration yet (packaged install): no citizen flows; the screen tells the technician what to do.
    return (
      <main className="provisioning" role="alert" data-testid="provisioning">
        <h1>{boot.provisioning.title}</h1>
        {boot.provisioning.lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </main>
    );
  }
  return <Kiosk boot={boot} />;
}

type Screen = 'attract' | 'home' | 'identified' | FlowName;

/** Codes typed by a keyboard-wedge scanner are classified like the host does for its own scanners. */
function wedgeScanView(text: string): ScanView {
  // A ticket is `HKT:<token>` or its follow-page URL `<publicBaseUrl>/t/<token>` (drivers/scanner/protocol.ts).
  const followUrl = /^https?:\/\/[^/?#]+(?:\/[^/?#]+)*\/t\/[0-9A-Za-z_-]{6,64}\/?$/i.test(text);
  const kind: ScanView['kind'] = text.startsWith('HKT:') || followUrl ? 'ticket' : /^https?:\/\//i.test(text) ? 'url' : /^AP-/i.test(text) ? 'appointment' : 'unknown';
  return { kind, display: text.slice(0, 6) };
}

function Kiosk({ boot }: { boot: Bootstrap }) {
  const { t, i18n } = useTranslation();
  const [config, setConfig] = useState(boot.config);
  const [elderly, setElderly] = useState(boot.config.kiosk.elderlyModeDefault);
  const lang = i18n.language as Language;
  const idle = config.kiosk.idle;
  const idleMs = (elderly ? idle.elderlyTimeoutSeconds : idle.timeoutSeconds) * 1000;
  const [state, send] = useMachine(
    kioskMachine.provide({
      actions: {
        notifySessionEnd: (_, params) => void kiosk().invoke('session.end', { reason: params.reason }),
      },
    }),
    {
      input: {
        idleMs,
        warningMs: idle.warningSeconds * 1000,
        lang,
        cardOnReader: boot.cardOnReader,
        printerProblem: receiptPrinterProblem(boot.devices.find((d) => d.id === 'receiptPrinter')),
        whenPrinterDown: boot.config.whenPrinterDown,
      },
    },
  );

  useEffect(() => send({ type: 'SET_TIMEOUTS', idleMs, warningMs: idle.warningSeconds * 1000 }), [idleMs, idle.warningSeconds, send]);
  useEffect(() => send({ type: 'SET_LANG', lang }), [lang, send]);
  useKioskEvent('card-read', (identity) => send({ type: 'CARD_READ', identity }));
  useKioskEvent('card-removed', () => send({ type: 'CARD_REMOVED' }));
  useKioskEvent('code-scanned', (scan) => send({ type: 'CODE_SCANNED', scan }));
  useKioskEvent('config-changed', (c) => setConfig(c));
  useEffect(() => send({ type: 'SET_PRINTER_POLICY', whenPrinterDown: config.whenPrinterDown }), [config.whenPrinterDown, send]);
  useKioskEvent('device-status', (d) => {
    if (d.id === 'receiptPrinter') send({ type: 'PRINTER_STATUS', problem: receiptPrinterProblem(d) });
  });
  useKioskEvent('help-updated', (request) => send({ type: 'HELP_UPDATED', request }));
  // The host ended the session on its side (this page's connection dropped, staff signed in): start over. The
  // page's own session.end comes back as the same event and finds the machine on the attract screen already.
  useKioskEvent('session-ended', (e) => {
    if (e.reason === 'connection-closed' || e.reason === 'staff-entry') send({ type: 'SESSION_ENDED' });
  });
  setHallUtcOffset(config.hall.utcOffset);
  const hallNow = useHallNow(boot.now);
  const [queueAvailable, setQueueAvailable] = useState(true);
  useKioskEvent('queue-availability', (a) => setQueueAvailable(a.available));

  // Keyboard-wedge scanners type their code; bursts become scans, anything else is dropped (no text fields here).
  useEffect(() => {
    const detector = new KeyboardWedgeDetector({ onScan: (s) => send({ type: 'CODE_SCANNED', scan: wedgeScanView(s.text), code: s.text }) });
    const handler = detector.keydownHandler();
    window.addEventListener('keydown', handler, true);
    return () => window.removeEventListener('keydown', handler, true);
  }, [send]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const screenValue = state.matches('session') ? (state.value as { session: { screen: string } }).session.screen : 'attract';
  const screen = screenValue as Screen;
  const flow = state.children.flow;
  const flowState = useFlowStateName(flow);

  const prompt = voicePrompt(t, i18n.exists.bind(i18n), screen, flowState);
  const voice = useVoice(elderly, lang, prompt);
  const setLang = (l: Language) => void i18n.changeLanguage(l);
  const orientation = useOrientation(config.kiosk.orientation);
  const layout = useMemo(() => ({ orientation, elderly }), [orientation, elderly]);
  const [screenEl, setScreenEl] = useState<HTMLElement | null>(null);
  const moreBelow = useMoreBelow(screenEl);
  // With the voice strip on, the home's title is read from the strip only (kiosk.css): the prompt is not said twice.
  const showPrompt = prompt !== '';

  return (
    <LayoutContext.Provider value={layout}>
    <div
      className={`kiosk ${orientation} ${elderly ? 'elderly' : ''} ${voice !== 'off' && prompt !== '' ? 'voice-shown' : ''}`}
      data-screen={screen}
      data-flow-state={flowState}
      onPointerDown={() => send({ type: 'TOUCH' })}
    >
      <TopBar config={config} lang={lang} now={hallNow} showClock={screen !== 'attract'} />
      {voice !== 'off' && (
        <div className="voice-strip">
          {/* Spoken prompts are always shown too; without a voice the kiosk says so instead of going silent. */}
          <span className="voice-state" role="status" data-testid={voice === 'unavailable' ? 'voice-unavailable' : 'voice-on'}>
            {voice === 'unavailable' ? t('voice.unavailable') : t('voice.on')}
          </span>
          {showPrompt && (
            <span className="voice-prompt" aria-live="polite" data-testid="voice-prompt">
              {prompt}
            </span>
          )}
        </div>
      )}
      {state.context.cardOnReader && screen !== 'identified' && (
        // On the final screens (and once the session is over) the citizen is told plainly to take the card now.
        <p className={`card-reminder ${takeCardNow(screen, flowState) ? 'take-now' : ''}`} role="status" data-testid="card-reminder">
          {takeCardNow(screen, flowState) ? t('identify.takeCardNow') : t('identify.removeCard')}
        </p>
      )}
      <main className={`screen ${moreBelow ? 'scrolls' : ''}`} ref={setScreenEl} data-more-below={moreBelow}>
        {screen === 'attract' && <AttractScreen config={config} lang={lang} now={boot.now} onStart={() => send({ type: 'START' })} />}
        {screen === 'home' && (
          <HomeScreen identity={state.context.identity} queueAvailable={queueAvailable} printerProblem={state.context.printerProblem} whenPrinterDown={state.context.whenPrinterDown} onOpen={(f) => send(f === 'help' ? { type: 'HELP' } : { type: 'OPEN', flow: f })} onExit={() => send({ type: 'EXIT' })} />
        )}
        {screen === 'identified' && state.context.identity && (
          <IdentifiedScreen identity={state.context.identity} onConfirm={() => send({ type: 'CONFIRM' })} onReject={() => send({ type: 'REJECT' })} />
        )}
        {screen === 'ticket' && flow && <TicketFlow actor={flow as ActorRefFrom<typeof ticketMachine>} lang={lang} elderly={elderly} />}
        {screen === 'checkin' && flow && <CheckinFlow actor={flow as ActorRefFrom<typeof checkinMachine>} lang={lang} />}
        {screen === 'guide' && flow && <GuideFlow actor={flow as ActorRefFrom<typeof guideMachine>} lang={lang} elderly={elderly} />}
        {screen === 'print' && flow && <PrintFlow actor={flow as ActorRefFrom<typeof printMachine>} lang={lang} elderly={elderly} />}
        {screen === 'rating' && flow && <RatingFlow actor={flow as ActorRefFrom<typeof ratingMachine>} lang={lang} />}
        {screen === 'help' && flow && <HelpFlow actor={flow as ActorRefFrom<typeof helpMachine>} staffed={config.hall.staffed} phone={config.hall.phone} />}
      </main>
      <BottomBar
        config={config}
        lang={lang}
        onLang={setLang}
        elderly={elderly}
        onElderly={() => setElderly((e) => !e)}
        onHelp={screen !== 'attract' && screen !== 'help' ? () => send({ type: 'HELP' }) : undefined}
        moreBelow={moreBelow}
      />
      {state.matches({ session: { idle: 'warning' } }) && <IdleWarning seconds={idle.warningSeconds} />}
      {boot.simulation && <SimPanel />}
      <StaffEntry onReset={() => send({ type: 'EXIT' })} />
    </div>
    </LayoutContext.Provider>
  );
}

/** The screens that end a citizen's errand: a card still on the reader gets “请取回身份证”. */
function takeCardNow(screen: string, flowState: string | undefined): boolean {
  return screen === 'attract' || flowState === 'done' || flowState === 'screenTicket' || flowState === 'printFailed';
}

/** The spoken (and shown) prompt of a screen: `voice.prompt.<screen>.<flow state>`, else `voice.prompt.<screen>._`. */
function voicePrompt(t: (k: string) => string, exists: (k: string) => boolean, screen: string, flowState: string | undefined): string {
  const specific = flowState ? `voice.prompt.${screen}.${flowState}` : undefined;
  if (specific && exists(specific) && !exists(`${specific}._`)) return t(specific);
  return exists(`voice.prompt.${screen}._`) ? t(`voice.prompt.${screen}._`) : '';
}

/** The flow's top-level state name (for voice prompts and tests), following the child actor. */
function useFlowStateName(flow: unknown): string | undefined {
  const ref = flow as { getSnapshot?: () => { value: unknown }; subscribe?: (fn: () => void) => { unsubscribe(): void } } | undefined;
  const read = () => {
    const v = ref?.getSnapshot?.().value;
    return typeof v === 'string' ? v : v && typeof v === 'object' ? Object.keys(v)[0] : undefined;
  };
  const [name, setName] = useState(read);
  useEffect(() => {
    setName(read());
    const sub = ref?.subscribe?.(() => setName(read()));
    return () => sub?.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flow]);
  return name;
}

/** The configured orientation, unless the window says otherwise (the same build serves both cabinets). */
function useOrientation(configured: 'portrait' | 'landscape'): 'portrait' | 'landscape' {
  const query = useMemo(() => globalThis.matchMedia?.('(orientation: landscape)'), []);
  const [landscape, setLandscape] = useState(() => query?.matches ?? configured === 'landscape');
  useEffect(() => {
    if (!query) return;
    const onChange = () => setLandscape(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [query]);
  return landscape ? 'landscape' : 'portrait';
}
