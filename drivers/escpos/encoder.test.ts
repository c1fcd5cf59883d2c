import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isDriverError } from '../errors.js';
import { EscPosCommands as C, EscPosEncoder } from './encoder.js';
import { PRINTER_PROFILES } from './profiles.js';
import { displayColumns } from './text.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?=.)/g, '$1 ');
const bytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((x) => parseInt(x, 16)));
const enc = (): EscPosEncoder => new EscPosEncoder();

describe('escpos.md command table, byte-exact', () => {
  it('ESC @ initialize = 1B 40', () => {
    expect(hex(enc().initialize().encode())).toBe('1B 40');
  });
  it('FS & Chinese mode on = 1C 26, FS . off = 1C 2E', () => {
    expect(hex(C.FS_AMPERSAND())).toBe('1C 26');
    expect(hex(C.FS_DOT())).toBe('1C 2E');
  });
  it.each([
    [1, 1, '1D 21 00'],
    [2, 2, '1D 21 11'],
    [2, 1, '1D 21 10'],
    [1, 3, '1D 21 02'],
    [8, 8, '1D 21 77'],
  ])('GS ! size width %i height %i', (w, h, expected) => {
    expect(hex(enc().size(w, h).encode())).toBe(expected);
  });
  it('GS ! rejects sizes outside 1..8 with a coded error', () => {
    for (const [w, h] of [[0, 1], [9, 1], [1, 1.5]] as const) {
      let err: unknown;
      try {
        enc().size(w, h);
      } catch (e) {
        err = e;
      }
      expect(isDriverError(err, 'PROTOCOL_MALFORMED')).toBe(true);
    }
  });
  it('ESC a align left/centre/right = 1B 61 00/01/02', () => {
    expect(hex(enc().align('left').align('center').align('right').encode())).toBe('1B 61 00 1B 61 01 1B 61 02');
  });
  it('ESC E bold on/off = 1B 45 01 / 1B 45 00', () => {
    expect(hex(enc().bold().bold(false).encode())).toBe('1B 45 01 1B 45 00');
  });
  it('ESC - underline 1 dot / 2 dots / off = 1B 2D 01 / 02 / 00', () => {
    expect(hex(enc().underline().underline(2).underline(false).encode())).toBe('1B 2D 01 1B 2D 02 1B 2D 00');
  });
  it('ESC d feed n lines = 1B 64 n', () => {
    expect(hex(enc().feed(3).encode())).toBe('1B 64 03');
  });
  it('ESC d after pending text ends the line with LF first', () => {
    expect(hex(enc().text('A').feed(2).encode())).toBe('41 0A 1B 64 02');
  });
  it('GS V cut: full 1D 56 00, partial 1D 56 01, GS V 65 n feed+full 1D 56 41 n, GS V 66 n feed+partial 1D 56 42 n', () => {
    expect(hex(enc().cut('full', { feed: false }).encode())).toBe('1D 56 00');
    expect(hex(enc().cut('partial', { feed: false }).encode())).toBe('1D 56 01');
    expect(hex(enc().cut('full', { feed: 16 }).encode())).toBe('1D 56 41 10');
    expect(hex(enc().cut('partial').encode())).toBe('1D 56 42 00');
  });
  it('cut on a profile without cutter feeds to the tear bar (ESC d) instead of GS V', () => {
    expect(hex(new EscPosEncoder({ profile: PRINTER_PROFILES['58mm'] }).cut().encode())).toBe('1B 64 04');
  });
  it('GS ( k QR fn 165 model 2, fn 167 size, fn 169 EC, fn 180 store, fn 181 print', () => {
    const out = enc().qr('abc', { model: 2, moduleSize: 6, errorLevel: 'M' }).encode();
    expect(hex(out)).toBe(
      [
        '1D 28 6B 04 00 31 41 32 00', // fn 165 model 2
        '1D 28 6B 03 00 31 43 06', // fn 167 module size 6
        '1D 28 6B 03 00 31 45 31', // fn 169 EC M
        '1D 28 6B 06 00 31 50 30 61 62 63', // fn 180 store, pL = 3 + 3
        '1D 28 6B 03 00 31 51 30', // fn 181 print
      ].join(' '),
    );
  });
  it('GS ( k fn 165 model 1 = n1 0x31; fn 169 L/Q/H = 30/32/33', () => {
    expect(hex(C.GS_PAREN_K_QR_MODEL(1))).toBe('1D 28 6B 04 00 31 41 31 00');
    expect(hex(C.GS_PAREN_K_QR_ERROR('L'))).toBe('1D 28 6B 03 00 31 45 30');
    expect(hex(C.GS_PAREN_K_QR_ERROR('Q'))).toBe('1D 28 6B 03 00 31 45 32');
    expect(hex(C.GS_PAREN_K_QR_ERROR('H'))).toBe('1D 28 6B 03 00 31 45 33');
  });
  it.each([
    [3, 0x06, 0x00],
    [300, 0x2f, 0x01], // 303 = 0x012F
    [253, 0x00, 0x01], // 256 = 0x0100: pH carries
  ])('GS ( k fn 180 store: %i data bytes → pL %i pH %i (pL + 256*pH = k + 3)', (k, pL, pH) => {
    const store = C.GS_PAREN_K_QR_STORE(new Uint8Array(k).fill(0x41));
    expect([...store.slice(0, 8)]).toEqual([0x1d, 0x28, 0x6b, pL, pH, 0x31, 0x50, 0x30]);
    expect(pL + 256 * pH).toBe(k + 3);
    expect(store.length).toBe(8 + k);
  });
  it('GS k m=73 CODE128 {B = 1D 6B 49 n 7B 42 data, n counts the code-set selector', () => {
    expect(hex(enc().code128('A001').encode())).toBe('1D 6B 49 06 7B 42 41 30 30 31');
  });
  it('GS k CODE128 escapes a literal { as {{', () => {
    expect(hex(enc().code128('a{b').encode())).toBe('1D 6B 49 06 7B 42 61 7B 7B 62');
  });
  it('GS k CODE128 refuses non-ASCII data with PRINTER_UNPRINTABLE_TEXT', () => {
    expect(() => enc().code128('取号')).toThrow(expect.objectContaining({ code: 'PRINTER_UNPRINTABLE_TEXT' }));
  });
  it('DLE EOT n = 10 04 n and GS a n = 1D 61 n', () => {
    expect(hex(C.DLE_EOT(1))).toBe('10 04 01');
    expect(hex(C.DLE_EOT(4))).toBe('10 04 04');
    expect(hex(C.GS_A(0xff))).toBe('1D 61 FF');
  });
  it('a QR or barcode after pending text starts on a new line (LF first)', () => {
    expect(hex(enc().text('X').code128('1').encode())).toBe('58 0A 1D 6B 49 03 7B 42 31');
  });
});

describe('Chinese text', () => {
  it('取号 → FS & + GB18030 C8 A1 BA C5 + FS .', () => {
    expect(hex(enc().text('取号').encode())).toBe('1C 26 C8 A1 BA C5 1C 2E');
  });
  it('ASCII stays outside runs: "取号 A001" → FS & C8 A1 BA C5 FS . 20 41 30 30 31', () => {
    expect(hex(enc().text('取号 A001').encode())).toBe('1C 26 C8 A1 BA C5 1C 2E 20 41 30 30 31');
  });
  it('each line closes its run before LF', () => {
    expect(hex(enc().textLine('号').textLine('号').encode())).toBe('1C 26 BA C5 1C 2E 0A 1C 26 BA C5 1C 2E 0A');
  });
  it('adjacent text() calls with hanzi share one run (no FS . FS & in between)', () => {
    expect(hex(enc().text('取').text('号').encode())).toBe('1C 26 C8 A1 BA C5 1C 2E');
  });
  it('¥ (U+00A5) is printed as ￥ (U+FFE5) = A3 A4, not reported', () => {
    const e = enc().text('¥5');
    expect(hex(e.encode())).toBe('1C 26 A3 A4 1C 2E 35');
    expect(e.unprintable).toEqual([]);
  });
  it('a character whose GB18030 form is four bytes is replaced by □ (A1 F5) and reported', () => {
    expect(iconv.encode('𠀀', 'gb18030').length).toBe(4); // the premise: U+20000 is outside GBK
    const e = enc().text('张𠀀');
    expect(hex(e.encode())).toBe(`1C 26 ${hex(iconv.encode('张', 'gb18030'))} A1 F5 1C 2E`);
    expect(e.unprintable).toEqual([{ char: '𠀀', codePoint: 0x20000, replacement: '□' }]);
  });
  it('a custom fallback ? is used and reported; emoji is unprintable too', () => {
    const e = new EscPosEncoder({ fallback: '?' }).text('A😀');
    expect(hex(e.encode())).toBe('41 3F');
    expect(e.unprintable.map((u) => u.codePoint)).toEqual([0x1f600]);
    expect(e.job().unprintable).toHaveLength(1);
  });
  it('· (U+00B7, used in minority names) is GBK A1 A4 and printable', () => {
    expect(hex(enc().text('·').encode())).toBe('1C 26 A1 A4 1C 2E');
  });
});

describe('layout by display columns', () => {
  const rows = (b: Uint8Array): string[] =>
    iconv
      .decode(Buffer.from(b.filter((x) => x !== 0x1c && x !== 0x26 && x !== 0x2e) as Uint8Array), 'gb18030')
      .split('\n')
      .slice(0, -1);

  it('counts hanzi as two columns', () => {
    expect(displayColumns('取号A1')).toBe(6);
    expect(displayColumns('￥')).toBe(2);
  });
  it.each([
    ['80mm', 48],
    ['58mm', 32],
  ] as const)('line(left, right) at %s fills exactly %i columns with mixed hanzi/ASCII', (profile, cols) => {
    const e = new EscPosEncoder({ profile: PRINTER_PROFILES[profile] });
    expect(e.columns).toBe(cols);
    const out = e.line('业务类型', '社保 A12').encode();
    const [row] = rows(out);
    expect(displayColumns(row!)).toBe(cols);
    expect(row!.startsWith('业务类型 ')).toBe(true);
    expect(row!.endsWith(' 社保 A12')).toBe(true);
  });
  it('line() wraps a long left side and keeps the right side on the last line', () => {
    const e = new EscPosEncoder({ profile: PRINTER_PROFILES['58mm'] });
    const out = rows(e.line('不动产登记中心一楼东侧综合受理窗口', '3号').encode());
    expect(out.map((r) => displayColumns(r))).toEqual([32, 32]);
    expect(out[0]).toBe('不动产登记中心一楼东侧综合受理窗');
    expect(out[1]!.startsWith('口')).toBe(true);
    expect(out[1]!.endsWith('3号')).toBe(true);
  });
  it('wrap() never splits a hanzi and breaks ASCII at spaces (32 columns)', () => {
    const e = new EscPosEncoder({ profile: PRINTER_PROFILES['58mm'] });
    const out = rows(e.wrap('请携带身份证原件及复印件一份 please bring your ID card').encode());
    for (const r of out) expect(displayColumns(r)).toBeLessThanOrEqual(32);
    // 14 hanzi = 28 columns; " please" would make 35, so the word moves whole to the next line
    expect(out[0]).toBe('请携带身份证原件及复印件一份');
    expect(out[1]).toBe('please bring your ID card');
  });
  it('wrap() at 48 columns: an odd column left over is not filled by half a hanzi', () => {
    const e = enc();
    const out = rows(e.text('A').newline().wrap('A' + '号'.repeat(30)).encode()).slice(1);
    expect(out[0]).toBe('A' + '号'.repeat(23)); // 47 columns: the 24th hanzi would need 49
    expect(out[1]).toBe('号'.repeat(7));
  });
  it('columns halve at double width, and rule() fills them', () => {
    const e = enc().size(2, 2);
    expect(e.columns).toBe(24);
    expect(hex(e.rule().encode())).toBe('1D 21 11 ' + Array(24).fill('2D').join(' ') + ' 0A');
  });
  it('rule with a hanzi (═ is GBK A8 54) fills columns / 2 times at 48 columns', () => {
    const out = enc().rule('═').encode();
    expect(out.length).toBe(2 + 24 * 2 + 2 + 1);
  });
});

describe('job estimates', () => {
  it('counts lines and estimates paper length', () => {
    const job = enc().initialize().textLine('取号').feed(2).qr('https://example.gov.cn/q/A001', { moduleSize: 4 }).cut().job();
    expect(job.lines).toBe(3);
    // 3 lines x 30 dots + 29 modules x 4 dots (29 bytes at EC M need QR version 3, 29x29; version 2-M holds 26)
    // = 90 + 116 = 206 dots = 25.75 mm at 8 dots/mm
    expect(job.paperMm).toBeCloseTo(25.8, 1);
  });
  it('rejects QR data too long for its EC level before emitting anything', () => {
    const e = enc();
    expect(() => e.qr(new Uint8Array(3000), { errorLevel: 'H' })).toThrow(expect.objectContaining({ code: 'PROTOCOL_MALFORMED' }));
    expect(e.encode().length).toBe(0);
  });
});

describe('hand-checked vector', () => {
  it('a small ticket encodes to the expected bytes', () => {
    const out = enc().initialize().align('center').size(2, 2).bold().textLine('A001').bold(false).size(1, 1).textLine('取号').encode();
    expect(out).toEqual(bytes('1B 40 1B 61 01 1D 21 11 1B 45 01 41 30 30 31 0A 1B 45 00 1D 21 00 1C 26 C8 A1 BA C5 1C 2E 0A'));
  });
});
