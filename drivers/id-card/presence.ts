/**
 * Placement and removal of the card read last, decided from what the reader answers. Pure: no I/O, no timers; the
 * driver's poll loop feeds it one observation per poll and acts on the verdict.
 *
 * The protocol facts it rests on (id-card-sam.md):
 * - find (20 01) answers 9F for a card in the field, 80 "no card" otherwise;
 * - most readers HALT a card after reading it: the card stays in the field but no longer answers find (80) until it
 *   is lifted and put back. A halted card still answers select (20 02) with 90; an absent card answers select with
 *   81. So "find 80, then select 90" = still lying there; "find 80, then select 81" = gone.
 * - Readers that do not halt keep answering find 9F for the card they read.
 *
 * Verdicts, for the card read last (the one `card-read` reported):
 * - `removed` (the card is physically gone): `confirmations` consecutive polls where find AND select fail; or a find
 *   that succeeds after at least one failed find + select; or, on a reader known to halt read cards (a halted card
 *   does not answer find), a card that answers find and reads as another card (`verify`).
 *   The driver emits `card-removed` and, for a successful find, reads the new placement at once.
 * - `present`: the card is still on the reader (halted, or found by a non-halting reader). Nothing is emitted.
 * - `verify`: a halting reader answered find with no failed find + select since the read: the driver reads the card
 *   and compares it with the one read last (a reader whose select wakes the halted card would show this too).
 * Known limit: on a reader that never halts (or before the first halt has been seen since open), a card swapped for
 * another between two polls looks like the same card; it is taken for the same one until lifted.
 */

export type PresenceVerdict =
  /** No card had been read, or its removal was already reported: nothing to decide. */
  | 'idle'
  /** The card read last still lies on the reader. */
  | 'present'
  /** Find and select failed, but fewer than `confirmations` times in a row: wait for the next poll. */
  | 'maybe-gone'
  /** The card read last is physically gone: emit card-removed. */
  | 'removed'
  /**
   * A card answers find on a halting reader and no poll since the read failed find + select. It is almost surely
   * another placement, but a reader whose select wakes the halted card would answer find too: read it and compare
   * (the driver), then call `onRead()` (same card, no event) or `forget()` (another card: card-removed).
   */
  | 'verify';

export interface CardPresenceOptions {
  /** Consecutive polls with find and select both failing that count as removal; default 2 (1..10). */
  confirmations?: number;
  /**
   * Whether the reader halts a card after reading it (find 80 / select 90 while it lies there). Default undefined:
   * learned: `true` as soon as a read card is seen halted, `false` when the first poll after a read finds it again
   * (until a halt is seen).
   */
  haltsAfterRead?: boolean;
}

export class CardPresence {
  private readonly confirmations: number;
  private present = false;
  private failedStreak = 0;
  /** Polls since the read; the first one teaches whether the reader halts read cards. */
  private pollsSinceRead = 0;
  private halts: boolean | undefined;
  private readonly configured: boolean;

  constructor(options: CardPresenceOptions = {}) {
    this.confirmations = Math.min(10, Math.max(1, options.confirmations ?? 2));
    this.halts = options.haltsAfterRead;
    this.configured = options.haltsAfterRead !== undefined;
  }

  /** A card was read: it is the card whose removal is tracked from now on. */
  onRead(): void {
    this.present = true;
    this.failedStreak = 0;
    this.pollsSinceRead = 0;
  }

  /** Forget the card read last without reporting a removal (a technician's read-once wants whatever lies there). */
  forget(): void {
    this.present = false;
    this.failedStreak = 0;
  }

  /** True when a read card is tracked: after a failed find the driver must ask select to tell halted from gone. */
  get tracking(): boolean {
    return this.present;
  }

  /** What was learned about the reader: true halts read cards, false keeps finding them, undefined not yet known. */
  get haltsAfterRead(): boolean | undefined {
    return this.halts;
  }

  /**
   * Find answered "no card". `selectOk` is the answer to the select that followed (asked only while `tracking`):
   * true = the card answers select (halted, still there), false = select failed too.
   */
  onNotFound(selectOk: boolean | undefined): PresenceVerdict {
    if (!this.present) return 'idle';
    this.pollsSinceRead++;
    if (selectOk === true) {
      this.failedStreak = 0;
      // unambiguous: only a halting reader leaves a card that answers select but not find
      if (!this.configured) this.halts = true;
      return 'present';
    }
    this.failedStreak++;
    if (this.failedStreak < this.confirmations) return 'maybe-gone';
    this.forget();
    return 'removed';
  }

  /**
   * Find answered 9F. `removed`: the card read last is gone and a new placement must be read (after card-removed);
   * `verify`: read and compare (see the type); `present`: the same card on a non-halting reader; `idle`: nothing was
   * tracked, read the card.
   */
  onFound(): PresenceVerdict {
    if (!this.present) return 'idle';
    const first = this.pollsSinceRead++ === 0;
    if (this.failedStreak > 0) {
      this.forget();
      return 'removed';
    }
    if (this.halts === true) return 'verify';
    if (first && this.halts === undefined) this.halts = false;
    return 'present';
  }
}
