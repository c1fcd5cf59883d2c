/**
 * Printer-side ESC/POS decoder, written from escpos.md (and the Epson reference for command lengths), for the virtual
 * printer. It must not import the encoder: it checks the encoder instead of echoing it.
 *
 * Incremental: `push()` takes arbitrary chunks and returns the whole commands they complete; a command cut across
 * chunks waits for its remaining bytes. Never throws on garbage: unknown bytes come out as `discarded` commands.
 * Text decoding follows the printer's character mode: in Chinese mode (FS &) a byte 0x81..0xFE starts a GB18030
 * two-byte character; outside it, bytes 0x80..0xFF are code page PC437 characters (Epson's power-on table).
 * With `gb18030Edition: '2022'` (default) the 18 two-byte codes GB18030-2022 maps to standard code points decode to
 * those (FE 59 → 龴 U+9FB4, A6 D9 → U+FE10 …) instead of iconv-lite's 2005 PUA values.
 *
 * Bounded and linear: pushes are appended without copying what is held; the held bytes are joined only when enough
 * have arrived for the command that waits (its length is known for GS ( and GS k function B). GS k function A data
 * ends with NUL and has at most 255 bytes (Epson GS k: k ≤ 255): without a NUL by then, the command and its 255 data
 * bytes are discarded (counted in `discardedBytes`) and decoding resynchronises on what follows. So at most one
 * command (≤ 65 540 bytes, GS ( with pL = pH = 255) is ever held.
 */
import iconv from 'iconv-lite';

export type DecodedAlign = 'left' | 'center' | 'right';

export type DecodedCommand =
  | { op: 'text'; text: string; columns: number; /** Columns per UTF-16 unit of `text` (all BMP): 1 single-byte, 2 double-byte. */ widths: number[] }
  | { op: 'lf' }
  | { op: 'init' }
  | { op: 'align'; align: DecodedAlign }
  | { op: 'bold'; on: boolean }
  | { op: 'underline'; mode: 0 | 1 | 2 }
  /** FS - n: underline of double-byte (Chinese) characters; ESC - covers single-byte ones only. */
  | { op: 'chinese-underline'; mode: 0 | 1 | 2 }
  | { op: 'size'; width: number; height: number }
  | { op: 'feed'; lines: number }
  | { op: 'chinese'; on: boolean }
  | { op: 'qr-model'; model: 1 | 2 }
  | { op: 'qr-size'; dots: number }
  | { op: 'qr-error'; level: 'L' | 'M' | 'Q' | 'H' }
  | { op: 'qr-store'; data: Uint8Array }
  | { op: 'qr-print' }
  | { op: 'barcode'; symbology: 'CODE128'; data: string; values: number[] }
  | { op: 'cut'; mode: 'full' | 'partial'; feed: number | null }
  | { op: 'status-request'; n: 1 | 2 | 3 | 4 }
  | { op: 'asb'; mask: number }
  | { op: 'ignored'; name: string; bytes: Uint8Array }
  | { op: 'discarded'; bytes: Uint8Array; reason: string };

/** A whole command, or 'more' (one more byte may complete it), or `{ more: n }` (n bytes from its start needed). */
type Parse = { cmd: DecodedCommand; len: number } | 'more' | { more: number };

/** GS k function A: data bytes before the NUL, at most (Epson: 1 ≤ k ≤ 255). */
const GS_K_FUNCTION_A_MAX_DATA = 255;

/**
 * GB18030-2022 two-byte codes mapped to standard code points (2005: PUA U+E78D..E796, E81E, E826, E82B, E82C, E832,
 * E843, E854, E864), from the standard's table. The printer side keeps its own copy: it must not import the encoder.
 */
const GB18030_2022_DECODE: ReadonlyMap<number, number> = new Map([
  [0xa6d9, 0xfe10],
  [0xa6da, 0xfe12],
  [0xa6db, 0xfe11],
  [0xa6dc, 0xfe13],
  [0xa6dd, 0xfe14],
  [0xa6de, 0xfe15],
  [0xa6df, 0xfe16],
  [0xa6ec, 0xfe17],
  [0xa6ed, 0xfe18],
  [0xa6f3, 0xfe19],
  [0xfe59, 0x9fb4],
  [0xfe61, 0x9fb5],
  [0xfe66, 0x9fb6],
  [0xfe67, 0x9fb7],
  [0xfe6d, 0x9fb8],
  [0xfe7e, 0x9fb9],
  [0xfe90, 0x9fba],
  [0xfea0, 0x9fbb],
]);

const QR_LEVELS = { 0x30: 'L', 0x31: 'M', 0x32: 'Q', 0x33: 'H' } as const;

/** ESC commands that take one parameter byte and that the simulator does not model (skipped, reported as ignored). */
const ESC_ONE_PARAM: Record<number, string> = {
  0x21: 'ESC ! (print mode)',
  0x33: 'ESC 3 (line spacing)',
  0x4a: 'ESC J (feed dots)',
  0x4d: 'ESC M (font)',
  0x52: 'ESC R (international set)',
  0x74: 'ESC t (code table)',
  0x47: 'ESC G (double strike)',
  0x7b: 'ESC { (upside down)',
  0x20: 'ESC SP (right spacing)',
  0x56: 'ESC V (rotate)',
};
const ESC_NO_PARAM: Record<number, string> = { 0x32: 'ESC 2 (default line spacing)' };
const GS_ONE_PARAM: Record<number, string> = {
  0x48: 'GS H (HRI position)',
  0x66: 'GS f (HRI font)',
  0x68: 'GS h (barcode height)',
  0x77: 'GS w (barcode width)',
  0x42: 'GS B (reverse)',
};
const FS_ONE_PARAM: Record<number, string> = { 0x21: 'FS ! (Chinese print mode)', 0x57: 'FS W (Chinese quadruple)' };

export interface EscPosDecoderOptions {
  /** Chinese (double-byte) mode at power-on and after ESC @; default false (Epson). */
  chineseModeAtPowerOn?: boolean;
  /** The font's GB18030 edition for double-byte text; default '2022' (see the header). */
  gb18030Edition?: '2005' | '2022';
}

export class EscPosDecoder {
  /** Bytes held back (an incomplete command), as received: joined only when `needed` bytes are there. */
  private held: Uint8Array[] = [];
  private heldLength = 0;
  /** Held bytes the waiting command needs before parsing is worth trying again. */
  private needed = 0;
  private discardedBytes_ = 0;
  private chinese: boolean;
  private readonly chineseAtPowerOn: boolean;
  private readonly edition2022: boolean;

  constructor(options: EscPosDecoderOptions = {}) {
    this.chineseAtPowerOn = options.chineseModeAtPowerOn ?? false;
    this.chinese = this.chineseAtPowerOn;
    this.edition2022 = (options.gb18030Edition ?? '2022') === '2022';
  }

  /** Bytes of every `discarded` command so far (garbage, malformed or unterminated commands). */
  get discardedBytes(): number {
    return this.discardedBytes_;
  }

  get chineseMode(): boolean {
    return this.chinese;
  }

  /** Bytes held back because they start an incomplete command. */
  get pendingBytes(): number {
    return this.heldLength;
  }

  push(chunk: Uint8Array): DecodedCommand[] {
    if (chunk.length === 0) return [];
    this.held.push(chunk);
    this.heldLength += chunk.length;
    if (this.heldLength < this.needed) return [];
    const buf = this.held.length === 1 ? this.held[0]! : joinAll(this.held, this.heldLength);
    const out: DecodedCommand[] = [];
    let i = 0;
    let needed = 0;
    while (i < buf.length) {
      const r = this.parseAt(buf, i);
      if (r === 'more' || 'more' in r) {
        needed = r === 'more' ? buf.length - i + 1 : r.more;
        break;
      }
      if (r.cmd.op === 'chinese') this.chinese = r.cmd.on;
      if (r.cmd.op === 'init') this.chinese = this.chineseAtPowerOn;
      if (r.cmd.op === 'discarded') this.discardedBytes_ += r.cmd.bytes.length;
      out.push(r.cmd);
      i += r.len;
    }
    // keep a copy of what waits (the caller may reuse its chunk); it is one command, bounded (see the header)
    const rest = i < buf.length ? buf.slice(i) : undefined;
    this.held = rest ? [rest] : [];
    this.heldLength = rest ? rest.length : 0;
    this.needed = needed;
    return out;
  }

  private parseAt(b: Uint8Array, i: number): Parse {
    const c = b[i]!;
    const avail = b.length - i;
    const need = (n: number): boolean => avail < n;
    const slice = (n: number): Uint8Array => b.slice(i, i + n);
    switch (c) {
      case 0x0a:
        return { cmd: { op: 'lf' }, len: 1 };
      case 0x0d:
        return { cmd: { op: 'ignored', name: 'CR', bytes: slice(1) }, len: 1 };
      case 0x10: {
        // DLE EOT n = real-time status request
        if (need(2)) return 'more';
        if (b[i + 1] === 0x04) {
          if (need(3)) return 'more';
          const n = b[i + 2]!;
          if (n >= 1 && n <= 4) return { cmd: { op: 'status-request', n: n as 1 | 2 | 3 | 4 }, len: 3 };
          return { cmd: { op: 'discarded', bytes: slice(3), reason: `DLE EOT ${n} out of range` }, len: 3 };
        }
        return { cmd: { op: 'discarded', bytes: slice(1), reason: 'DLE not followed by EOT' }, len: 1 };
      }
      case 0x1b:
        return this.parseEsc(b, i);
      case 0x1d:
        return this.parseGs(b, i);
      case 0x1c: {
        if (need(2)) return 'more';
        const f = b[i + 1]!;
        if (f === 0x26) return { cmd: { op: 'chinese', on: true }, len: 2 }; // FS &
        if (f === 0x2e) return { cmd: { op: 'chinese', on: false }, len: 2 }; // FS .
        if (f === 0x2d) {
          // FS - n = Chinese character underline: 0/48 off, 1/49 one dot, 2/50 two dots
          if (need(3)) return 'more';
          const n = b[i + 2];
          return { cmd: { op: 'chinese-underline', mode: n === 1 || n === 0x31 ? 1 : n === 2 || n === 0x32 ? 2 : 0 }, len: 3 };
        }
        const name = FS_ONE_PARAM[f];
        if (name) return need(3) ? 'more' : { cmd: { op: 'ignored', name, bytes: slice(3) }, len: 3 };
        return { cmd: { op: 'discarded', bytes: slice(2), reason: 'unknown FS command' }, len: 2 };
      }
      default:
        if (c < 0x20 || c === 0x7f) return { cmd: { op: 'discarded', bytes: slice(1), reason: 'control byte' }, len: 1 };
        return this.parseText(b, i);
    }
  }

  private parseText(b: Uint8Array, start: number): Parse {
    let i = start;
    let text = '';
    let columns = 0;
    const widths: number[] = [];
    while (i < b.length) {
      const c = b[i]!;
      if (c < 0x20 || c === 0x7f) break;
      if (c < 0x80) {
        text += String.fromCharCode(c);
        columns += 1;
        widths.push(1);
        i += 1;
      } else if (this.chinese && c >= 0x81 && c <= 0xfe) {
        if (i + 1 >= b.length) {
          if (i === start) return 'more';
          break;
        }
        const overlay = this.edition2022 ? GB18030_2022_DECODE.get((c << 8) | b[i + 1]!) : undefined;
        text += overlay !== undefined ? String.fromCodePoint(overlay) : iconv.decode(Buffer.from([c, b[i + 1]!]), 'gb18030');
        columns += 2;
        widths.push(2);
        i += 2;
      } else {
        text += iconv.decode(Buffer.from([c]), this.chinese ? 'gb18030' : 'cp437');
        columns += 1;
        widths.push(1);
        i += 1;
      }
    }
    return { cmd: { op: 'text', text, columns, widths }, len: i - start };
  }

  private parseEsc(b: Uint8Array, i: number): Parse {
    if (b.length - i < 2) return 'more';
    const f = b[i + 1]!;
    const has3 = b.length - i >= 3;
    const n = b[i + 2];
    switch (f) {
      case 0x40: // ESC @
        return { cmd: { op: 'init' }, len: 2 };
      case 0x61: // ESC a n
        if (!has3) return 'more';
        // 0/48 left, 1/49 centre, 2/50 right
        return { cmd: { op: 'align', align: n === 1 || n === 0x31 ? 'center' : n === 2 || n === 0x32 ? 'right' : 'left' }, len: 3 };
      case 0x45: // ESC E n (only the lowest bit counts)
        if (!has3) return 'more';
        return { cmd: { op: 'bold', on: (n! & 1) === 1 }, len: 3 };
      case 0x2d: {
        // ESC - n: 0/48 off, 1/49 one dot, 2/50 two dots
        if (!has3) return 'more';
        const mode = n === 1 || n === 0x31 ? 1 : n === 2 || n === 0x32 ? 2 : 0;
        return { cmd: { op: 'underline', mode }, len: 3 };
      }
      case 0x64: // ESC d n
        if (!has3) return 'more';
        return { cmd: { op: 'feed', lines: n! }, len: 3 };
      default: {
        const one = ESC_ONE_PARAM[f];
        if (one) return has3 ? { cmd: { op: 'ignored', name: one, bytes: b.slice(i, i + 3) }, len: 3 } : 'more';
        const none = ESC_NO_PARAM[f];
        if (none) return { cmd: { op: 'ignored', name: none, bytes: b.slice(i, i + 2) }, len: 2 };
        return { cmd: { op: 'discarded', bytes: b.slice(i, i + 2), reason: 'unknown ESC command' }, len: 2 };
      }
    }
  }

  private parseGs(b: Uint8Array, i: number): Parse {
    const avail = b.length - i;
    if (avail < 2) return 'more';
    const f = b[i + 1]!;
    switch (f) {
      case 0x21: {
        // GS ! n: high nibble width-1, low nibble height-1 (0..7)
        if (avail < 3) return 'more';
        const n = b[i + 2]!;
        const w = (n >> 4) & 0x0f;
        const h = n & 0x0f;
        if (w > 7 || h > 7) return { cmd: { op: 'discarded', bytes: b.slice(i, i + 3), reason: 'GS ! size out of range' }, len: 3 };
        return { cmd: { op: 'size', width: w + 1, height: h + 1 }, len: 3 };
      }
      case 0x56: {
        // GS V m [n]: 0/48 full, 1/49 partial; 65 feed+full, 66 feed+partial
        if (avail < 3) return 'more';
        const m = b[i + 2]!;
        if (m === 0 || m === 0x30) return { cmd: { op: 'cut', mode: 'full', feed: null }, len: 3 };
        if (m === 1 || m === 0x31) return { cmd: { op: 'cut', mode: 'partial', feed: null }, len: 3 };
        if (m === 0x41 || m === 0x42) {
          if (avail < 4) return 'more';
          return { cmd: { op: 'cut', mode: m === 0x41 ? 'full' : 'partial', feed: b[i + 3]! }, len: 4 };
        }
        return { cmd: { op: 'discarded', bytes: b.slice(i, i + 3), reason: 'unknown GS V mode' }, len: 3 };
      }
      case 0x61: // GS a n = automatic status back
        if (avail < 3) return 'more';
        return { cmd: { op: 'asb', mask: b[i + 2]! }, len: 3 };
      case 0x28: {
        // GS ( x pL pH d1..dk: every GS ( function is length-prefixed
        if (avail < 5) return 'more';
        const k = b[i + 3]! + 256 * b[i + 4]!;
        if (avail < 5 + k) return { more: 5 + k };
        const params = b.slice(i + 5, i + 5 + k);
        const len = 5 + k;
        if (b[i + 2] !== 0x6b) return { cmd: { op: 'ignored', name: `GS ( ${String.fromCharCode(b[i + 2]!)}`, bytes: b.slice(i, i + len) }, len };
        return { cmd: this.qr(params, b.slice(i, i + len)), len };
      }
      case 0x6b:
        return this.barcode(b, i);
      default: {
        const one = GS_ONE_PARAM[f];
        if (one) return avail < 3 ? 'more' : { cmd: { op: 'ignored', name: one, bytes: b.slice(i, i + 3) }, len: 3 };
        return { cmd: { op: 'discarded', bytes: b.slice(i, i + 2), reason: 'unknown GS command' }, len: 2 };
      }
    }
  }

  /** GS ( k with cn = 49 (QR code); params = cn fn [m] data. */
  private qr(p: Uint8Array, whole: Uint8Array): DecodedCommand {
    if (p[0] !== 0x31 || p.length < 2) return { op: 'ignored', name: 'GS ( k (not QR)', bytes: whole };
    const fn = p[1]!;
    switch (fn) {
      case 0x41: // fn 165 model: n1 = 49 model 1, 50 model 2
        if (p.length === 4 && (p[2] === 0x31 || p[2] === 0x32)) return { op: 'qr-model', model: p[2] === 0x31 ? 1 : 2 };
        break;
      case 0x43: // fn 167 module size
        if (p.length === 3 && p[2]! >= 1 && p[2]! <= 16) return { op: 'qr-size', dots: p[2]! };
        break;
      case 0x45: {
        // fn 169 error correction
        const level = p.length === 3 ? QR_LEVELS[p[2] as keyof typeof QR_LEVELS] : undefined;
        if (level) return { op: 'qr-error', level };
        break;
      }
      case 0x50: // fn 180 store: m = 48, then data
        if (p[2] === 0x30 && p.length > 3) return { op: 'qr-store', data: p.slice(3) };
        break;
      case 0x51: // fn 181 print: m = 48
        if (p.length === 3 && p[2] === 0x30) return { op: 'qr-print' };
        break;
      default:
        return { op: 'ignored', name: `GS ( k QR fn 0x${fn.toString(16)}`, bytes: whole };
    }
    return { op: 'discarded', bytes: whole, reason: 'malformed QR parameters' };
  }

  /** GS k m ...: function B (m 65..79) is length-prefixed; only m = 73 (CODE128) is decoded. */
  private barcode(b: Uint8Array, i: number): Parse {
    const avail = b.length - i;
    if (avail < 3) return 'more';
    const m = b[i + 2]!;
    if (m >= 65 && m <= 79) {
      if (avail < 4) return 'more';
      const n = b[i + 3]!;
      if (avail < 4 + n) return { more: 4 + n };
      const whole = b.slice(i, i + 4 + n);
      if (m !== 73) return { cmd: { op: 'ignored', name: `GS k m=${m}`, bytes: whole }, len: 4 + n };
      const decoded = decodeCode128(b.slice(i + 4, i + 4 + n));
      return {
        cmd: decoded ? { op: 'barcode', symbology: 'CODE128', ...decoded } : { op: 'discarded', bytes: whole, reason: 'malformed CODE128 data' },
        len: 4 + n,
      };
    }
    // function A (m 0..6): NUL-terminated data of at most 255 bytes
    const limit = Math.min(b.length, i + 3 + GS_K_FUNCTION_A_MAX_DATA + 1);
    let end = -1;
    for (let j = i + 3; j < limit; j++) {
      if (b[j] === 0) {
        end = j;
        break;
      }
    }
    if (end === -1) {
      if (limit - (i + 3) <= GS_K_FUNCTION_A_MAX_DATA) return 'more';
      const len = 3 + GS_K_FUNCTION_A_MAX_DATA;
      return { cmd: { op: 'discarded', bytes: b.slice(i, i + len), reason: `GS k function A: no NUL within ${GS_K_FUNCTION_A_MAX_DATA} data bytes` }, len };
    }
    return { cmd: { op: 'ignored', name: `GS k m=${m}`, bytes: b.slice(i, end + 1) }, len: end + 1 - i };
  }
}

/**
 * GS k m=73 data: starts with a code-set selector `{A`, `{B` or `{C`; `{S` shift, `{1`..`{4` FNC1..4, `{{` a literal
 * `{`. Returns the human-readable data and the CODE128 symbol values (start code first, no checksum, no stop).
 */
export function decodeCode128(d: Uint8Array): { data: string; values: number[] } | undefined {
  if (d.length < 2 || d[0] !== 0x7b) return undefined;
  const startOf = { 0x41: 103, 0x42: 104, 0x43: 105 } as const;
  let set = d[1] === 0x41 ? 'A' : d[1] === 0x42 ? 'B' : d[1] === 0x43 ? 'C' : undefined;
  if (!set) return undefined;
  const values: number[] = [startOf[d[1] as 0x41 | 0x42 | 0x43]];
  let data = '';
  let shift = false;
  for (let i = 2; i < d.length; i++) {
    let c = d[i]!;
    if (c === 0x7b) {
      const x = d[++i];
      if (x === undefined) return undefined;
      if (x === 0x7b) c = 0x7b;
      else {
        switch (x) {
          case 0x41: // {A
            values.push(101);
            set = 'A';
            break;
          case 0x42: // {B
            values.push(100);
            set = 'B';
            break;
          case 0x43: // {C
            values.push(99);
            set = 'C';
            break;
          case 0x53: // {S shift (A <-> B for one character)
            if (set === 'C') return undefined;
            values.push(98);
            shift = true;
            break;
          case 0x31: // {1 FNC1
            values.push(102);
            break;
          case 0x32: // {2 FNC2
            if (set === 'C') return undefined;
            values.push(97);
            break;
          case 0x33: // {3 FNC3
            if (set === 'C') return undefined;
            values.push(96);
            break;
          case 0x34: // {4 FNC4
            if (set === 'C') return undefined;
            values.push(set === 'A' ? 101 : 100);
            break;
          default:
            return undefined;
        }
        continue;
      }
    }
    const effective = shift ? (set === 'A' ? 'B' : 'A') : set;
    shift = false;
    if (effective === 'C') {
      if (c > 99) return undefined;
      values.push(c);
      data += c.toString().padStart(2, '0');
    } else if (effective === 'B') {
      if (c < 0x20 || c > 0x7f) return undefined;
      values.push(c - 32);
      data += String.fromCharCode(c);
    } else {
      if (c > 0x5f) return undefined;
      values.push(c < 0x20 ? c + 64 : c - 32);
      data += String.fromCharCode(c);
    }
  }
  return { data, values };
}

function joinAll(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
