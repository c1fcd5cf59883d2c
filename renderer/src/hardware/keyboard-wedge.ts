/**
 * Keyboard-wedge scanner fallback (protocols/scanners-and-displays.md): a scanner that types its code as keys
 * arriving 1-80 ms apart and ending in Enter. The detector tells such bursts from people typing and keeps bursts
 * out of text fields.
 *
 * How: every printable key is held back (the caller prevents its default) until the detector knows what it is.
 * A burst (each key at most `maxInterKeyMs` after the previous one, at least `minLength` characters) ending in
 * Enter becomes a scan. Anything else is released through `onRelease` a moment later (at most `maxInterKeyMs`),
 * so the app inserts it where the person was typing (`insertIntoFocused`). Tab and Enter inside a burst are
 * swallowed, so they never move focus or submit a form.
 *
 * IME: keys with `isComposing` or `key === 'Process'` belong to an input method and are never touched (an active
 * Chinese IME swallows a scanner's letters anyway: configure the scanner as serial or HID POS instead). Only
 * `event.key` is used, never `keyCode`, so non-US layouts give the characters the layout produces.
 */

export interface WedgeKeyEvent {
  key: string;
  /** ms, monotonic (KeyboardEvent.timeStamp) */
  timeStamp: number;
  isComposing?: boolean;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  repeat?: boolean;
}

export interface WedgeScan {
  text: string;
  /** timeStamp of the first key */
  startedAt: number;
  durationMs: number;
}

export interface WedgeTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface KeyboardWedgeOptions {
  /** Longest gap between two keys of one burst; default 50 ms (scanners: 1-30 ms, fast typists: 80+ ms). */
  maxInterKeyMs?: number;
  /** Shortest scan; shorter bursts are released as typing. Default 4 characters. */
  minLength?: number;
  /** Longest scan; longer bursts are dropped whole (counted in `dropped`). Default 512 characters. */
  maxLength?: number;
  onScan: (scan: WedgeScan) => void;
  /** Held-back keys that turned out to be typing; insert them where the focus is. */
  onRelease?: (text: string) => void;
  timers?: WedgeTimers;
}

const defaultTimers: WedgeTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

export class KeyboardWedgeDetector {
  private buf: string[] = [];
  private startedAt = 0;
  private lastAt = 0;
  private overflow = false;
  private timer: unknown;
  private readonly maxGap: number;
  private readonly minLength: number;
  private readonly maxLength: number;
  private readonly timers: WedgeTimers;
  /** Bursts dropped for exceeding maxLength. */
  dropped = 0;

  constructor(private readonly options: KeyboardWedgeOptions) {
    this.maxGap = options.maxInterKeyMs ?? 50;
    this.minLength = options.minLength ?? 4;
    this.maxLength = options.maxLength ?? 512;
    this.timers = options.timers ?? defaultTimers;
  }

  /** True while keys are held back (a possible burst is in progress). */
  get pending(): boolean {
    return this.buf.length > 0 || this.overflow;
  }

  /**
   * Feeds one keydown. Returns true when the caller must suppress it (preventDefault + stopPropagation); the
   * decision is final for this event. Use `keydownHandler()` to get a listener that does exactly that.
   */
  handle(e: WedgeKeyEvent): boolean {
    if (e.isComposing || e.key === 'Process' || e.key === 'Unidentified' || e.key === 'Dead') return false;
    if (e.key === 'Shift' || e.key === 'CapsLock') return this.pending; // scanners press Shift for capitals
    if (e.ctrlKey || e.altKey || e.metaKey) {
      this.release();
      return false;
    }
    const inBurst = this.pending && e.timeStamp - this.lastAt <= this.maxGap;
    if (this.pending && !inBurst) this.release();

    if (e.key === 'Enter') {
      if (!inBurst) return false;
      return this.finish(e.timeStamp);
    }
    if (e.key === 'Tab') {
      if (!inBurst) return false;
      this.push('\t', e.timeStamp);
      return true;
    }
    if ([...e.key].length !== 1) {
      // a named key (arrows, Backspace, F-keys) is a person, not a scanner
      this.release();
      return false;
    }
    if (!this.pending) this.startedAt = e.timeStamp;
    this.push(e.key, e.timeStamp);
    return true;
  }

  /** A keydown listener for `window.addEventListener('keydown', …, true)` (capture: before any text field). */
  keydownHandler(): (event: KeyboardEvent) => void {
    return (event) => {
      if (this.handle(event)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
  }

  /** Drops held keys without releasing them (e.g. the screen changed). */
  reset(): void {
    this.disarm();
    this.buf = [];
    this.overflow = false;
  }

  private push(ch: string, at: number): void {
    this.lastAt = at;
    if (this.overflow || this.buf.length >= this.maxLength) {
      this.overflow = true;
      this.buf = [];
    } else this.buf.push(ch);
    this.arm();
  }

  private finish(at: number): boolean {
    this.disarm();
    if (this.overflow) {
      this.dropped++;
      this.overflow = false;
      this.buf = [];
      return true;
    }
    const text = this.buf.join('');
    if (this.buf.length < this.minLength) {
      this.release();
      return false; // a short fast "word" + Enter: a person pressing Enter; let it through after the release
    }
    this.buf = [];
    this.options.onScan({ text, startedAt: this.startedAt, durationMs: at - this.startedAt });
    return true;
  }

  private release(): void {
    this.disarm();
    const overflowed = this.overflow;
    this.overflow = false;
    if (overflowed) {
      this.dropped++;
      this.buf = [];
      return;
    }
    if (this.buf.length === 0) return;
    const text = this.buf.join('');
    this.buf = [];
    this.options.onRelease?.(text);
  }

  private arm(): void {
    this.disarm();
    // slightly longer than the gap: a key that arrives exactly at maxInterKeyMs still belongs to the burst
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.release();
    }, this.maxGap + 1);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Inserts released text at the caret of a focused input or textarea, firing `input` so frameworks see it. */
export function insertIntoFocused(doc: Document, text: string): boolean {
  const el = doc.activeElement;
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) || el.readOnly || el.disabled) return false;
  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? el.value.length;
  el.setRangeText(text.replace(/\t/g, ''), start, end, 'end');
  el.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}
