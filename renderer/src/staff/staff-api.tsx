import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { KioskApi, RequestInput, RequestName, RequestOutput, WireError } from '../../../main/contract/index.js';
import { formatHallDateTime } from '../../../kiosk-config/hall-clock.js';
import { hallUtcOffset } from '../hall-clock.js';

/** The bridge the console talks through: the kiosk's own (inside the kiosk) or the LAN staff bridge (staff.html). */
export const StaffApiContext = createContext<KioskApi | null>(null);

export function useStaffApi(): KioskApi {
  const api = useContext(StaffApiContext);
  if (!api) throw new Error('StaffApiContext missing');
  return api;
}

export class StaffCallError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

/** Calls a request and returns its value, or throws StaffCallError with the host's code. */
export function useCall() {
  const api = useStaffApi();
  return useCallback(
    async <N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> => {
      const r = await api.invoke(name, input);
      if (!r.ok) throw new StaffCallError(r.error);
      return r.value;
    },
    [api],
  );
}

/** Sentences for the codes a staff member meets. */
export function errorSentence(e: unknown): string {
  if (e instanceof StaffCallError) {
    const w = e.wire;
    switch (w.code) {
      case 'AUTH_REQUIRED':
        return '登录已超时或已退出，请重新登录。';
      case 'AUTH_FORBIDDEN':
        return '当前角色无权进行此操作。';
      case 'BAD_REQUEST':
        return `输入有误：${(w.fields ?? []).map((f) => `${f.path} ${f.message}`).join('；') || w.message}`;
      case 'NOT_AVAILABLE':
        return `本机暂不支持：${w.message}`;
      default:
        return `${w.code}：${w.message}`;
    }
  }
  return e instanceof Error ? e.message : String(e);
}

/** Loads a request's value, re-loads on `deps` change and every `pollMs` (polls are passive for the idle time-out). */
export function useLoad<N extends RequestName>(name: N, input: RequestInput<N>, deps: unknown[] = [], pollMs?: number) {
  const call = useCall();
  const [value, setValue] = useState<RequestOutput<N> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef(input);
  inputRef.current = input;
  const depsKey = JSON.stringify(deps);
  const reload = useCallback(() => {
    call(name, inputRef.current).then(
      (v) => {
        setValue(v);
        setError(null);
      },
      (e: unknown) => setError(errorSentence(e)),
    );
    void depsKey; // re-created when the caller's deps change
  }, [call, name, depsKey]);
  useEffect(() => {
    reload();
    if (!pollMs) return;
    const t = setInterval(reload, pollMs);
    return () => clearInterval(t);
  }, [reload, pollMs]);
  return { value, error, reload };
}

/** Saves a file the host produced (text or base64) through the browser's download. */
export function download(file: { filename: string; mime: string; text?: string; base64?: string }): void {
  let blob: Blob;
  if (file.base64 !== undefined) {
    const bin = atob(file.base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    blob = new Blob([bytes], { type: file.mime });
  } else blob = new Blob([file.text ?? ''], { type: `${file.mime};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function readFileText(file: File): Promise<string> {
  return file.text();
}

/** `2026-12-03 21:50:07` in hall time (not the staff browser's zone). */
export function fmtTime(ms: number): string {
  return formatHallDateTime(ms, hallUtcOffset(), { seconds: true });
}
