import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { EscPosDecoder, decodeCode128, type DecodedCommand } from './decoder.js';
import { EscPosEncoder } from './encoder.js';
import { ReceiptAssembler, type ReceiptBlock } from './receipt.js';
import { code128Widths, renderReceiptPng, unifontAvailable } from './render-png.js';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).map((x) => parseInt(x, 16)));

function decodeAll(b: Uint8Array, chinese = false): { cmds: DecodedCommand[]; blocks: ReceiptBlock[]; text: string } {
  const d = new EscPosDecoder({ chineseModeAtPowerOn: chinese });
  const cmds = d.push(b);
  const a = new ReceiptAssembler({ columns: 48, now: () => 0 });
  const receipts = cmds.map((c) => a.apply(c).cut).filter((r) => r !== undefined);
  const rest = a.finish(true);
  if (rest) receipts.push(rest);
  return { cmds, blocks: receipts.flatMap((r) => r.blocks), text: receipts.map((r) => r.text).join('\n') };
}

describe('decoder on hand-written byte vectors (independent of the encoder)', () => {
  it('ESC @, ESC a 1, GS ! 0x11, ESC E 1, text, LF', () => {
    const { cmds } = decodeAll(bytes('1B 40 1B 61 01 1D 21 11 1B 45 01 41 30 30 31 0A'));
    expect(cmds).toEqual([
      { op: 'init' },
      { op: 'align', align: 'center' },
      { op: 'size', width: 2, height: 2 },
      { op: 'bold', on: true },
      { op: 'text', text: 'A001', columns: 4, widths: [1, 1, 1, 1] },
      { op: 'lf' },
    ]);
  });
  it('FS & C8 A1 BA C5 FS . decodes 取号 as two double-byte chars', () => {
    const { blocks } = decodeAll(bytes('1C 26 C8 A1 BA C5 1C 2E 0A'));
    expect(blocks).toEqual([{ kind: 'text', align: 'left', runs: [{ text: '取号', columns: 4, bold: false, underline: 0, width: 1, height: 1 }] }]);
  });
  it('without FS & (Epson power-on mode) the same bytes print as PC437 garbage', () => {
    const { text } = decodeAll(bytes('C8 A1 BA C5 0A'));
    expect(text).not.toContain('取号');
    expect(text).toHaveLength(4);
  });
  it('with Chinese mode on at power-on (DIP switch) the bytes print as hanzi', () => {
    expect(decodeAll(bytes('C8 A1 BA C5 0A'), true).text).toBe('取号');
  });
  it('A3 A4 in Chinese mode is ￥', () => {
    expect(decodeAll(bytes('1C 26 A3 A4 1C 2E 35 0A')).text).toBe('￥5');
  });
  it('GB18030-2022 two-byte codes decode to their standard code points on a 2022 font, to PUA on a 2005 one', () => {
    // the 18 pairs of GB 18030-2022 (encoding_rs GB18030_2022_OVERRIDE_*), written out here, not taken from the encoder
    const pairs = 'A6D9 FE10 A6DA FE12 A6DB FE11 A6DC FE13 A6DD FE14 A6DE FE15 A6DF FE16 A6EC FE17 A6ED FE18 A6F3 FE19 FE59 9FB4 FE61 9FB5 FE66 9FB6 FE67 9FB7 FE6D 9FB8 FE7E 9FB9 FE90 9FBA FEA0 9FBB';
    const list = pairs.split(' ');
    const codes = list.filter((_, i) => i % 2 === 0);
    const expected = String.fromCodePoint(...list.filter((_, i) => i % 2 === 1).map((h) => parseInt(h, 16)));
    const stream = bytes(`1C 26 ${codes.map((c) => `${c.slice(0, 2)} ${c.slice(2)}`).join(' ')} 1C 2E`);
    const text2022 = new EscPosDecoder().push(stream).find((c) => c.op === 'text');
    expect(text2022).toMatchObject({ op: 'text', text: expected, columns: 36 });
    const text2005 = new EscPosDecoder({ gb18030Edition: '2005' }).push(stream).find((c) => c.op === 'text');
    expect(text2005?.op === 'text' ? [...text2005.text].map((ch) => ch.codePointAt(0)! >= 0xe000 && ch.codePointAt(0)! <= 0xf8ff) : []).toEqual(codes.map(() => true));
  });
  it('GS ( k QR: model, size, EC, store (pL pH), print → a QR block with the payload', () => {
    const { blocks } = decodeAll(
      bytes('1B 61 01 1D 28 6B 04 00 31 41 32 00 1D 28 6B 03 00 31 43 05 1D 28 6B 03 00 31 45 33 1D 28 6B 06 00 31 50 30 41 42 43 1D 28 6B 03 00 31 51 30'),
    );
    expect(blocks).toEqual([{ kind: 'qr', align: 'center', data: 'ABC', byteLength: 3, model: 2, moduleSize: 5, errorLevel: 'H' }]);
  });
  it('GS k 73 CODE128 {B A001 → data and symbol values', () => {
    const { cmds } = decodeAll(bytes('1D 6B 49 06 7B 42 41 30 30 31'));
    expect(cmds).toEqual([{ op: 'barcode', symbology: 'CODE128', data: 'A001', values: [104, 33, 16, 16, 17] }]);
  });
  it('CODE128 code set C packs two digits per byte; {{ is a literal {', () => {
    expect(decodeCode128(bytes('7B 43 0C 22 38'))).toEqual({ data: '123456', values: [105, 12, 34, 56] });
    expect(decodeCode128(bytes('7B 42 7B 7B'))).toEqual({ data: '{', values: [104, 91] });
    expect(decodeCode128(bytes('41 42'))).toBeUndefined();
  });
  it('GS V 0 / GS V 66 n cut; ESC d n feeds blank lines', () => {
    const { blocks } = decodeAll(bytes('41 0A 1B 64 02 1D 56 42 00'));
    expect(blocks.map((b) => b.kind)).toEqual(['text', 'text', 'text', 'cut']);
    expect(blocks[3]).toEqual({ kind: 'cut', mode: 'partial' });
    expect(decodeAll(bytes('1D 56 00')).cmds).toEqual([{ op: 'cut', mode: 'full', feed: null }]);
  });
  it('ESC d n after text: the text line and n - 1 blank lines', () => {
    expect(decodeAll(bytes('41 1B 64 03')).blocks.map((b) => (b.kind === 'text' ? b.runs.map((r) => r.text).join('') : b.kind))).toEqual(['A', '', '']);
  });
  it('DLE EOT n inside a print stream is a status request; unknown commands are discarded, known ones skipped', () => {
    const { cmds } = decodeAll(bytes('10 04 04 1B 74 00 1B 99 41 0A'));
    expect(cmds).toEqual([
      { op: 'status-request', n: 4 },
      { op: 'ignored', name: 'ESC t (code table)', bytes: bytes('1B 74 00') },
      { op: 'discarded', bytes: bytes('1B 99'), reason: 'unknown ESC command' },
      { op: 'text', text: 'A', columns: 1, widths: [1] },
      { op: 'lf' },
    ]);
  });
  it('ESC a takes effect at the beginning of a line only', () => {
    const { blocks } = decodeAll(bytes('41 1B 61 02 42 0A 43 0A'));
    expect(blocks.map((b) => b.kind === 'text' && b.align)).toEqual(['left', 'right']);
  });
  it('a line longer than 48 columns wraps by itself; a hanzi that does not fit moves whole', () => {
    const long = '41 '.repeat(47) + '1C 26 C8 A1 1C 2E 0A';
    const { text } = decodeAll(bytes(long));
    expect(text.split('\n')).toEqual(['A'.repeat(47), '取']);
  });
  it('commands split across chunks at every byte boundary decode the same', () => {
    const all = bytes('1B 40 1C 26 C8 A1 BA C5 1C 2E 0A 1D 28 6B 06 00 31 50 30 41 42 43 1D 28 6B 03 00 31 51 30 10 04 01 1D 6B 49 03 7B 42 31 1D 56 41 00');
    const model = (cmds: DecodedCommand[]): unknown => {
      const a = new ReceiptAssembler({ columns: 48, now: () => 0 });
      const blocks = cmds.flatMap((c) => a.apply(c).cut?.blocks ?? []);
      return { blocks, requests: cmds.filter((c) => c.op === 'status-request'), odd: cmds.filter((c) => c.op === 'discarded' || c.op === 'ignored') };
    };
    const whole = model(new EscPosDecoder().push(all));
    expect(whole).toMatchObject({ requests: [{ op: 'status-request', n: 1 }], odd: [] });
    for (let cut = 1; cut < all.length; cut++) {
      const d = new EscPosDecoder();
      expect(model([...d.push(all.slice(0, cut)), ...d.push(all.slice(cut))])).toEqual(whole);
      expect(d.pendingBytes).toBe(0);
    }
  });
});

describe('round trip: encoder → decoder gives the model that was built', () => {
  it('styled lines, two-column rows, QR, CODE128 and cut', () => {
    const e = new EscPosEncoder()
      .initialize()
      .align('center')
      .size(2, 2)
      .bold()
      .textLine('A001')
      .bold(false)
      .size(1, 1)
      .underline()
      .textLine('社保业务 ¥0')
      .underline(false)
      .align('left')
      .line('等候人数', '3人')
      .rule()
      .align('center')
      .qr('https://zwfw.example.gov.cn/q?n=A001', { moduleSize: 4, errorLevel: 'Q' })
      .code128('A001')
      .feed(1)
      .cut('partial');
    const { blocks, text } = decodeAll(e.encode());
    expect(blocks).toEqual([
      { kind: 'text', align: 'center', runs: [{ text: 'A001', columns: 4, bold: true, underline: 0, width: 2, height: 2 }] },
      {
        kind: 'text',
        align: 'center',
        runs: [
          { text: '社保业务', columns: 8, bold: false, underline: 1, width: 1, height: 1 },
          { text: ' ', columns: 1, bold: false, underline: 1, width: 1, height: 1 },
          { text: '￥', columns: 2, bold: false, underline: 1, width: 1, height: 1 },
          { text: '0', columns: 1, bold: false, underline: 1, width: 1, height: 1 },
        ],
      },
      {
        kind: 'text',
        align: 'left',
        runs: [
          { text: '等候人数', columns: 8, bold: false, underline: 0, width: 1, height: 1 },
          { text: ' '.repeat(37) + '3', columns: 38, bold: false, underline: 0, width: 1, height: 1 },
          { text: '人', columns: 2, bold: false, underline: 0, width: 1, height: 1 },
        ],
      },
      { kind: 'text', align: 'left', runs: [{ text: '-'.repeat(48), columns: 48, bold: false, underline: 0, width: 1, height: 1 }] },
      { kind: 'qr', align: 'center', data: 'https://zwfw.example.gov.cn/q?n=A001', byteLength: 36, model: 2, moduleSize: 4, errorLevel: 'Q' },
      { kind: 'barcode', align: 'center', symbology: 'CODE128', data: 'A001', values: [104, 33, 16, 16, 17] },
      { kind: 'text', align: 'center', runs: [] },
      { kind: 'cut', mode: 'partial' },
    ]);
    expect(text.split('\n')[0]).toBe(' '.repeat(20) + 'A001'); // 4 chars at 2x = 8 columns, centred in 48
    expect(text).toContain('等候人数' + ' '.repeat(37) + '3人'); // 8 + 37 + 3 = 48 columns
  });
});

describe('PNG rendering', () => {
  it('CODE128 widths: every symbol is 11 modules, the stop 13; checksum mod 103', () => {
    const w = code128Widths([104, 33, 16, 16, 17]);
    // start + 4 data + checksum = 6 symbols x 6 elements, stop 7 elements
    expect(w).toHaveLength(6 * 6 + 7);
    expect(w.reduce((a, b) => a + b, 0)).toBe(6 * 11 + 13);
    // checksum = (104 + 1*33 + 2*16 + 3*16 + 4*17) % 103 = 285 % 103 = 79 → pattern 134111
    expect(w.slice(30, 36)).toEqual([1, 3, 4, 1, 1, 1]);
  });
  it.skipIf(!unifontAvailable())('renders a 576-dot-wide receipt with black text pixels', () => {
    const e = new EscPosEncoder().align('center').size(2, 2).textLine('取号 A001').size(1, 1).qr('A001', { moduleSize: 4 }).cut();
    const { blocks } = decodeAll(e.encode());
    const png = PNG.sync.read(renderReceiptPng(blocks));
    expect(png.width).toBe(576);
    // the text row (first 54 dots) has ink only inside the centred 9-column x 2 (216 dot) span
    let ink = 0;
    let outside = 0;
    for (let y = 0; y < 54; y++)
      for (let x = 0; x < 576; x++) {
        if (png.data[(y * 576 + x) * 4] === 0) {
          ink++;
          if (x < 180 || x >= 396) outside++;
        }
      }
    expect(ink).toBeGreaterThan(500);
    expect(outside).toBe(0);
  });
});

describe('independence of the virtual printer', () => {
  it('simulator, decoder, receipt model and renderer never import the encoder or its text helpers', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const f of ['simulator.ts', 'decoder.ts', 'receipt.ts', 'render-png.ts']) {
      const src = await readFile(new URL(`./${f}`, import.meta.url), 'utf8');
      const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((i) => /\/(encoder|text)\.js$/.test(i!)), f).toEqual([]);
    }
  });
});

describe('Chinese underline: FS - (ESC - underlines single-byte characters only)', () => {
  it('the printer model underlines hanzi only under FS - n, ASCII only under ESC - n', () => {
    // ESC - 1, then FS & 下 FS . " a": ESC - alone leaves the hanzi plain
    const plain = decodeAll(bytes('1B 2D 01 1C 26 CF C2 1C 2E 20 61 0A'));
    expect(plain.blocks[0]).toMatchObject({ runs: [{ text: '下', underline: 0 }, { text: ' a', underline: 1 }] });
    // FS - 1 (and FS - 49) underline double-byte characters
    const cmds = new EscPosDecoder().push(bytes('1C 2D 01 1C 2D 32 1C 2D 00 1C 2D 30'));
    expect(cmds).toEqual([
      { op: 'chinese-underline', mode: 1 },
      { op: 'chinese-underline', mode: 2 },
      { op: 'chinese-underline', mode: 0 },
      { op: 'chinese-underline', mode: 0 },
    ]);
    const both = decodeAll(bytes('1B 2D 01 1C 26 1C 2D 01 CF C2 1C 2D 00 1C 2E 20 61 0A'));
    expect(both.blocks[0]).toMatchObject({ runs: [{ text: '下', underline: 1 }, { text: ' a', underline: 1 }] });
  });

  it('the diagnostic ticket line 下划线 underline: ESC - 1, FS & FS - 1 CF C2 BB AE CF DF FS - 0 FS ., ASCII, LF, ESC - 0', () => {
    const e = new EscPosEncoder().underline().textLine('下划线 underline').underline(false);
    const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?=.)/g, '$1 ');
    expect(hexOf(e.encode())).toBe('1B 2D 01 1C 26 1C 2D 01 CF C2 BB AE CF DF 1C 2D 00 1C 2E 20 75 6E 64 65 72 6C 69 6E 65 0A 1B 2D 00');
    const { blocks } = decodeAll(e.encode());
    expect(blocks[0]).toMatchObject({ runs: [{ text: '下划线', columns: 6, underline: 1 }, { text: ' underline', columns: 10, underline: 1 }] });
  });

  it('no FS - when underline is off; two dots carry over as FS - 2', () => {
    const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?=.)/g, '$1 ');
    expect(hexOf(new EscPosEncoder().text('下').encode())).toBe('1C 26 CF C2 1C 2E');
    expect(hexOf(new EscPosEncoder().underline(2).text('下').underline(false).text('下').encode())).toBe(
      '1B 2D 02 1C 26 1C 2D 02 CF C2 1C 2D 00 1C 2E 1B 2D 00 1C 26 CF C2 1C 2E',
    );
  });
});

describe('GS k function A without its NUL terminator (bounded, linear)', () => {
  it('1 MiB of unterminated GS k m=4 data: bounded pending buffer, discarded bytes counted, resync after', () => {
    const d = new EscPosDecoder();
    const data = new Uint8Array(1 << 20).fill(0x31); // '1' × 1 MiB, never a NUL
    data.set([0x1d, 0x6b, 0x04], 0); // GS k m=4 (CODE39, function A)
    let maxPending = 0;
    const out: DecodedCommand[] = [];
    for (let at = 0; at < data.length; at += 4096) {
      out.push(...d.push(data.subarray(at, at + 4096)));
      maxPending = Math.max(maxPending, d.pendingBytes);
    }
    expect(maxPending).toBeLessThanOrEqual(3 + 255);
    const discarded = out.filter((c) => c.op === 'discarded');
    expect(discarded).toHaveLength(1);
    expect(discarded[0]).toMatchObject({ reason: 'GS k function A: no NUL within 255 data bytes' });
    expect(d.discardedBytes).toBe(3 + 255);
    // after the resync the rest is ordinary text, and a following command is decoded again
    expect(d.push(bytes('00 1B 40'))).toEqual([
      { op: 'discarded', bytes: Uint8Array.of(0), reason: 'control byte' },
      { op: 'init' },
    ]);
  });

  it('a terminated GS k function A within 255 bytes is still one command, split at every boundary', () => {
    const cmd = bytes('1D 6B 04 41 42 43 00 0A');
    for (let cut = 0; cut <= cmd.length; cut++) {
      const d = new EscPosDecoder();
      const out = [...d.push(cmd.slice(0, cut)), ...d.push(cmd.slice(cut))];
      expect(out).toEqual([{ op: 'ignored', name: 'GS k m=4', bytes: cmd.slice(0, 7) }, { op: 'lf' }]);
    }
  });

  it('byte-by-byte pushes of a 65 KiB GS ( command: one command, pending counts the bytes held (timing: npm run bench)', () => {
    const k = 65535;
    const cmd = new Uint8Array(5 + k);
    cmd.set([0x1d, 0x28, 0x4c, k & 0xff, k >> 8]); // GS ( L pL pH (graphics), length-prefixed
    const d = new EscPosDecoder();
    let out: DecodedCommand[] = [];
    for (let i = 0; i < cmd.length; i++) {
      out = out.concat(d.push(cmd.subarray(i, i + 1)));
      if (i === 1000) expect(d.pendingBytes).toBe(1001);
    }
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ op: 'ignored', name: 'GS ( L' });
    expect(d.pendingBytes).toBe(0);
  });
});
