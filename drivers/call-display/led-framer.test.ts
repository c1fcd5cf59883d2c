import { describe, expect, it } from 'vitest';
import { LedFramer, type LedFramerOutput } from './led-framer.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// From led-protocol.md: a text request, and a status answer whose BCC is 0x02 (= STX).
const TEXT = hex('02 30 33 54 41 30 31 32 20 C7 EB B5 BD 33 BA C5 B4 B0 BF DA 03 0F');
const STATUS_BCC_STX = hex('02 30 41 06 38 30 30 B2 E2 CA D4 03 02');
const ACK = hex('02 30 33 06 03 06');

function run(chunks: Buffer[]): { frames: string[]; discarded: Buffer } {
  const f = new LedFramer();
  const out: LedFramerOutput[] = chunks.flatMap((c) => f.push(c));
  return {
    frames: out.filter((o) => o.kind === 'frame').map((o) => o.bytes.toString('hex')),
    discarded: Buffer.concat(out.filter((o) => o.kind === 'discarded').map((o) => o.bytes)),
  };
}

describe('LedFramer', () => {
  const stream = Buffer.concat([TEXT, STATUS_BCC_STX, ACK]);

  it('delivers whole frames, including one whose BCC equals STX', () => {
    const r = run([stream]);
    expect(r.frames).toEqual([TEXT, STATUS_BCC_STX, ACK].map((b) => b.toString('hex')));
    expect(r.discarded).toHaveLength(0);
  });

  it('gives the same frames when the stream is split at every byte boundary', () => {
    for (let i = 1; i < stream.length; i++) {
      const r = run([stream.subarray(0, i), stream.subarray(i)]);
      expect(r.frames, `split at ${i}`).toHaveLength(3);
      expect(r.frames[1]).toBe(STATUS_BCC_STX.toString('hex'));
    }
    // and fed one byte at a time
    expect(run([...stream].map((b) => Buffer.from([b]))).frames).toHaveLength(3);
  });

  it('discards noise between frames and reports it', () => {
    const noise = hex('FF 00 41 03 06');
    const r = run([noise, ACK, hex('55 AA'), ACK]);
    expect(r.frames).toEqual([ACK.toString('hex'), ACK.toString('hex')]);
    expect(r.discarded).toEqual(Buffer.concat([noise, hex('55 AA')]));
  });

  it('restarts on an STX inside a frame (the broken-off part is discarded)', () => {
    const broken = TEXT.subarray(0, 7);
    const r = run([broken, ACK]);
    expect(r.frames).toEqual([ACK.toString('hex')]);
    expect(r.discarded).toEqual(broken);
  });

  it('discards a frame that never ends within 73 bytes', () => {
    const long = Buffer.concat([hex('02 30 33 54'), Buffer.alloc(80, 0x41)]);
    const f = new LedFramer();
    const out = f.push(Buffer.concat([long, ACK]));
    expect(out.filter((o) => o.kind === 'frame').map((o) => o.bytes)).toEqual([ACK]);
    expect(out.some((o) => o.kind === 'discarded' && o.reason === 'too-long')).toBe(true);
    expect(f.discardedBytes).toBe(long.length);
  });

  it('random noise split at random points never throws and never loses a frame', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    for (let round = 0; round < 200; round++) {
      // noise without STX so it cannot start a frame
      const noise = Buffer.from(Array.from({ length: rnd() % 12 }, () => 0x04 + (rnd() % 250)));
      const all = Buffer.concat([noise, ACK, noise, TEXT]);
      const chunks: Buffer[] = [];
      for (let i = 0; i < all.length; ) {
        const n = 1 + (rnd() % 9);
        chunks.push(all.subarray(i, i + n));
        i += n;
      }
      const r = run(chunks);
      expect(r.frames).toEqual([ACK.toString('hex'), TEXT.toString('hex')]);
      expect(r.discarded.length).toBe(noise.length * 2);
    }
  });
});
