import { describe, expect, it } from 'vitest';
import {
  classifyPayload,
  decodePayload,
  parseAimId,
  parseHidPosReport,
  splitAimPrefix,
  stripControl,
} from './protocol.js';

/** A 64-byte HID POS report written out byte by byte from the spec (not with any helper under test). */
function specReport(len: number, aim: number[], data: number[], more: number): Uint8Array {
  const r = new Uint8Array(64);
  r[0] = 0x02; // report ID
  r[1] = len; // payload byte 0: data length
  r.set(aim, 2); // payload bytes 1..3: AIM id
  r.set(data, 5); // payload byte 4..: data
  r[63] = more; // payload byte 62: more reports follow
  return r;
}

describe('parseHidPosReport (byte-exact, from the spec)', () => {
  it('reads length, AIM id, data and the more flag', () => {
    // "]Q1" = 5D 51 31; data "AP123456" = 41 50 31 32 33 34 35 36
    const r = specReport(8, [0x5d, 0x51, 0x31], [0x41, 0x50, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36], 0x00);
    const p = parseHidPosReport(r);
    expect(p).toEqual({ ok: true, report: { data: Buffer.from('AP123456'), aim: ']Q1', more: false } });
  });

  it('sees a non-zero byte 62 as "more reports follow" and zero AIM bytes as no AIM id', () => {
    const p = parseHidPosReport(specReport(2, [0, 0, 0], [0x30, 0x31], 0x01));
    expect(p).toEqual({ ok: true, report: { data: Buffer.from('01'), aim: undefined, more: true } });
  });

  it('takes exactly `length` bytes even when the rest of the report is not zero', () => {
    const r = specReport(3, [0x5d, 0x43, 0x30], [0x41, 0x42, 0x43, 0x44, 0x45], 0);
    expect(parseHidPosReport(r)).toMatchObject({ ok: true, report: { data: Buffer.from('ABC'), aim: ']C0' } });
  });

  it('rejects another report ID, a truncated report and a length that runs into byte 62', () => {
    const wrongId = specReport(1, [0x5d, 0x51, 0x31], [0x41], 0);
    wrongId[0] = 0x01;
    expect(parseHidPosReport(wrongId)).toEqual({ ok: false, reason: 'wrong-report-id' });
    expect(parseHidPosReport(Uint8Array.of(0x02, 0x01, 0x5d))).toEqual({ ok: false, reason: 'too-short' });
    expect(parseHidPosReport(specReport(59, [0x5d, 0x51, 0x31], [], 0))).toEqual({ ok: false, reason: 'bad-length' });
    expect(parseHidPosReport(specReport(58, [0x5d, 0x51, 0x31], [], 0)).ok).toBe(true);
    expect(parseHidPosReport(Uint8Array.of(0x02, 0x05, 0x5d, 0x51, 0x31, 0x41))).toEqual({ ok: false, reason: 'bad-length' });
    expect(parseHidPosReport(new Uint8Array(0))).toEqual({ ok: false, reason: 'wrong-report-id' });
  });

  it('accepts a short report that ends after its data (no more flag byte → last report)', () => {
    expect(parseHidPosReport(Uint8Array.of(0x02, 0x02, 0x5d, 0x45, 0x30, 0x34, 0x32))).toEqual({
      ok: true,
      report: { data: Buffer.from('42'), aim: ']E0', more: false },
    });
  });
});

describe('AIM symbology identifiers', () => {
  it.each([
    [']Q1', 'qr'],
    [']C0', 'code128'],
    [']E0', 'ean-upc'],
    [']E4', 'ean-upc'],
    [']d2', 'datamatrix'],
    [']L0', 'pdf417'],
    [']A0', 'code39'],
    [']I0', 'interleaved-2of5'],
    [']z0', 'aztec'],
    [']e0', 'gs1-databar'],
  ] as const)('%s → %s', (raw, sym) => {
    expect(parseAimId(raw)).toEqual({ raw, code: raw[1], modifier: raw[2], symbology: sym });
  });

  it('rejects unknown code characters and malformed ids', () => {
    expect(parseAimId(']W1')).toBeUndefined();
    expect(parseAimId('Q1')).toBeUndefined();
    expect(parseAimId(']Q')).toBeUndefined();
    expect(parseAimId(']Q!')).toBeUndefined();
    expect(parseAimId('[Q1')).toBeUndefined();
  });

  it('splits a prefix only when it is an AIM id', () => {
    expect(splitAimPrefix(']Q1HKT:abcdef12')).toEqual({ aim: parseAimId(']Q1'), rest: 'HKT:abcdef12' });
    expect(splitAimPrefix(']]HKT')).toEqual({ aim: undefined, rest: ']]HKT' });
  });
});

describe('decodePayload', () => {
  it('keeps UTF-8, falls back to GB18030, strips control characters and whitespace', () => {
    expect(decodePayload(Buffer.from('你好 HKT:abc', 'utf8'))).toEqual({ text: '你好 HKT:abc', encoding: 'utf-8' });
    // 你好 in GBK: C4 E3 BA C3
    expect(decodePayload(Uint8Array.of(0xc4, 0xe3, 0xba, 0xc3))).toEqual({ text: '你好', encoding: 'gb18030' });
    expect(decodePayload(Uint8Array.of(0x00, 0x41, 0x1d, 0x42, 0x7f, 0x09, 0x43, 0x20))).toEqual({ text: 'ABC', encoding: 'utf-8' });
    expect(stripControl('a\u0085b\u009fc\u001bd')).toBe('abcd');
  });
});

describe('classifyPayload', () => {
  it.each([
    ['YY20240501-0031', { kind: 'appointment', code: 'YY20240501-0031' }],
    ['AP9F3K2L', { kind: 'appointment', code: 'AP9F3K2L' }],
    ['AP12345', { kind: 'unknown' }], // 5 characters after the prefix: too short
    ['ap123456', { kind: 'unknown' }], // lower case is not an appointment code
    ['YY' + 'A'.repeat(40), { kind: 'appointment', code: 'YY' + 'A'.repeat(40) }],
    ['YY' + 'A'.repeat(41), { kind: 'unknown' }],
    ['HKT:a1B2c3_-', { kind: 'ticket', token: 'a1B2c3_-', via: 'code' }],
    ['HKT.ABCDEF', { kind: 'ticket', token: 'ABCDEF', via: 'code' }],
    ['HKT:abc', { kind: 'unknown' }],
    ['HKT:abc def', { kind: 'unknown' }],
    ['HKT:' + 'x'.repeat(65), { kind: 'unknown' }],
    ['https://q.hall.example.cn/t/Tk_123-abc', { kind: 'ticket', token: 'Tk_123-abc', via: 'url', host: 'q.hall.example.cn' }],
    ['http://10.1.2.3:8080/t/abcdef/', { kind: 'ticket', token: 'abcdef', via: 'url', host: '10.1.2.3' }],
    ['https://q.hall.example.cn/t/abc', { kind: 'url', url: 'https://q.hall.example.cn/t/abc', host: 'q.hall.example.cn' }],
    // network.publicBaseUrl may carry a reverse proxy's path prefix: the follow-page URL is still a ticket
    ['https://q.hall.example.cn/x/t/abcdef', { kind: 'ticket', token: 'abcdef', via: 'url', host: 'q.hall.example.cn' }],
    ['https://q.hall.example.cn/x/t/abcdef/more', { kind: 'url', url: 'https://q.hall.example.cn/x/t/abcdef/more', host: 'q.hall.example.cn' }],
    ['HTTPS://Example.COM/a?b=1', { kind: 'url', url: 'https://example.com/a?b=1', host: 'example.com' }],
    ['https://user:pw@evil.example/t/abcdef', { kind: 'unknown' }],
    ['https://', { kind: 'unknown' }],
    ['javascript:alert(1)', { kind: 'unknown' }],
    ['ftp://example.com/t/abcdef', { kind: 'unknown' }],
    ['6901234567892', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
  ] as const)('%s', (text, expected) => {
    expect(classifyPayload(text)).toEqual(expected);
  });

  it('restricts URL tickets to configured hosts', () => {
    const opts = { ticketHosts: ['q.hall.example.cn'] };
    expect(classifyPayload('https://Q.hall.example.cn/t/abcdef', opts)).toMatchObject({ kind: 'ticket', token: 'abcdef' });
    expect(classifyPayload('https://evil.example/t/abcdef', opts)).toMatchObject({ kind: 'url', host: 'evil.example' });
  });
});
