import { useEffect, useRef, useState } from 'react';
import type { StaffRoleName } from '../../../main/contract/index.js';
import { kiosk } from '../bridge/kiosk.js';
import { PinPad } from './pin-pad.js';
import { StaffApiContext } from './staff-api.js';
import { StaffConsole } from './staff-console.js';
import './staff.css';

/** The hidden entry: five taps within 3 s in the top-left 80×80 px corner. */
export const CORNER_PX = 80;
export const TAPS = 5;
export const TAP_WINDOW_MS = 3000;

/**
 * Mounted once in the kiosk app. Listens for the corner gesture (capture phase, so it never blocks or is blocked by
 * the citizen UI), then shows the PIN pad and, once signed in, the staff console over the citizen screens. On
 * entry and on exit the citizen flow is reset (`onReset`: back to attract), so a citizen never lands inside the
 * staff area and staff never see a citizen's session.
 */
export function StaffEntry(props: { onReset: () => void }) {
  const [stage, setStage] = useState<'hidden' | 'pin' | 'console'>('hidden');
  const [role, setRole] = useState<StaffRoleName | null>(null);
  const taps = useRef<number[]>([]);
  const onReset = useRef(props.onReset);
  onReset.current = props.onReset;

  useEffect(() => {
    if (stage !== 'hidden') return;
    const onDown = (e: PointerEvent) => {
      if (e.clientX > CORNER_PX || e.clientY > CORNER_PX) {
        taps.current = [];
        return;
      }
      const now = performance.now();
      taps.current = [...taps.current.filter((t) => now - t < TAP_WINDOW_MS), now];
      if (taps.current.length >= TAPS) {
        taps.current = [];
        onReset.current();
        setStage('pin');
      }
    };
    window.addEventListener('pointerdown', onDown, { capture: true });
    return () => window.removeEventListener('pointerdown', onDown, { capture: true });
  }, [stage]);

  // The PIN pad closes by itself when left alone for a minute.
  useEffect(() => {
    if (stage !== 'pin') return;
    const t = setTimeout(() => setStage('hidden'), 60_000);
    return () => clearTimeout(t);
  }, [stage]);

  const exit = () => {
    void kiosk().invoke('auth.signOut', {});
    setRole(null);
    setStage('hidden');
    onReset.current();
  };

  if (stage === 'hidden') return null;
  return (
    <StaffApiContext.Provider value={kiosk()}>
      <div className="staff-overlay" role="dialog" aria-modal="true" aria-label="工作人员" onPointerDown={(e) => e.stopPropagation()}>
        {stage === 'pin' && (
          <PinPad
            onSignedIn={(r) => {
              setRole(r);
              setStage('console');
            }}
            onCancel={() => setStage('hidden')}
          />
        )}
        {stage === 'console' && role && <StaffConsole role={role} onExit={exit} />}
      </div>
    </StaffApiContext.Provider>
  );
}
