import { describe, expect, it } from 'vitest';
import type { TraceEntryView } from '../../../main/contract/index.js';
import { collapseTrace, REPEAT_WINDOW } from './trace-panel.js';

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

  it('folds two devices polling in turn (reader pair, printer four pairs) to one row per frame', () => {
    const rows: TraceEntryView[] = [];
    let seq = 0;
    for (let cycle = 0; cycle < 10; cycle++) {
      rows.push(frame(seq++, 'tx', 'aa01'), frame(seq++, 'rx', 'aa02'));
      for (const n of ['01', '02', '03', '04']) rows.push(frame(seq++, 'tx', `1004${n}`, 'printer'), frame(seq++, 'rx', `12${n}`, 'printer'));
    }
    const groups = collapseTrace(rows);
    expect(groups).toHaveLength(10);
    expect(groups.every((g) => g.count === 10)).toBe(true);
  });

  it('keeps a read between polls in its place, and does not merge a frame last seen beyond the window', () => {
    const polls = (from: number) => [frame(from, 'tx', 'aa01'), frame(from + 1, 'rx', 'aa02')];
    const read = collapseTrace([...polls(0), frame(2, 'rx', 'beef'), ...polls(3)]);
    expect(read.map((g) => g.entry.hex)).toEqual(['beef', 'aa01', 'aa02']);
    const distinct = Array.from({ length: REPEAT_WINDOW }, (_, i) => frame(i + 1, 'tx', `0${i.toString(16)}ff`));
    const far = collapseTrace([frame(0, 'tx', '01'), ...distinct, frame(99, 'tx', '01')]);
    expect(far.filter((g) => g.entry.hex === '01').map((g) => g.count)).toEqual([1, 1]);
  });
});
