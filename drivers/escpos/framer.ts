/**
 * Incremental framing of what a receipt printer sends back: single DLE EOT answer bytes, 4-byte ASB blocks
 * (GS a), and anything else as discarded bytes (noise, XON/XOFF on serial links, a block cut short). Never throws.
 * The fixed bits tell the kinds apart: a status byte matches xxx1xx10 with bit 7 clear, an ASB block starts with
 * xxx1xx00 and continues with three bytes whose bits 4 and 7 are clear.
 */
import { isAsbHeader, isAsbTrailer, isStatusByte } from './status.js';

export type PrinterFrame =
  | { kind: 'status'; byte: number }
  | { kind: 'asb'; bytes: Uint8Array }
  | { kind: 'discarded'; bytes: Uint8Array; reason: string };

export class EscPosStatusFramer {
  private asb: number[] = [];

  push(chunk: Uint8Array): PrinterFrame[] {
    const frames: PrinterFrame[] = [];
    for (const b of chunk) {
      if (this.asb.length > 0) {
        if (isAsbTrailer(b)) {
          this.asb.push(b);
          if (this.asb.length === 4) {
            frames.push({ kind: 'asb', bytes: Uint8Array.from(this.asb) });
            this.asb = [];
          }
          continue;
        }
        frames.push({ kind: 'discarded', bytes: Uint8Array.from(this.asb), reason: 'ASB block cut short' });
        this.asb = [];
      }
      if (isStatusByte(b)) frames.push({ kind: 'status', byte: b });
      else if (isAsbHeader(b)) this.asb.push(b);
      else frames.push({ kind: 'discarded', bytes: Uint8Array.of(b), reason: 'not a status byte' });
    }
    return frames;
  }

  /** Drops a partial ASB block (after a reconnect). */
  reset(): void {
    this.asb = [];
  }
}
