import type { z } from 'zod';

/**
 * Building blocks of the one typed contract between the touch UI and the host (STYLE.md §2). The Electron preload,
 * the browser-host bridge, the renderer's `window.kiosk` type and the host's handlers are all derived from the
 * request and event tables built with these helpers; nothing is typed by hand twice.
 */

/** Who may call a request: the citizen UI, the simulator panel (only in demo mode), or a signed-in staff role. */
export type Access = 'citizen' | 'sim' | 'manager' | 'technician' | 'staff';

export interface RequestDef<I extends z.ZodType, O> {
  input: I;
  access: Access;
  /** Phantom: the result type. Never read at run time. */
  readonly output?: O;
}

/** `request<Output>()(inputSchema, access)` — curried so the output type is given and the input inferred. */
export function request<O>() {
  return <I extends z.ZodType>(input: I, access: Access = 'citizen'): RequestDef<I, O> => ({ input, access });
}

/** Phantom event payload type. */
export function event<P>(): { readonly payload?: P } {
  return {};
}

export interface WireError {
  /** Symbolic code (e.g. `PRINTER_PAPER_END`, `QUEUE_CLOSED`, `BAD_REQUEST`). The renderer maps it to a sentence. */
  code: string;
  /** For logs and technicians; never shown to citizens as is, never contains personal data. */
  message: string;
  /** Field problems for BAD_REQUEST. */
  fields?: { path: string; message: string }[];
  /** Machine-readable facts for the UI's sentence (e.g. `attemptsLeft`, `lockedUntil`); never personal data. */
  detail?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };
