import { describe, expect, it } from 'vitest';
import { isDriverError } from '../errors.js';
import {
  decodeLedAnswer,
  decodeLedStatus,
  describeLedFrame,
  encodeLedRequest,
  encodeLedText,
  ledBcc,
  parseLedFrame,
} from './led-protocol.js';

// Vectors from led-protocol.md ("Test vectors"), computed by hand.
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const V = {
  textA012: hex('02 30 33 54 41 30 31 32 20 C7 EB B5 BD 33 BA C5 B4 B0 BF DA 03 0F'),
  clear01: hex('02 30 31 43 03 41'),
  status0A: hex('02 30 41 53 03 21'),
  bright02: hex('02 30 32 42 38 03 7B'),
  broadcast: hex('02 30 30 54 D4 DD CD A3 B7 FE CE F1 03 46'),
  ack03: hex('02 30 33 06 03 06'),
  nak03bcc: hex('02 30 33 15 31 03 24'),
  status0Atext: hex('02 30 41 06 38 30 30 B2 E2 CA D4 03 02'),
  status0Ablank: hex('02 30 41 06 46 30 34 03 36'),
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isDriverError(e) ? e.code : 'not a DriverError';
  }
  return undefined;
}

describe('HK-LED/1 codec', () => {
  it('encodes requests byte-exactly', () => {
    expect(encodeLedRequest({ address: 3, cmd: 'text', text: 'A012 请到3号窗口' })).toEqual(V.textA012);
    expect(encodeLedRequest({ address: 1, cmd: 'clear' })).toEqual(V.clear01);
    expect(encodeLedRequest({ address: 0x0a, cmd: 'status' })).toEqual(V.status0A);
    expect(encodeLedRequest({ address: 2, cmd: 'brightness', level: 8 })).toEqual(V.bright02);
    expect(encodeLedRequest({ address: 0, cmd: 'text', text: '暂停服务' })).toEqual(V.broadcast);
  });

  it('BCC is the XOR of ADDR..ETX', () => {
    expect(ledBcc(hex('30 31 43 03'))).toBe(0x41);
  });

  it('decodes ACK, NAK and status answers', () => {
    expect(decodeLedAnswer(V.ack03)).toEqual({ address: 3, kind: 'ack' });
    expect(decodeLedAnswer(V.nak03bcc)).toEqual({ address: 3, kind: 'nak', reason: 'bcc', reasonByte: 0x31 });
    expect(decodeLedAnswer(V.status0Atext, true)).toEqual({
      address: 10,
      kind: 'ack',
      status: { brightness: 8, flags: 0, ledFault: false, overTemperature: false, supplyLow: false, text: '测试' },
    });
    expect(decodeLedStatus(hex('46 30 34'))).toMatchObject({ brightness: 15, flags: 4, supplyLow: true, text: '' });
    expect(decodeLedAnswer(V.status0Ablank, true)).toMatchObject({ address: 10, status: { brightness: 15, supplyLow: true } });
  });

  it('reports checksum, shape and unexpected CMD with codes', () => {
    const bad = Buffer.from(V.ack03);
    bad[bad.length - 1] ^= 0x01;
    expect(code(() => parseLedFrame(bad))).toBe('PROTOCOL_CHECKSUM');
    expect(code(() => parseLedFrame(hex('02 30 33 03')))).toBe('PROTOCOL_MALFORMED');
    // a request is not an answer
    expect(code(() => decodeLedAnswer(V.clear01))).toBe('PROTOCOL_UNEXPECTED_RESPONSE');
    // ADDR not hex, with a correct BCC
    expect(code(() => parseLedFrame(hex('02 5A 5A 06 03 05')))).toBe('PROTOCOL_MALFORMED');
  });

  it('rejects text the strip cannot show', () => {
    expect(code(() => encodeLedText(''))).toBe('DISPLAY_REJECTED');
    expect(code(() => encodeLedText('A\u0003B'))).toBe('DISPLAY_REJECTED');
    expect(code(() => encodeLedText('请'.repeat(33)))).toBe('DISPLAY_REJECTED'); // 66 bytes
    expect(encodeLedText('请'.repeat(32))).toHaveLength(64);
    expect(code(() => encodeLedRequest({ address: 3, cmd: 'brightness', level: 16 }))).toBe('DISPLAY_REJECTED');
    expect(code(() => encodeLedRequest({ address: 255, cmd: 'clear' }))).toBe('PROTOCOL_MALFORMED');
  });

  it('GB18030 four-byte characters round-trip and never contain STX/ETX', () => {
    const bytes = encodeLedText('𠀀€'); // U+20000 is a 4-byte GB18030 sequence
    expect(bytes.length).toBeGreaterThanOrEqual(6);
    expect([...bytes].some((b) => b < 0x20)).toBe(false);
  });

  it('describes frames for traces', () => {
    expect(describeLedFrame(V.textA012)).toBe('T 03 (16 bytes)');
    expect(describeLedFrame(V.nak03bcc)).toBe('NAK 03 bcc');
    expect(describeLedFrame(hex('02 30 33 06 03 07'))).toBe('invalid frame: PROTOCOL_CHECKSUM');
  });
});
