/**
 * Incremental framing of the SAM protocol: chunks in, whole frames out. Never throws on garbage.
 *
 * Resynchronisation rules:
 * - bytes before a preamble `AA AA AA 96 69` are discarded as `garbage` (a trailing partial preamble is kept);
 * - LEN below 3 or above MAX_LEN is `length`: the first preamble byte is dropped and the scan goes on;
 * - a bad CHK is `checksum`: the bytes up to the next preamble that begins inside the bad frame (or all of it) are
 *   dropped, so a good frame hidden behind a corrupted LEN is still found, also when its preamble straddles the bad
 *   frame's end (the search runs over everything buffered, not only the bad frame's bytes);
 * - `flush()` drops a frame that never completed (the driver calls it after a time-out) as `incomplete`.
 * Discarded bytes may belong to a read answer (personal data): callers log their length and reason, not their bytes.
 */
import { FRAME_HEADER_LENGTH, MAX_LEN, MIN_LEN, PREAMBLE, xorChecksum } from './protocol.js';

export type DiscardReason = 'garbage' | 'length' | 'checksum' | 'incomplete';

export type FramerOutput = { kind: 'frame'; bytes: Uint8Array } | { kind: 'discarded'; bytes: Uint8Array; reason: DiscardReason };

export interface IdCardFramerOptions {
  /** Largest LEN accepted; default MAX_LEN (0x1000). The fingerprint read answer has LEN 0x090A. */
  maxLen?: number;
}

export interface FramerCounters {
  frames: number;
  discarded: number;
  discardedBytes: number;
  byReason: Record<DiscardReason, number>;
}

export class IdCardFramer {
  private buf: Uint8Array = new Uint8Array(0);
  private readonly maxLen: number;
  readonly counters: FramerCounters = {
    frames: 0,
    discarded: 0,
    discardedBytes: 0,
    byReason: { garbage: 0, length: 0, checksum: 0, incomplete: 0 },
  };

  constructor(options: IdCardFramerOptions = {}) {
    this.maxLen = options.maxLen ?? MAX_LEN;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): FramerOutput[] {
    if (chunk.length === 0) return [];
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf, 0);
    next.set(chunk, this.buf.length);
    this.buf = next;
    return this.drain();
  }

  /** Drops whatever is buffered (a frame that will not complete); returns it as discarded `incomplete`. */
  flush(): FramerOutput[] {
    if (this.buf.length === 0) return [];
    const out = [this.discard(this.buf, 'incomplete')];
    this.buf = new Uint8Array(0);
    return out;
  }

  private drain(): FramerOutput[] {
    const out: FramerOutput[] = [];
    let buf = this.buf;
    for (;;) {
      const start = findPreamble(buf, 0);
      if (start === -1) {
        // keep the longest tail that could begin a preamble
        const keep = partialPreambleTail(buf);
        if (buf.length - keep > 0) out.push(this.discard(buf.subarray(0, buf.length - keep), 'garbage'));
        buf = buf.subarray(buf.length - keep);
        break;
      }
      if (start > 0) {
        out.push(this.discard(buf.subarray(0, start), 'garbage'));
        buf = buf.subarray(start);
      }
      if (buf.length < FRAME_HEADER_LENGTH) break;
      const len = (buf[5]! << 8) | buf[6]!;
      if (len < MIN_LEN || len > this.maxLen) {
        out.push(this.discard(buf.subarray(0, 1), 'length'));
        buf = buf.subarray(1);
        continue;
      }
      const total = FRAME_HEADER_LENGTH + len;
      if (buf.length < total) break;
      const frame = buf.subarray(0, total);
      if (xorChecksum(frame, 5, total - 1) !== frame[total - 1]) {
        // The next preamble may begin inside the bad frame and run past its end (a LEN corrupted upwards swallows
        // the first bytes of the next frame), so search the whole buffer, and keep a partial preamble at the end of
        // what has arrived when it starts inside the bad frame.
        const next = findPreamble(buf, 1);
        const tail = next === -1 ? buf.length - partialPreambleTail(buf) : total;
        const cut = Math.min(total, next === -1 ? tail : next);
        out.push(this.discard(buf.subarray(0, cut), 'checksum'));
        buf = buf.subarray(cut);
        continue;
      }
      this.counters.frames++;
      out.push({ kind: 'frame', bytes: Uint8Array.from(frame) });
      buf = buf.subarray(total);
    }
    this.buf = Uint8Array.from(buf);
    return out;
  }

  private discard(bytes: Uint8Array, reason: DiscardReason): FramerOutput {
    this.counters.discarded++;
    this.counters.discardedBytes += bytes.length;
    this.counters.byReason[reason]++;
    return { kind: 'discarded', bytes: Uint8Array.from(bytes), reason };
  }
}

function findPreamble(buf: Uint8Array, from: number): number {
  outer: for (let i = from; i + PREAMBLE.length <= buf.length; i++) {
    for (let j = 0; j < PREAMBLE.length; j++) if (buf[i + j] !== PREAMBLE[j]) continue outer;
    return i;
  }
  return -1;
}

/** Length of the longest suffix of `buf` that is a proper prefix of the preamble. */
function partialPreambleTail(buf: Uint8Array): number {
  for (let k = Math.min(PREAMBLE.length - 1, buf.length); k > 0; k--) {
    let ok = true;
    for (let j = 0; j < k; j++) {
      if (buf[buf.length - k + j] !== PREAMBLE[j]) {
        ok = false;
        break;
      }
    }
    if (ok) return k;
  }
  return 0;
}
