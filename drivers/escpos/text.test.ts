import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { EscPosDecoder } from './decoder.js';
import { EscPosEncoder } from './encoder.js';
import { PRINTER_PROFILES, type PrinterProfile } from './profiles.js';
import { GB18030_2022_TWO_BYTE, encodeChar, toPrintable } from './text.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?=.)/g, '$1 ');
const P80: PrinterProfile = PRINTER_PROFILES['80mm'];
const P2005: PrinterProfile = { ...P80, gb18030Edition: '2005' };

describe('printable = real GBK (CP936) two-byte repertoire, not the GB18030 two-byte table', () => {
  it.each([
    ['€ U+20AC (GB18030 A2 E3; GBK only as the single byte 0x80)', '\u20AC'],
    ['ǹ U+01F9 (GB18030 A8 BF)', '\u01F9'],
    ['ḿ U+1E3F (GB18030-2005 A8 BC)', '\u1E3F'],
    ['〾 U+303E (GB18030 A9 89)', '\u303E'],
    ['⿰ U+2FF0 (GB18030 A9 8A)', '\u2FF0'],
    ['⿻ U+2FFB (GB18030 A9 95)', '\u2FFB'],
    ['⺁ U+2E81 (GB18030 FE 50)', '\u2E81'],
    ['㑇 U+3447 (GB18030 FE 56)', '\u3447'],
    ['a user-defined (PUA) code U+E000 (GB18030 AA A1)', '\uE000'],
  ])('%s is unprintable', (_name, char) => {
    expect(iconv.encode(char, 'gb18030').length).toBe(2); // what the old check accepted
    expect(encodeChar(char)).toBeNull();
    const { chars, unprintable } = toPrintable(`A${char}B`);
    expect(unprintable.map((u) => u.codePoint)).toEqual([char.codePointAt(0)]);
    expect(chars.map((c) => c.char).join('')).toBe('A\u25A1B');
  });

  it('the encoder sends □ (A1 F5) for €, never A2 E3', () => {
    const job = new EscPosEncoder().text('€5').job();
    expect(hex(job.bytes)).toBe('1C 26 A1 F5 1C 2E 35');
    expect(job.unprintable.map((u) => u.codePoint)).toEqual([0x20ac]);
  });

  it('ordinary GBK characters keep their bytes: 张 D5 C5, 喆 86 B4, · A1 A4, ￥ A3 A4, ═ A8 54', () => {
    expect(encodeChar('张')).toMatchObject({ bytes: [0xd5, 0xc5] });
    expect(encodeChar('喆')).toMatchObject({ bytes: [0x86, 0xb4] });
    expect(encodeChar('·')).toMatchObject({ bytes: [0xa1, 0xa4] });
    expect(encodeChar('￥')).toMatchObject({ bytes: [0xa3, 0xa4] });
    expect(encodeChar('═')).toMatchObject({ bytes: [0xa8, 0x54] });
  });

  it('sweep: every printable BMP character is CP936 two-byte and GB18030 agrees on the bytes (82 non-PUA excluded)', () => {
    let excludedNonPua = 0;
    for (let cp = 0x80; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const unit = encodeChar(ch, '2005');
      const gb = iconv.encode(ch, 'gb18030');
      if (unit) {
        expect(unit.kind).toBe('double');
        if (unit.kind === 'double') expect([...iconv.encode(ch, 'cp936')]).toEqual(unit.bytes);
        expect([...gb]).toEqual(unit.kind === 'double' ? unit.bytes : []);
      } else if (gb.length === 2 && !(cp >= 0xe000 && cp <= 0xf8ff)) excludedNonPua++;
    }
    expect(excludedNonPua).toBe(82);
  });
});

describe('GB18030-2022 two-byte mappings (18 PUA → standard code points)', () => {
  // GB 18030-2022 table, as implemented by encoding_rs (GB18030_2022_OVERRIDE_*) and glibc 2.38 (BZ #30243)
  const TABLE: [string, string][] = [
    ['FE10', 'A6 D9'],
    ['FE12', 'A6 DA'],
    ['FE11', 'A6 DB'],
    ['FE13', 'A6 DC'],
    ['FE14', 'A6 DD'],
    ['FE15', 'A6 DE'],
    ['FE16', 'A6 DF'],
    ['FE17', 'A6 EC'],
    ['FE18', 'A6 ED'],
    ['FE19', 'A6 F3'],
    ['9FB4', 'FE 59'],
    ['9FB5', 'FE 61'],
    ['9FB6', 'FE 66'],
    ['9FB7', 'FE 67'],
    ['9FB8', 'FE 6D'],
    ['9FB9', 'FE 7E'],
    ['9FBA', 'FE 90'],
    ['9FBB', 'FE A0'],
  ];

  it('the overlay is exactly the 18 published pairs', () => {
    expect([...GB18030_2022_TWO_BYTE.entries()].map(([cp, b]) => [cp.toString(16).toUpperCase(), hex(Uint8Array.from(b))])).toEqual(TABLE);
  });

  it.each(TABLE)('U+%s encodes to %s on a 2022 profile; iconv-lite (2005) gives four bytes', (cp, bytes) => {
    const ch = String.fromCodePoint(parseInt(cp, 16));
    expect(iconv.encode(ch, 'gb18030').length).toBe(4);
    const unit = encodeChar(ch, '2022');
    expect(unit?.kind === 'double' ? hex(Uint8Array.from(unit.bytes)) : unit).toBe(bytes);
    expect(encodeChar(ch, '2005')).toBeNull();
  });

  it('龴 in a name: FS & … FE 59 … FS . on the default (2022) profile, □ A1 F5 on a 2005 profile', () => {
    const name = '张龴';
    expect(hex(new EscPosEncoder().text(name).encode())).toBe('1C 26 D5 C5 FE 59 1C 2E');
    const old = new EscPosEncoder({ profile: P2005 }).text(name).job();
    expect(hex(old.bytes)).toBe('1C 26 D5 C5 A1 F5 1C 2E');
    expect(old.unprintable.map((u) => u.codePoint)).toEqual([0x9fb4]);
  });

  it('not part of GB18030-2022: 𠂇 U+20087 stays four bytes (FE 51 keeps its PUA mapping U+E816), so it is unprintable', () => {
    expect(encodeChar('\u{20087}', '2022')).toBeNull();
    expect(encodeChar('\uE816', '2022')).toBeNull();
  });

  it('the virtual printer decodes FE 59 / A6 D9 as U+9FB4 / U+FE10 on a 2022 profile, as PUA on a 2005 one', () => {
    const bytes = Uint8Array.of(0x1c, 0x26, 0xfe, 0x59, 0xa6, 0xd9, 0x1c, 0x2e);
    const text = (edition: '2005' | '2022') =>
      new EscPosDecoder({ gb18030Edition: edition })
        .push(bytes)
        .flatMap((c) => (c.op === 'text' ? [c.text] : []))
        .join('');
    expect(text('2022')).toBe('\u9FB4\uFE10');
    expect(text('2005')).toBe('\uE81E\uE78D');
  });
});
