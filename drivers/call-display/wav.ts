/**
 * Minimal RIFF/WAVE reading and concatenation for voice clips (PCM only, all clips in one format, as the generator
 * renders them: espeak-ng writes 22050 Hz, mono, 16 bit). Pure: buffers in, buffers out.
 */
import { DriverError } from '../errors.js';

export interface WavFormat {
  /** 1 = PCM */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

export interface ParsedWav {
  format: WavFormat;
  /** The sample bytes of the `data` chunk. */
  data: Buffer;
}

export function parseWav(buf: Buffer): ParsedWav {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new DriverError('PROTOCOL_MALFORMED', 'not a RIFF/WAVE file');
  }
  let format: WavFormat | undefined;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const declared = buf.readUInt32LE(off + 4);
    const start = off + 8;
    // Streaming writers leave 0 or 0xFFFFFFFF in the data size: take what is in the file.
    const size = Math.min(declared, buf.length - start);
    if (id === 'fmt ') {
      if (size < 16) throw new DriverError('PROTOCOL_MALFORMED', 'WAVE fmt chunk too short');
      format = {
        audioFormat: buf.readUInt16LE(start),
        channels: buf.readUInt16LE(start + 2),
        sampleRate: buf.readUInt32LE(start + 4),
        bitsPerSample: buf.readUInt16LE(start + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new DriverError('PROTOCOL_MALFORMED', 'WAVE data chunk before fmt chunk');
      const len = declared === 0 || declared === 0xffffffff ? buf.length - start : size;
      return { format, data: buf.subarray(start, start + len) };
    }
    off = start + size + (size & 1);
  }
  throw new DriverError('PROTOCOL_MALFORMED', 'WAVE file has no data chunk');
}

export function wavDurationMs(w: ParsedWav): number {
  const bytesPerSecond = (w.format.sampleRate * w.format.channels * w.format.bitsPerSample) / 8;
  return bytesPerSecond ? (w.data.length / bytesPerSecond) * 1000 : 0;
}

export function buildWav(format: WavFormat, data: Buffer): Buffer {
  const h = Buffer.alloc(44);
  const blockAlign = (format.channels * format.bitsPerSample) / 8;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(format.audioFormat, 20);
  h.writeUInt16LE(format.channels, 22);
  h.writeUInt32LE(format.sampleRate, 24);
  h.writeUInt32LE(format.sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(format.bitsPerSample, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/**
 * Concatenates PCM WAV files of one format, with `gapMs` of silence between clips (default 0).
 * Throws PROTOCOL_MALFORMED when a file is not PCM WAV or the formats differ.
 */
export function concatWav(files: Buffer[], gapMs = 0): Buffer {
  if (!files.length) throw new DriverError('PROTOCOL_MALFORMED', 'nothing to concatenate');
  const parsed = files.map(parseWav);
  const f = parsed[0]!.format;
  if (f.audioFormat !== 1) throw new DriverError('PROTOCOL_MALFORMED', `WAVE audio format ${f.audioFormat} is not PCM`);
  for (const p of parsed) {
    const g = p.format;
    if (g.audioFormat !== f.audioFormat || g.channels !== f.channels || g.sampleRate !== f.sampleRate || g.bitsPerSample !== f.bitsPerSample) {
      throw new DriverError('PROTOCOL_MALFORMED', 'voice clips differ in format; regenerate them with one voice setting', {
        detail: { expected: f, got: g },
      });
    }
  }
  const blockAlign = (f.channels * f.bitsPerSample) / 8;
  const gapBytes = Math.round((f.sampleRate * gapMs) / 1000) * blockAlign;
  const parts: Buffer[] = [];
  parsed.forEach((p, i) => {
    if (i > 0 && gapBytes > 0) parts.push(Buffer.alloc(gapBytes, f.bitsPerSample === 8 ? 0x80 : 0)); // 8-bit PCM is unsigned
    parts.push(p.data);
  });
  return buildWav(f, Buffer.concat(parts));
}
