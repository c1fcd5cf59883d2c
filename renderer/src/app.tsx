import { useMachine } from '@xstate/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Bootstrap } from '../../main/contract/index.js';
import type { Language } from '../../kiosk-config/i18n.js';
import { kiosk } from './bridge/kiosk.js';
import i18next from './i18n/index.js';
import { kioskMachine } from './machines/kiosk.machine.js';
import { AttractScreen } from './screens/attract-screen.js';
import { HomeScreen } from './screens/home-screen.js';
import { IdentifyScreen, IdentifiedScreen } from './screens/identify-screens.js';
import { IdleWarning } from './screens/idle-warning.js';
import { TopBar } from './screens/top-bar.js';
import { SimPanel } from './sim/sim-panel.js';
import { useKioskEvent } from './use-kiosk-event.js';

export function App() {
  const [boot, setBoot] = useState<Bootstrap | null>(null);
  const [bootError, setBootError] = useState<string | null>(null);

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

  if (bootError) return <div className="boot-error" role="alert">{bootError}</div>;
  if (!boot) return <div className="boot" aria-busy="true" />;
  return <Kiosk boot={boot} />;
}

function Kiosk({ boot }: { boot: Bootstrap }) {
  const { i18n } = useTranslation();
  const [config, setConfig] = useState(boot.config);
  const [elderly, setElderly] = useState(boot.config.kiosk.elderlyModeDefault);
  const idle = config.kiosk.idle;
  const idleMs = (elderly ? idle.elderlyTimeoutSeconds : idle.timeoutSeconds) * 1000;
  const [state, send] = useMachine(
    kioskMachine.provide({
      actions: {
        notifySessionEnd: () => void kiosk().invoke('session.end', { reason: 'timeout' }),
      },
    }),
    { input: { idleMs, warningMs: idle.warningSeconds * 1000 } },
  );

  useEffect(() => send({ type: 'SET_TIMEOUTS', idleMs, warningMs: idle.warningSeconds * 1000 }), [idleMs, idle.warningSeconds, send]);
  useKioskEvent('card-read', (identity) => send({ type: 'CARD_READ', identity }));
  useKioskEvent('config-changed', (c) => setConfig(c));

  const lang = i18n.language as Language;
  const setLang = (l: Language) => void i18n.changeLanguage(l);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const screen = state.matches('attract')
    ? 'attract'
    : state.matches({ session: { screen: 'identify' } })
      ? 'identify'
      : state.matches({ session: { screen: 'identified' } })
        ? 'identified'
        : 'home';

  return (
    <div
      className={`kiosk ${config.kiosk.orientation} ${elderly ? 'elderly' : ''}`}
      data-screen={screen}
      onPointerDown={() => send({ type: 'TOUCH' })}
    >
      <TopBar config={config} lang={lang} onLang={setLang} elderly={elderly} onElderly={() => setElderly((e) => !e)} />
      <main className="screen">
        {screen === 'attract' && <AttractScreen config={config} lang={lang} now={boot.now} onStart={() => send({ type: 'START' })} />}
        {screen === 'home' && <HomeScreen onIdentify={() => send({ type: 'IDENTIFY' })} onExit={() => send({ type: 'EXIT' })} />}
        {screen === 'identify' && <IdentifyScreen onBack={() => send({ type: 'BACK' })} />}
        {screen === 'identified' && state.context.identity && (
          <IdentifiedScreen identity={state.context.identity} onConfirm={() => send({ type: 'CONFIRM' })} onReject={() => send({ type: 'REJECT' })} />
        )}
      </main>
      {state.matches({ session: { idle: 'warning' } }) && <IdleWarning seconds={idle.warningSeconds} />}
      {boot.simulation && <SimPanel />}
    </div>
  );
}
