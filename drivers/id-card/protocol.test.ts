import iconv from 'iconv-lite';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DriverError, isDriverError } from '../errors.js';
import {
  SW3_TABLE,
  ageOn,
  answerFits,
  buildCommand,
  checkFrame,
  commandForBaudRate,
  describeSw3,
  expectSuccess,
  idCheckDigit,
  identifyCommand,
  isValidIdNumber,
  NATIONS,
  parseAppendedAddress,
  parseCardDate,
  parseIdentityFrame,
  parseReadAnswer,
  parseResponse,
  parseTextBlock,
  sw3Error,
  type IdCardCommandName,
} from './protocol.js';
import { SAMPLE_IDENTITIES, sampleIdentity } from './sample-identities.js';
import { buildTextBlock } from './simulator.js';

/** `"AA AA 96"` → bytes */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
}
function toHexString(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** A read answer built by hand (independent of both codec and simulator): header quoted in the spec + body + CHK. */
function handReadAnswer(header: string, text: Uint8Array, photo: Uint8Array, fp?: Uint8Array): Uint8Array {
  const h = hex(header);
  const body = [...h, ...text, ...photo, ...(fp ?? [])];
  let chk = 0;
  for (let i = 5; i < body.length; i++) chk ^= body[i]!;
  return Uint8Array.from([...body, chk]);
}

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DriverError) return e.code;
    throw e;
  }
  return undefined;
}

describe('command frames (byte-exact against id-card-sam.md)', () => {
  const quoted: [IdCardCommandName, string][] = [
    ['resetSam', 'AA AA AA 96 69 00 03 10 FF EC'],
    ['samStatus', 'AA AA AA 96 69 00 03 11 FF ED'],
    ['readSamId', 'AA AA AA 96 69 00 03 12 FF EE'],
    ['findCard', 'AA AA AA 96 69 00 03 20 01 22'],
    ['selectCard', 'AA AA AA 96 69 00 03 20 02 21'],
    ['readText', 'AA AA AA 96 69 00 03 30 01 32'],
    ['readAppendedAddress', 'AA AA AA 96 69 00 03 30 03 30'],
    ['readWithFingerprint', 'AA AA AA 96 69 00 03 30 10 23'],
  ];
  it.each(quoted)('%s → %s', (name, frame) => {
    expect(toHexString(buildCommand(name))).toBe(frame);
    expect(identifyCommand(hex(frame))).toBe(name);
    expect(() => checkFrame(hex(frame))).not.toThrow();
  });

  it('baud switch 60 00..60 04 with LEN 00 03 and XOR checksum', () => {
    expect(toHexString(buildCommand(commandForBaudRate(115200)))).toBe('AA AA AA 96 69 00 03 60 00 63');
    expect(toHexString(buildCommand(commandForBaudRate(9600)))).toBe('AA AA AA 96 69 00 03 60 04 67');
    expect(thrownCode(() => commandForBaudRate(4800))).toBe('TRANSPORT_UNSUPPORTED');
  });
});

describe('responses quoted in the spec', () => {
  it('status OK / SAM self-test failed', () => {
    const ok = parseResponse(hex('AA AA AA 96 69 00 04 00 00 90 94'));
    expect(ok).toMatchObject({ sw1: 0, sw2: 0, sw3: 0x90 });
    expect(ok.data.length).toBe(0);
    expect(() => expectSuccess(ok, 'samStatus')).not.toThrow();
    const fault = parseResponse(hex('AA AA AA 96 69 00 04 00 00 60 64'));
    expect(thrownCode(() => expectSuccess(fault, 'samStatus'))).toBe('IDCARD_SAM_FAULT');
  });

  it('find OK / no card', () => {
    const ok = parseResponse(hex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97'));
    expect(ok.sw3).toBe(0x9f);
    expect(answerFits(ok, 'findCard')).toBe(true);
    expect(answerFits(ok, 'selectCard')).toBe(false);
    const none = parseResponse(hex('AA AA AA 96 69 00 04 00 00 80 84'));
    expect(thrownCode(() => expectSuccess(none, 'findCard'))).toBe('IDCARD_NO_CARD');
    expect(answerFits(none, 'findCard')).toBe(true);
  });

  it('select OK (8 serial bytes) / failed; 9F is not success for select', () => {
    const body = 'AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00';
    const bytes = hex(body);
    let chk = 0;
    for (let i = 5; i < bytes.length; i++) chk ^= bytes[i]!;
    expect(chk).toBe(0x9c);
    const ok = parseResponse(hex(`${body} 9C`));
    expect(ok.data.length).toBe(8);
    expect(answerFits(ok, 'selectCard')).toBe(true);
    expect(thrownCode(() => expectSuccess(parseResponse(hex('AA AA AA 96 69 00 04 00 00 81 85')), 'selectCard'))).toBe('IDCARD_SELECT_FAILED');
    expect(thrownCode(() => expectSuccess(parseResponse(hex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97')), 'selectCard'))).toBe(
      'PROTOCOL_UNEXPECTED_RESPONSE',
    );
  });

  it('read failed 41', () => {
    const r = parseResponse(hex('AA AA AA 96 69 00 04 00 00 41 45'));
    expect(thrownCode(() => parseReadAnswer(r))).toBe('IDCARD_READ_FAILED');
  });

  const text = buildTextBlock(sampleIdentity('gz-resident-adult').card);
  const photo = new Uint8Array(1024).map((_, i) => (i * 7) & 0xff);

  it('read OK: header 05 08 00 00 90 01 00 04 00 → 1295 bytes, text 256, photo 1024', () => {
    const frame = handReadAnswer('AA AA AA 96 69 05 08 00 00 90 01 00 04 00', text, photo);
    expect(frame.length).toBe(1295);
    const answer = parseReadAnswer(parseResponse(frame), false);
    expect(answer).toMatchObject({ textLength: 256, photoLength: 1024, fingerprintLength: 0, hasFingerprintField: false });
    expect([...answer.photo]).toEqual([...photo]);
    expect(answerFits(parseResponse(frame), 'readText')).toBe(true);
    // inferred layout when the command is not given
    expect(parseReadAnswer(parseResponse(frame)).hasFingerprintField).toBe(false);
  });

  it('read with fingerprints: LEN 09 0A, third length 04 00 → 2321 bytes', () => {
    const fp = new Uint8Array(1024).fill(0x5a);
    const frame = handReadAnswer('AA AA AA 96 69 09 0A 00 00 90 01 00 04 00 04 00', text, photo, fp);
    expect(frame.length).toBe(2321);
    const answer = parseReadAnswer(parseResponse(frame), true);
    expect(answer).toMatchObject({ textLength: 256, photoLength: 1024, fingerprintLength: 1024, hasFingerprintField: true });
    expect(answer.fingerprint.every((b) => b === 0x5a)).toBe(true);
    const id = parseIdentityFrame(frame, true);
    expect(id.fingerprint?.length).toBe(1024);
  });

  it('card without fingerprints to 30 10: LEN 05 0A, zero third length → 1297 bytes', () => {
    const frame = handReadAnswer('AA AA AA 96 69 05 0A 00 00 90 01 00 04 00 00 00', text, photo);
    expect(frame.length).toBe(1297);
    const answer = parseReadAnswer(parseResponse(frame), true);
    expect(answer).toMatchObject({ fingerprintLength: 0, hasFingerprintField: true });
    expect(parseReadAnswer(parseResponse(frame)).hasFingerprintField).toBe(true);
    expect(parseIdentityFrame(frame).fingerprint).toBeUndefined();
  });

  it('inner lengths that do not add up are PROTOCOL_LENGTH', () => {
    const frame = handReadAnswer('AA AA AA 96 69 05 08 00 00 90 01 02 04 00', text, photo);
    expect(thrownCode(() => parseReadAnswer(parseResponse(frame), false))).toBe('PROTOCOL_LENGTH');
  });

  it('rejects bad checksum, wrong LEN, wrong preamble with codes', () => {
    expect(thrownCode(() => parseResponse(hex('AA AA AA 96 69 00 04 00 00 90 95')))).toBe('PROTOCOL_CHECKSUM');
    expect(thrownCode(() => parseResponse(hex('AA AA AA 96 69 00 05 00 00 90 94')))).toBe('PROTOCOL_LENGTH');
    expect(thrownCode(() => parseResponse(hex('AA AA AB 96 69 00 04 00 00 90 94')))).toBe('PROTOCOL_MALFORMED');
    expect(thrownCode(() => parseResponse(hex('AA AA AA 96 69 00 03 00 00 03')))).toBe('PROTOCOL_LENGTH');
  });
});

describe('SW3 table', () => {
  const expected: [number, string | null][] = [
    [0x90, null],
    [0x9f, null],
    [0x91, 'IDCARD_NO_CONTENT'],
    [0x10, 'IDCARD_HOST_FRAME_REJECTED'],
    [0x11, 'IDCARD_HOST_FRAME_REJECTED'],
    [0x21, 'IDCARD_HOST_FRAME_REJECTED'],
    [0x23, 'IDCARD_HOST_FRAME_REJECTED'],
    [0x24, 'IDCARD_READ_FAILED'],
    [0x31, 'IDCARD_AUTH_FAILED'],
    [0x32, 'IDCARD_AUTH_FAILED'],
    [0x33, 'IDCARD_AUTH_FAILED'],
    [0x40, 'IDCARD_UNSUPPORTED_CARD'],
    [0x41, 'IDCARD_READ_FAILED'],
    [0x47, 'IDCARD_READ_FAILED'],
    [0x60, 'IDCARD_SAM_FAULT'],
    [0x66, 'IDCARD_SAM_FAULT'],
    [0x80, 'IDCARD_NO_CARD'],
    [0x81, 'IDCARD_SELECT_FAILED'],
  ];
  it('covers every SW3 of the spec, each with a meaning and code', () => {
    expect(Object.keys(SW3_TABLE).map(Number).sort()).toEqual(expected.map(([s]) => s).sort());
    for (const [sw3, code] of expected) {
      expect(describeSw3(sw3).code).toBe(code);
      expect(describeSw3(sw3).meaning.length).toBeGreaterThan(3);
      const err = sw3Error(sw3, 'readText');
      expect(err?.code ?? null).toBe(code);
      if (err) expect(err.detail).toMatchObject({ sw3, command: 'readText' });
    }
  });
  it('an SW3 outside the table is PROTOCOL_UNEXPECTED_RESPONSE', () => {
    expect(describeSw3(0x55).code).toBe('PROTOCOL_UNEXPECTED_RESPONSE');
  });
  it('appended address: 91 → IDCARD_NO_CONTENT', () => {
    expect(thrownCode(() => parseAppendedAddress(parseResponse(hex('AA AA AA 96 69 00 04 00 00 91 95'))))).toBe('IDCARD_NO_CONTENT');
  });
});

describe('text block', () => {
  it('resident card: every field, nation, gender, dates', () => {
    const id = parseTextBlock(buildTextBlock(sampleIdentity('gz-resident-adult').card));
    expect(id).toMatchObject({
      cardType: 'resident',
      name: '张三明',
      gender: 'male',
      genderCode: '1',
      nation: { code: '01', name: '汉' },
      birthDate: '1990-03-07',
      address: '广东省广州市越秀区示例路1号101房',
      idNumber: '440104199003070017',
      idNumberCheck: 'valid',
      authority: '广州市公安局越秀分局',
      validity: { from: '2018-03-15', to: '2038-03-15' },
    });
  });

  it('long-term card: 长期 → long-term', () => {
    const id = parseTextBlock(buildTextBlock(sampleIdentity('gz-resident-long-term').card));
    expect(id.validity).toEqual({ from: '2019-08-01', to: 'long-term' });
    expect(id.cardType === 'resident' && id.nation.name).toBe('壮');
  });

  it('生僻字 outside GBK survives as a surrogate pair', () => {
    const name = sampleIdentity('gz-resident-rare-character').card;
    const rare = Array.from(name.type === 'resident' ? name.name : '')[1]!;
    expect(rare.codePointAt(0)).toBe(0x201d4);
    expect(iconv.decode(iconv.encode(rare, 'gbk'), 'gbk')).not.toBe(rare);
    const id = parseTextBlock(buildTextBlock(name));
    expect(id.name).toBe('陈𠇔');
    expect(id.gender).toBe('female');
  });

  it('J card (Hong Kong and Macao): region from the ID prefix, pass number, issue count, no nation', () => {
    const hk = parseTextBlock(buildTextBlock(sampleIdentity('hk-resident-permit').card));
    expect(hk).toMatchObject({ cardType: 'hk-macao-taiwan', region: 'hong-kong', name: '陳大文', passNumber: 'H12345678', issueCount: 1, idNumberCheck: 'valid' });
    expect('nation' in hk).toBe(false);
    const mo = parseTextBlock(buildTextBlock(sampleIdentity('macao-resident-permit').card));
    expect(mo).toMatchObject({ region: 'macao', passNumber: 'M87654321', issueCount: 2, gender: 'female', birthDate: '1988-11-11' });
  });

  it('I card (2017): English name, card number, nationality, Chinese name, birth date at 220', () => {
    const id = parseTextBlock(buildTextBlock(sampleIdentity('foreigner-2017').card));
    expect(id).toMatchObject({
      cardType: 'foreign-2017',
      englishName: 'SAMPLE, JOHN',
      name: '约翰',
      idNumber: 'CAN440780315001',
      idNumberCheck: 'not-applicable',
      nationality: 'CAN',
      birthDate: '1978-03-15',
      cardVersion: '01',
      issuingOfficeCode: '1500',
      validity: { from: '2019-09-02', to: '2029-09-02' },
    });
  });

  it('Y card (2023): both English name parts, renewal count, nationality at 242', () => {
    const card = { ...sampleIdentity('foreigner-2023').card } as Extract<ReturnType<typeof sampleIdentity>['card'], { type: 'Y' }>;
    const id = parseTextBlock(buildTextBlock({ ...card, englishName1: 'SAMPLE MARY ANNE ELIZABETH CHARLOTT', englishName2: 'E WINDSOR' }));
    expect(id).toMatchObject({
      cardType: 'foreign-2023',
      name: '玛丽',
      renewalCount: 0,
      englishName: 'SAMPLE MARY ANNE ELIZABETH CHARLOTTE WINDSOR',
      idNumber: '944124198507070013',
      idNumberCheck: 'valid',
      nationality: 'GBR',
    });
  });

  it('Y card (2023): a space that falls on the split (last char of part 1) is kept: join raw, then trim', () => {
    const card = { ...sampleIdentity('foreigner-2023').card } as Extract<ReturnType<typeof sampleIdentity>['card'], { type: 'Y' }>;
    const part1 = 'SAMPLE MARY ANNE ELIZABETH CHARLOT ';
    expect(part1.length * 2).toBe(70); // fills 52+70 exactly: its last character is the space
    const block = buildTextBlock({ ...card, englishName1: part1, englishName2: 'WINDSOR' });
    // byte-exact: the space is U+0020 at offset 120..121, part 2 starts at 220 with 'W'
    expect([...block.subarray(118, 122)]).toEqual([0x54, 0x00, 0x20, 0x00]);
    expect([...block.subarray(220, 222)]).toEqual([0x57, 0x00]);
    expect(parseTextBlock(block)).toMatchObject({ cardType: 'foreign-2023', englishName: 'SAMPLE MARY ANNE ELIZABETH CHARLOT WINDSOR' });
    // a space at the start of part 2 was never lost; keep it that way
    const block2 = buildTextBlock({ ...card, englishName1: 'SAMPLE MARY ANNE ELIZABETH CHARLOTT', englishName2: ' WINDSOR' });
    expect(parseTextBlock(block2)).toMatchObject({ englishName: 'SAMPLE MARY ANNE ELIZABETH CHARLOTT WINDSOR' });
  });

  it('every sample parses and has a valid check digit where GB 11643 applies', () => {
    for (const s of SAMPLE_IDENTITIES) {
      const id = parseTextBlock(buildTextBlock(s.card));
      expect(id.idNumberCheck, s.id).not.toBe('invalid');
    }
  });

  it('bad fields are PROTOCOL_MALFORMED naming the field, never quoting it', () => {
    const card = sampleIdentity('gz-resident-adult').card;
    if (card.type !== 'resident') throw new Error('sample changed');
    const bad = (patch: Partial<typeof card>) => {
      try {
        parseTextBlock(buildTextBlock({ ...card, ...patch }));
      } catch (e) {
        if (!isDriverError(e)) throw e;
        expect(e.message).not.toContain('张三明');
        expect(e.message).not.toContain('440104');
        return [e.code, e.detail?.['field']];
      }
      return undefined;
    };
    expect(bad({ birth: '19900230' })).toEqual(['PROTOCOL_MALFORMED', 'birthDate']);
    expect(bad({ nation: '57' })).toEqual(['PROTOCOL_MALFORMED', 'nation']);
    expect(bad({ gender: '3' })).toEqual(['PROTOCOL_MALFORMED', 'gender']);
    expect(bad({ validTo: '永久' })).toEqual(['PROTOCOL_MALFORMED', 'validTo']);
    // an invalid check digit is reported, not corrected and not an error
    const id = parseTextBlock(buildTextBlock({ ...card, idNumber: '440104199003070018' }));
    expect(id.idNumber).toBe('440104199003070018');
    expect(id.idNumberCheck).toBe('invalid');
  });

  it('unknown type flag is IDCARD_UNSUPPORTED_CARD; wrong size is PROTOCOL_LENGTH', () => {
    const block = buildTextBlock(sampleIdentity('gz-resident-adult').card);
    block[248] = 0x5a; // 'Z'
    expect(thrownCode(() => parseTextBlock(block))).toBe('IDCARD_UNSUPPORTED_CARD');
    expect(thrownCode(() => parseTextBlock(new Uint8Array(255)))).toBe('PROTOCOL_LENGTH');
  });

  it('photo stays opaque: not in JSON, inspect or String()', () => {
    const id = parseTextBlock(buildTextBlock(sampleIdentity('gz-resident-adult').card), new Uint8Array(1024).fill(0xab));
    expect(JSON.stringify(id)).toContain('"photo":{"kind":"photo","length":1024,"redacted":true}');
    expect(inspect(id)).toContain('[photo 1024 bytes]');
    expect(id.photo.bytes().every((b) => b === 0xab)).toBe(true);
    id.photo.wipe();
    expect(id.photo.bytes().every((b) => b === 0)).toBe(true);
  });

  it('the full nation table', () => {
    expect(Object.keys(NATIONS).length).toBe(58);
    expect(NATIONS['56']).toBe('基诺');
    expect(NATIONS['97']).toBe('其他');
    expect(NATIONS['98']).toBe('外国血统中国籍人士');
  });
});

describe('GB 11643, dates, age', () => {
  it('check digit (incl. X), never corrected', () => {
    expect(idCheckDigit('44010419900307001')).toBe('7');
    expect(isValidIdNumber('440104199003070017')).toBe(true);
    expect(isValidIdNumber('440104199003070018')).toBe(false);
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    expect(isValidIdNumber('4401041990030700')).toBe(false);
  });
  it('dates are checked against the calendar', () => {
    expect(parseCardDate('20000229', 'x')).toBe('2000-02-29');
    expect(thrownCode(() => parseCardDate('19000229', 'x'))).toBe('PROTOCOL_MALFORMED');
  });
  it('age on a given date, birthday edge and 29 February', () => {
    expect(ageOn('1950-06-15', '2015-06-14')).toBe(64);
    expect(ageOn('1950-06-15', '2015-06-15')).toBe(65);
    expect(ageOn('2000-02-29', '2021-02-28')).toBe(20);
    expect(ageOn('2000-02-29', '2021-03-01')).toBe(21);
    expect(ageOn('1990-03-07', new Date(2025, 2, 7))).toBe(35);
  });
});

describe('text block built with Node’s own UTF-16LE encoder at the spec offsets', () => {
  it('decodes a resident block laid out by hand', () => {
    const b = Buffer.alloc(256);
    for (let i = 0; i < 256; i += 2) b.writeUInt16LE(0x20, i);
    const put = (offset: number, s: string) => b.write(s, offset, 'utf16le');
    put(0, '测试人');
    put(30, '2');
    put(32, '03');
    put(36, '20010101');
    put(52, '广东省广州市海珠区示例路9号');
    put(122, '440105200101010028');
    put(158, '广州市公安局海珠分局');
    put(188, '20160101');
    put(204, '20260101');
    const id = parseTextBlock(b);
    expect(id).toMatchObject({ name: '测试人', gender: 'female', birthDate: '2001-01-01', validity: { to: '2026-01-01' } });
    expect(id.cardType === 'resident' && id.nation).toEqual({ code: '03', name: '回' });
    expect(id.idNumber).toBe('440105200101010028');
    expect(toHexString(buildTextBlock(sampleIdentity('gz-resident-adult').card).subarray(248, 250))).toBe('20 00');
  });
});
