/**
 * Incremental framing of what a receipt printer sends back: single DLE EOT answer bytes, 4-byte ASB blocks
 * (GS a), and anything else as discarded bytes (noise, XON/XOFF on serial links, a block cut short). Never throws.
 * The fixed bits tell the kinds apart: a status byte matches xxx1xx10 with bit 7 clear, an ASB block starts with
 * xxx1xx00 and continues with three bytes whose bits 4 and 7 are clear.
 * Printers send ASB "continuously except for XOFF": on a serial link with XON/XOFF flow control an XON (0x11) or
 * XOFF (0x13) may sit between the bytes of one block. Inside a block they are skipped (counted in
 * `flowControlBytes`), not taken as the end of the block; outside a block they stay discarded bytes.
 */
import { isAsbHeader, isAsbTrailer, isStatusByte } from './status.js';

export type PrinterFrame =
  | { kind: 'status'; byte: number }
  | { kind: 'asb'; bytes: Uint8Array }
  | { kind: 'discarded'; bytes: Uint8Array; reason: string };

/** XON / XOFF (DC1 / DC3), software flow control on serial links. */
const XON = 0x11;
const XOFF = 0x13;

export class EscPosStatusFramer {
  private asb: number[] = [];
  /** XON/XOFF bytes skipped inside ASB blocks. */
  flowControlBytes = 0;

  push(chunk: Uint8Array): PrinterFrame[] {
    const frames: PrinterFrame[] = [];
    for (const b of chunk) {
      if (this.asb.length > 0) {
        if (b === XON || b === XOFF) {
          this.flowControlBytes++;
          continue;
        }
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
