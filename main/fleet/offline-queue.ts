/**
 * Messages that matter (alerts, stats) kept while the broker is away, bounded: when full, the oldest stats message
 * goes first (a newer stats message supersedes it: stats are day totals), then the oldest alert. `dropped` counts
 * what was lost so the status can say so.
 */
export interface QueuedMessage {
  kind: 'alert' | 'stats';
  topic: string;
  payload: string;
}

export class OfflineQueue {
  private items: QueuedMessage[] = [];
  dropped = 0;

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`offline queue bound ${max} must be a positive integer`);
  }

  push(m: QueuedMessage): void {
    if (m.kind === 'stats') {
      // Only the newest day totals matter: replace a queued stats message instead of growing.
      const i = this.items.findIndex((x) => x.kind === 'stats');
      if (i >= 0) this.items.splice(i, 1);
    }
    this.items.push(m);
    while (this.items.length > this.max) {
      const i = this.items.findIndex((x) => x.kind === 'stats');
      this.items.splice(i >= 0 ? i : 0, 1);
      this.dropped++;
    }
  }

  drain(): QueuedMessage[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  get size(): number {
    return this.items.length;
  }
}
