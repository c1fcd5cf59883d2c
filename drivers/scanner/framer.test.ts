import { describe, expect, it } from 'vitest';
import { HidPosFramer, ScannerLineFramer, type ScannerFrame, type Timers } from './framer.js';
import { HidPosScannerSimulator } from './simulator.js';

function manualTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let id = 0;
  const list: Array<{ id: number; at: number; fn: () => void }> = [];
  return {
    setTimeout(fn, ms) {
      list.push({ id: ++id, at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      const i = list.findIndex((t) => t.id === h);
      if (i >= 0) list.splice(i, 1);
    },
    advance(ms) {
      now += ms;
      for (;;) {
        const due = list.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) return;
        list.splice(list.indexOf(due), 1);
        due.fn();
      }
    },
    pending: () => list.length,
  };
}

const text = (f: ScannerFrame) => (f.kind === 'frame' ? `${f.bytes.toString('latin1')}|${f.end}` : `!${f.reason}:${f.length}`);

function lineFrames(chunks: Uint8Array[], opts: { maxBytes?: number; timeoutMs?: number } = {}) {
  const timers = manualTimers();
  const out: ScannerFrame[] = [];
  const f = new ScannerLineFramer((x) => out.push(x), { maxBytes: opts.maxBytes ?? 512, interByteTimeoutMs: opts.timeoutMs ?? 100, timers });
  for (const c of chunks) f.push(c);
  return { get out() { return out.map(text); }, timers, framer: f, raw: out };
}

const STREAM = Buffer.from('HKT:abc123\rYY2024-0001\r\nhttps://a.cn/t/xyz789\n\r\rAP-777777\r\n', 'latin1');
const EXPECTED = ['HKT:abc123|cr', 'YY2024-0001|cr', 'https://a.cn/t/xyz789|lf', 'AP-777777|cr'];

describe('ScannerLineFramer', () => {
  it('frames CR, LF and CR LF terminated codes from one chunk', () => {
    expect(lineFrames([STREAM]).out).toEqual(EXPECTED);
  });

  it('gives the same frames when fed one byte at a time', () => {
    expect(lineFrames([...STREAM].map((b) => Uint8Array.of(b))).out).toEqual(EXPECTED);
  });

  it('gives the same frames when split at every boundary (two chunks and three chunks)', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      expect(lineFrames([STREAM.subarray(0, i), STREAM.subarray(i)]).out, `split at ${i}`).toEqual(EXPECTED);
      for (let j = i; j <= STREAM.length; j += 7) {
        expect(lineFrames([STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)]).out).toEqual(EXPECTED);
      }
    }
  });

  it('swallows the LF of a CR LF that arrives in a later chunk', () => {
    expect(lineFrames([Buffer.from('A1\r'), Buffer.from('\nB2\r')]).out).toEqual(['A1|cr', 'B2|cr']);
  });

  it('flushes a code without suffix after the inter-byte time-out, not before', () => {
    const r = lineFrames([Buffer.from('YY2024')]);
    r.timers.advance(60);
    r.framer.push(Buffer.from('-0001'));
    r.timers.advance(99);
    expect(r.out).toEqual([]);
    r.timers.advance(1);
    expect(r.out).toEqual(['YY2024-0001|timeout']);
    expect(r.timers.pending()).toBe(0);
  });

  it('discards noise-only lines as garbage and keeps codes around them', () => {
    const noisy = Buffer.concat([Buffer.from([0x00, 0xff, 0x1b, 0x0d]), Buffer.from('A1\r'), Buffer.from([0xff, 0xff, 0x0a])]);
    expect(lineFrames([noisy]).out).toEqual(['!garbage:3', 'A1|cr', '!garbage:2']);
  });

  it('discards an overlong line up to its terminator, counts its length, and resynchronises', () => {
    const long = Buffer.alloc(20, 0x41);
    const { out } = lineFrames([long, Buffer.from('\rOK\r')], { maxBytes: 16 });
    expect(out).toEqual(['!too-long:20', 'OK|cr']);
    // exactly at the bound is kept
    expect(lineFrames([Buffer.alloc(16, 0x42), Buffer.from('\r')], { maxBytes: 16 }).out).toEqual([`${'B'.repeat(16)}|cr`]);
  });

  it('ends an overlong line without terminator at the time-out', () => {
    const r = lineFrames([Buffer.alloc(30, 0x43)], { maxBytes: 16 });
    r.timers.advance(100);
    expect(r.out).toEqual(['!too-long:30']);
  });

  it('reset drops a partial code and its timer', () => {
    const r = lineFrames([Buffer.from('PARTIAL')]);
    r.framer.reset();
    r.timers.advance(1000);
    expect(r.out).toEqual([]);
  });

  it('never throws on random input and accounts for every non-terminator byte', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const data = Buffer.from(Array.from({ length: 5000 }, () => Math.floor(rnd() * 256)));
    const chunks: Buffer[] = [];
    for (let i = 0; i < data.length; ) {
      const n = 1 + Math.floor(rnd() * 40);
      chunks.push(data.subarray(i, i + n));
      i += n;
    }
    const { raw, timers } = lineFrames(chunks, { maxBytes: 64 });
    timers.advance(100);
    const accounted = raw.reduce((s, f) => s + (f.kind === 'frame' ? f.bytes.length : f.length), 0);
    const payloadBytes = [...data].filter((b) => b !== 0x0d && b !== 0x0a).length;
    expect(accounted).toBe(payloadBytes);
  });
});

describe('HidPosFramer', () => {
  const run = (reports: Uint8Array[], maxBytes = 512) => {
    const timers = manualTimers();
    const out: ScannerFrame[] = [];
    const f = new HidPosFramer((x) => out.push(x), { maxBytes, continuationTimeoutMs: 200, timers });
    for (const r of reports) f.push(r);
    return { out, timers, framer: f };
  };

  it('assembles a multi-report code (simulator reports) with the AIM id of the first report', () => {
    const payload = 'https://q.hall.example.cn/t/' + 'T'.repeat(100);
    const reports = HidPosScannerSimulator.reportsFor(payload, ']Q1');
    expect(reports).toHaveLength(3);
    const { out } = run(reports);
    expect(out).toEqual([{ kind: 'frame', bytes: Buffer.from(payload), end: 'report', aim: ']Q1' }]);
  });

  it('discards an incomplete code when the continuation report never comes', () => {
    const reports = HidPosScannerSimulator.reportsFor('X'.repeat(60));
    const { out, timers } = run([reports[0]!]);
    expect(out).toEqual([]);
    timers.advance(200);
    expect(out).toEqual([{ kind: 'discarded', reason: 'incomplete', length: 56 }]);
  });

  it('discards a code in progress on a malformed report, then resumes', () => {
    const long = HidPosScannerSimulator.reportsFor('Y'.repeat(60));
    const ok = HidPosScannerSimulator.reportsFor('AP123456', ']C0');
    const bad = Buffer.from(ok[0]!);
    bad[0] = 0x05;
    const { out } = run([long[0]!, bad, ok[0]!]);
    expect(out).toEqual([
      { kind: 'discarded', reason: 'bad-report', length: 64 + 56 },
      { kind: 'frame', bytes: Buffer.from('AP123456'), end: 'report', aim: ']C0' },
    ]);
  });

  it('discards a code longer than maxBytes after its last report', () => {
    const { out } = run(HidPosScannerSimulator.reportsFor('Z'.repeat(200)), 128);
    expect(out).toEqual([{ kind: 'discarded', reason: 'too-long', length: 200 }]);
  });
});
