import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../main/contract/index.js';
import { kiosk } from './bridge/kiosk.js';

/** Subscribes to a host event for the component's lifetime; the latest handler is always called. */
export function useKioskEvent<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => kiosk().on(name, (p) => ref.current(p)), [name]);
}
