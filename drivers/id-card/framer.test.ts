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
