import { describe, expect, it } from 'vitest';
import type { TraceEntryView } from '../../../main/contract/index.js';
import { collapseTrace } from './trace-panel.js';

const frame = (seq: number, dir: TraceEntryView['dir'], hex: string, device = 'idCard'): TraceEntryView => ({ seq, device, dir, at: 1000 + seq * 500, length: hex.length / 2, hex, meaning: '' });

describe('collapseTrace', () => {
  it('folds a poll and its answer repeated every 0.5 s into two rows with counts, and keeps what differs in order', () => {
    const rows: TraceEntryView[] = [];
    for (let i = 0; i < 23; i++) rows.push(frame(2 * i, 'tx', 'aaaa9669'), frame(2 * i + 1, 'rx', 'aaaa9669000080'));
    rows.push(frame(100, 'rx', 'ff', 'receiptPrinter'));
    const groups = collapseTrace(rows);
    expect(groups.map((g) => [g.entry.hex, g.count])).toEqual([
      ['aaaa9669', 23],
      ['aaaa9669000080', 23],
      ['ff', 1],
    ]);
    expect(groups[0]!.firstAt).toBe(1000);
    expect(groups[0]!.entry.seq).toBe(44);
  });

  it('does not merge a frame with an older, non-adjacent equal one', () => {
    const groups = collapseTrace([frame(1, 'tx', '01'), frame(2, 'tx', '02'), frame(3, 'tx', '03'), frame(4, 'tx', '01')]);
    expect(groups.map((g) => g.count)).toEqual([1, 1, 1, 1]);
  });
});
