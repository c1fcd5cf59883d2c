import { gzipSync } from 'node:zlib';

/**
 * A minimal POSIX ustar writer for the diagnostic bundle: regular files only, names up to 100 bytes (ASCII), each
 * file padded to 512-byte blocks, two zero blocks at the end, gzip-compressed. `tar -xzf` and 7-Zip read it.
 * Written here rather than spawning `tar` so that the bundle never touches the disk unredacted.
 */
export interface TarEntry {
  name: string;
  data: Buffer | string;
  /** Modification time, seconds since the epoch. */
  mtime?: number;
}

const BLOCK = 512;

function octal(value: number, length: number): string {
  // length-1 octal digits, NUL-terminated (ustar numeric field).
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: number): Buffer {
  if (!/^[\x20-\x7e]{1,100}$/.test(name) || name.includes('..')) throw new Error(`bad tar entry name ${JSON.stringify(name)}`);
  const h = Buffer.alloc(BLOCK, 0);
  h.write(name, 0, 100, 'ascii');
  h.write(octal(0o644, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(mtime, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii'); // checksum field counts as spaces while summing
  h.write('0', 156, 1, 'ascii'); // typeflag: regular file
  h.write('ustar\u000000', 257, 8, 'ascii'); // magic "ustar\0" + version "00"
  h.write('kiosk', 265, 32, 'ascii');
  h.write('kiosk', 297, 32, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

export function tarGz(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    parts.push(header(e.name, data.length, e.mtime ?? now), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return gzipSync(Buffer.concat(parts));
}
