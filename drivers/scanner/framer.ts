import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  parseHidPosReport,
} from './protocol.js';

/** Injectable timers so framers and drivers are deterministic under test. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export type ScannerFrame =
  | { kind: 'frame'; bytes: Buffer; end: 'cr' | 'lf' | 'timeout' | 'report'; aim?: string | undefined }
  | { kind: 'discarded'; reason: 'too-long' | 'garbage' | 'bad-report' | 'incomplete'; length: number };

export interface ScannerLineFramerOptions {
  /** Longest payload kept; longer lines are dropped up to their end (default 512 bytes). */
  maxBytes?: number;
  /**
   * Silence after which a partial line is flushed as a frame (scanner configured without suffix) — default 100 ms;
   * scanners send a code's bytes well within 10 ms of each other over CDC. 0 disables the flush.
   */
  interByteTimeoutMs?: number;
  timers?: Timers;
}

/**
 * Serial (USB CDC) framing: a code ends at CR, LF or CR LF (the LF right after a CR is swallowed, also when it
 * arrives in the next chunk), or after `interByteTimeoutMs` of silence. Never throws on input: overlong lines
 * and lines of nothing but noise (NUL, 0xFF, other control bytes) come out as `discarded`.
 */
export class ScannerLineFramer {
  private buf: number[] = [];
  private overflow = 0;
  private afterCr = false;
  private timer: unknown;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly timers: Timers;

  constructor(
    private readonly emit: (frame: ScannerFrame) => void,
    options: ScannerLineFramerOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.timeoutMs = options.interByteTimeoutMs ?? 100;
    this.timers = options.timers ?? realTimers;
  }

  push(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (b === 0x0a && this.afterCr) {
        this.afterCr = false;
        continue;
      }
      this.afterCr = b === 0x0d;
      if (b === 0x0d || b === 0x0a) {
        this.end(b === 0x0d ? 'cr' : 'lf');
        continue;
      }
      if (this.overflow > 0 || this.buf.length >= this.maxBytes) this.overflow++;
      else this.buf.push(b);
    }
    this.arm();
  }

  /** Drops buffered bytes and timers (transport closed). */
  reset(): void {
    this.disarm();
    this.buf = [];
    this.overflow = 0;
    this.afterCr = false;
  }

  private arm(): void {
    this.disarm();
    if (this.timeoutMs > 0 && (this.buf.length > 0 || this.overflow > 0)) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        this.afterCr = false;
        this.end('timeout');
      }, this.timeoutMs);
    }
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private end(how: 'cr' | 'lf' | 'timeout'): void {
    const bytes = Buffer.from(this.buf);
    const overflow = this.overflow;
    this.buf = [];
    this.overflow = 0;
    if (overflow > 0) {
      this.emit({ kind: 'discarded', reason: 'too-long', length: bytes.length + overflow });
      return;
    }
    if (bytes.length === 0) return; // an empty line (e.g. CR CR) carries nothing: not a frame, not garbage
    if (bytes.every(isNoise)) {
      this.emit({ kind: 'discarded', reason: 'garbage', length: bytes.length });
      return;
    }
    this.emit({ kind: 'frame', bytes, end: how });
  }
}

/** Bytes that never form part of a printable payload (C0 controls, DEL, 0xFF line noise). */
function isNoise(b: number): boolean {
  return b < 0x20 || b === 0x7f || b === 0xff;
}

export interface HidPosFramerOptions {
  /** Longest assembled payload (default 512 bytes). */
  maxBytes?: number;
  /** Time to wait for the next report of a multi-report code before discarding it (default 200 ms). */
  continuationTimeoutMs?: number;
  timers?: Timers;
}

/**
 * HID POS framing: one report per chunk (HidTransport preserves boundaries). Reports with the "more" flag are
 * collected until a report without it. A bad report drops the code in progress; an overlong code is dropped.
 */
export class HidPosFramer {
  private parts: Buffer[] = [];
  private size = 0;
  private aim: string | undefined;
  private overflow = false;
  private timer: unknown;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly timers: Timers;

  constructor(
    private readonly emit: (frame: ScannerFrame) => void,
    options: HidPosFramerOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.timeoutMs = options.continuationTimeoutMs ?? 200;
    this.timers = options.timers ?? realTimers;
  }

  push(report: Uint8Array): void {
    this.disarm();
    const parsed = parseHidPosReport(report);
    if (!parsed.ok) {
      const pending = this.size;
      this.clear();
      this.emit({ kind: 'discarded', reason: 'bad-report', length: report.length + pending });
      return;
    }
    const r = parsed.report;
    if (this.parts.length === 0 && !this.overflow) this.aim = r.aim;
    this.size += r.data.length;
    if (this.size > this.maxBytes) this.overflow = true;
    else this.parts.push(r.data);
    if (r.more) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        const n = this.size;
        this.clear();
        this.emit({ kind: 'discarded', reason: 'incomplete', length: n });
      }, this.timeoutMs);
      return;
    }
    const size = this.size;
    const overflow = this.overflow;
    const bytes = Buffer.concat(this.parts);
    const aim = this.aim;
    this.clear();
    if (overflow) this.emit({ kind: 'discarded', reason: 'too-long', length: size });
    else if (bytes.length === 0 || bytes.every(isNoise)) this.emit({ kind: 'discarded', reason: 'garbage', length: size });
    else this.emit({ kind: 'frame', bytes, end: 'report', aim });
  }

  reset(): void {
    this.disarm();
    this.clear();
  }

  private clear(): void {
    this.parts = [];
    this.size = 0;
    this.aim = undefined;
    this.overflow = false;
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
