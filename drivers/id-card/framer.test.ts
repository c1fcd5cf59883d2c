import { describe, expect, it } from 'vitest';
import { IdCardFramer, type FramerOutput } from './framer.js';
import { buildFrame } from './protocol.js';
import { buildTextBlock, samplePhoto } from './simulator.js';
import { sampleIdentity } from './sample-identities.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
}
const STATUS_OK = hex('AA AA AA 96 69 00 04 00 00 90 94');
const FIND_OK = hex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');
const NO_CARD = hex('AA AA AA 96 69 00 04 00 00 80 84');
const text = buildTextBlock(sampleIdentity('gz-resident-adult').card);
const photo = samplePhoto(text); // contains AA AA AA 96 69 at photo offset 100 on purpose
const READ_OK = buildFrame([0x00, 0x00, 0x90, 0x01, 0x00, 0x04, 0x00, ...text, ...photo]);

const frames = (outs: FramerOutput[]) => outs.filter((o) => o.kind === 'frame').map((o) => [...o.bytes]);
const discards = (outs: FramerOutput[]) => outs.filter((o) => o.kind === 'discarded').map((o) => (o.kind === 'discarded' ? [o.reason, o.bytes.length] : []));
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('IdCardFramer', () => {
  it('the read answer is 1295 bytes and carries a preamble inside its photo', () => {
    expect(READ_OK.length).toBe(1295);
    expect([...READ_OK.subarray(14 + 256 + 100, 14 + 256 + 105)]).toEqual([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
  });

  it('one byte at a time: every frame whole, nothing discarded', () => {
    const f = new IdCardFramer();
    const out: FramerOutput[] = [];
    for (const b of cat(STATUS_OK, FIND_OK, READ_OK, NO_CARD)) out.push(...f.push(Uint8Array.of(b)));
    expect(frames(out)).toEqual([[...STATUS_OK], [...FIND_OK], [...READ_OK], [...NO_CARD]]);
    expect(discards(out)).toEqual([]);
    expect(f.pending).toBe(0);
  });

  it('split at every boundary of a stream of three frames', () => {
    const stream = cat(FIND_OK, READ_OK, STATUS_OK);
    for (let i = 1; i < stream.length; i++) {
      const f = new IdCardFramer();
      const out = [...f.push(stream.subarray(0, i)), ...f.push(stream.subarray(i))];
      expect(frames(out).length, `split at ${i}`).toBe(3);
      expect(frames(out)[1], `split at ${i}`).toEqual([...READ_OK]);
      expect(f.counters.discarded).toBe(0);
    }
  });

  it('noise before and between frames (including partial preambles) is discarded as garbage', () => {
    const noise1 = hex('00 FF AA AA 96 13');
    const noise2 = hex('AA AA AA 96 00 69');
    const f = new IdCardFramer();
    const stream = cat(noise1, FIND_OK, noise2, hex('AA'), STATUS_OK);
    const out: FramerOutput[] = [];
    for (let i = 0; i < stream.length; i += 3) out.push(...f.push(stream.subarray(i, i + 3)));
    expect(frames(out)).toEqual([[...FIND_OK], [...STATUS_OK]]);
    // garbage is released as it arrives (a chunk without a preamble cannot wait), so count bytes, not entries
    expect(discards(out).every(([reason]) => reason === 'garbage')).toBe(true);
    expect(f.counters).toMatchObject({ frames: 2, discardedBytes: 13 });
    // in one chunk it is exactly one entry per run of noise
    const g = new IdCardFramer();
    expect(discards(g.push(stream))).toEqual([
      ['garbage', 6],
      ['garbage', 7],
    ]);
  });

  it('a corrupted CHK is discarded with reason checksum and the next good frame survives (every split)', () => {
    const bad = Uint8Array.from(READ_OK);
    bad[bad.length - 1] ^= 0xff;
    const stream = cat(bad, FIND_OK);
    for (const step of [1, 7, 64, 1295, stream.length]) {
      const f = new IdCardFramer();
      const out: FramerOutput[] = [];
      for (let i = 0; i < stream.length; i += step) out.push(...f.push(stream.subarray(i, i + step)));
      expect(frames(out), `step ${step}`).toEqual([[...FIND_OK]]);
      expect(f.counters.byReason.checksum, `step ${step}`).toBeGreaterThanOrEqual(1);
      expect(f.counters.discardedBytes, `step ${step}`).toBe(bad.length);
    }
  });

  it('impossible LEN (00 01, 7F FF) resynchronises on the next preamble', () => {
    const f = new IdCardFramer();
    const out = f.push(cat(hex('AA AA AA 96 69 00 01'), hex('AA AA AA 96 69 7F FF 00'), NO_CARD));
    expect(frames(out)).toEqual([[...NO_CARD]]);
    expect(f.counters.byReason.length).toBe(2);
    expect(f.counters.discardedBytes).toBe(15);
  });

  it('a LEN too small cuts the frame: checksum discard, then the tail is garbage, next frame found', () => {
    const wrong = Uint8Array.from(READ_OK);
    wrong[5] = 0x05;
    wrong[6] = 0x06; // 2 less than 05 08
    const f = new IdCardFramer();
    const out = f.push(cat(wrong, STATUS_OK));
    expect(frames(out)).toEqual([[...STATUS_OK]]);
    expect(f.counters.discardedBytes).toBe(wrong.length);
  });

  it('flush drops an incomplete frame (after a time-out) as incomplete', () => {
    const f = new IdCardFramer();
    expect(f.push(READ_OK.subarray(0, 500))).toEqual([]);
    expect(f.pending).toBe(500);
    expect(discards(f.flush())).toEqual([['incomplete', 500]]);
    expect(frames(f.push(FIND_OK))).toEqual([[...FIND_OK]]);
  });
});

describe('IdCardFramer resynchronisation after a bad checksum (issue #9)', () => {
  it('a preamble straddling the end of a bad frame is found: the valid frame after it comes out', () => {
    // LEN 00 07 claims 14 bytes, so the bad frame's last two bytes are the first two AA of the next preamble
    const stream = hex('aa aa aa 96 69 00 07 00 00 02 03 97 aa aa aa 96 69 00 04 00 00 90 94');
    for (let cut = 0; cut <= stream.length; cut++) {
      const f = new IdCardFramer();
      const out = [...f.push(stream.subarray(0, cut)), ...f.push(stream.subarray(cut))];
      expect(frames(out), `split at ${cut}`).toEqual([[...STATUS_OK]]);
      expect(f.counters.byReason.checksum, `split at ${cut}`).toBe(1);
      expect(f.counters.discardedBytes, `split at ${cut}`).toBe(12);
      expect(f.pending, `split at ${cut}`).toBe(0);
    }
    const g = new IdCardFramer();
    expect(discards(g.push(stream))).toEqual([['checksum', 12]]);
  });

  it('property: random garbage, corrupted frames and valid frames, split at every boundary: every valid frame recovered', () => {
    // xorshift PRNG with a fixed seed: reproducible, no Math.random
    let s = 0x2545f491;
    const rnd = (n: number) => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s % n;
    };
    const valid = [STATUS_OK, FIND_OK, NO_CARD, hex('AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C')];
    // garbage leans on preamble bytes so partial preambles are common, but never holds a whole one
    const garbage = () => {
      const alphabet = [0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x04, 0x90, 0x13, 0xff];
      const g: number[] = [];
      for (let n = rnd(9); n > 0; n--) g.push(alphabet[rnd(alphabet.length)]!);
      for (let i = 0; i + 5 <= g.length; i++) if (g[i] === 0xaa && g[i + 1] === 0xaa && g[i + 2] === 0xaa && g[i + 3] === 0x96 && g[i + 4] === 0x69) g[i + 4] = 0x00;
      return g;
    };
    const xorOf = (b: number[], from: number, to: number) => b.slice(from, to).reduce((x, y) => x ^ y, 0);
    for (let trial = 0; trial < 80; trial++) {
      const parts: number[] = [];
      const expected: number[][] = [];
      for (let k = 0; k < 5; k++) {
        parts.push(...garbage());
        const bad = rnd(3); // 0: none, 1: a data byte or CHK flipped, 2: LEN too large (reaches into what follows)
        const badAt = parts.length;
        const badFrame = [...valid[rnd(valid.length)]!];
        if (bad === 1) {
          const at = 7 + rnd(badFrame.length - 7);
          badFrame[at] = badFrame[at]! ^ (1 + rnd(255));
        }
        if (bad !== 0) parts.push(...badFrame);
        parts.push(...garbage());
        const v = valid[rnd(valid.length)]!;
        const validAt = parts.length;
        parts.push(...v);
        expected.push([...v]);
        if (bad === 2) {
          // claimed end: after the bad frame, anywhere up to 4 bytes into the next preamble (the defect's window),
          // or sometimes deeper into the valid frame; a LEN whose XOR happens to match is moved on by one
          const maxEnd = rnd(4) === 0 ? validAt + v.length - 1 : validAt + 4;
          let end = badAt + badFrame.length + rnd(maxEnd - (badAt + badFrame.length)) + 1;
          for (;;) {
            const len = end - badAt - 7;
            parts[badAt + 5] = len >> 8;
            parts[badAt + 6] = len & 0xff;
            if (xorOf(parts, badAt + 5, end - 1) !== parts[end - 1]) break;
            end = end < maxEnd ? end + 1 : badAt + badFrame.length + 1;
          }
        }
      }
      const stream = Uint8Array.from(parts);
      for (let cut = 0; cut <= stream.length; cut++) {
        const f = new IdCardFramer();
        const out = [...f.push(stream.subarray(0, cut)), ...f.push(stream.subarray(cut))];
        expect(frames(out), `trial ${trial}, split at ${cut}`).toEqual(expected);
        expect(f.counters.discardedBytes + expected.reduce((n, e) => n + e.length, 0), `trial ${trial}, split at ${cut}`).toBe(stream.length);
      }
      // and byte by byte
      const f = new IdCardFramer();
      const out: FramerOutput[] = [];
      for (const b of stream) out.push(...f.push(Uint8Array.of(b)));
      expect(frames(out), `trial ${trial}, byte by byte`).toEqual(expected);
    }
  });
});
