/**
 * Incremental framing of HK-LED/1 (led-protocol.md): chunks in, whole frames `STX .. ETX BCC` or discarded bytes out.
 * Never throws on garbage. The framer only delimits; BCC and field checks are the codec's job (parseLedFrame), so a
 * corrupted frame is still delivered as a frame and reported by the codec as PROTOCOL_CHECKSUM.
 */
import { LED_ETX, LED_MAX_FRAME_BYTES, LED_STX } from './led-protocol.js';

export type LedFramerOutput =
  | { kind: 'frame'; bytes: Buffer }
  | { kind: 'discarded'; bytes: Buffer; reason: 'outside-frame' | 'restarted' | 'too-long' };

type State = 'idle' | 'in-frame' | 'await-bcc';

export class LedFramer {
  private state: State = 'idle';
  private buf: number[] = [];
  private garbage: number[] = [];
  /** Bytes discarded since construction (for the device board). */
  discardedBytes = 0;

  push(chunk: Uint8Array): LedFramerOutput[] {
    const out: LedFramerOutput[] = [];
    for (const b of chunk) {
      switch (this.state) {
        case 'idle':
          if (b === LED_STX) {
            this.flushGarbage(out);
            this.buf = [b];
            this.state = 'in-frame';
          } else this.garbage.push(b);
          break;
        case 'in-frame':
          if (b === LED_STX) {
            // STX never occurs inside DATA: the frame so far was broken off; start over.
            this.discard(out, this.buf, 'restarted');
            this.buf = [b];
          } else if (b === LED_ETX) {
            this.buf.push(b);
            this.state = 'await-bcc';
          } else if (this.buf.length >= LED_MAX_FRAME_BYTES - 2) {
            this.buf.push(b);
            this.discard(out, this.buf, 'too-long');
            this.buf = [];
            this.state = 'idle';
          } else this.buf.push(b);
          break;
        case 'await-bcc':
          // The byte after ETX is the BCC, whatever its value (it may be 0x02 or 0x03).
          this.buf.push(b);
          out.push({ kind: 'frame', bytes: Buffer.from(this.buf) });
          this.buf = [];
          this.state = 'idle';
          break;
      }
    }
    this.flushGarbage(out);
    return out;
  }

  /** Drops a partial frame (e.g. after a time-out) and returns it as discarded, if any. */
  reset(): Extract<LedFramerOutput, { kind: 'discarded' }>[] {
    const out: Extract<LedFramerOutput, { kind: 'discarded' }>[] = [];
    if (this.buf.length) this.discard(out, this.buf, 'restarted');
    this.flushGarbage(out);
    this.buf = [];
    this.state = 'idle';
    return out;
  }

  private flushGarbage(out: LedFramerOutput[]): void {
    if (this.garbage.length) {
      this.discard(out, this.garbage, 'outside-frame');
      this.garbage = [];
    }
  }

  private discard(out: LedFramerOutput[], bytes: number[], reason: 'outside-frame' | 'restarted' | 'too-long'): void {
    this.discardedBytes += bytes.length;
    out.push({ kind: 'discarded', bytes: Buffer.from(bytes), reason });
  }
}
