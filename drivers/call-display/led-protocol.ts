/**
 * HK-LED/1: the hall-kiosk LED window strip protocol (led-protocol.md). Pure codec: bytes <-> typed messages,
 * no I/O, no timers. Frame: STX | ADDR (2 ASCII hex) | CMD | DATA | ETX | BCC (XOR of ADDR..ETX).
 */
import iconv from 'iconv-lite';
import { DriverError } from '../errors.js';

export const LED_STX = 0x02;
export const LED_ETX = 0x03;
/** Answer CMD byte: request executed. */
export const LED_ACK = 0x06;
/** Answer CMD byte: request refused; DATA = one ASCII reason digit. */
export const LED_NAK = 0x15;

export const LED_CMD = {
  text: 0x54, // 'T'
  clear: 0x43, // 'C'
  brightness: 0x42, // 'B'
  status: 0x53, // 'S'
} as const;

/** Max DATA bytes of a text request (and of the text part of a status answer). */
export const LED_MAX_TEXT_BYTES = 64;
/** Max DATA bytes of any frame: status answer = 1 brightness + 2 flags + 64 text. */
export const LED_MAX_DATA_BYTES = 67;
/** STX + ADDR(2) + CMD + DATA(67) + ETX + BCC. */
export const LED_MAX_FRAME_BYTES = 73;
export const LED_BROADCAST = 0x00;
/** Unicast addresses are 0x01..0xFE; 0xFF is reserved. */
export const LED_MAX_ADDRESS = 0xfe;
/** Brightness 0 (off) .. 15 (brightest). */
export const LED_MAX_BRIGHTNESS = 15;

export type LedRequest =
  | { address: number; cmd: 'text'; text: string }
  | { address: number; cmd: 'clear' }
  | { address: number; cmd: 'brightness'; level: number }
  | { address: number; cmd: 'status' };

export type LedNakReason = 'bcc' | 'unknown-command' | 'bad-data' | 'out-of-range' | 'busy';

export const LED_NAK_REASONS: Readonly<Record<LedNakReason, number>> = {
  bcc: 0x31, // '1'
  'unknown-command': 0x32, // '2'
  'bad-data': 0x33, // '3'
  'out-of-range': 0x34, // '4'
  busy: 0x35, // '5'
};

export interface LedStatus {
  /** 0..15 */
  brightness: number;
  ledFault: boolean;
  overTemperature: boolean;
  supplyLow: boolean;
  /** Raw fault flag byte (bits 3..7 reserved). */
  flags: number;
  /** What the strip shows now; '' when blank. */
  text: string;
}

export type LedAnswer =
  | { address: number; kind: 'ack'; status?: LedStatus }
  | { address: number; kind: 'nak'; reason: LedNakReason | 'unrecognised'; reasonByte: number | undefined };

/** XOR of every byte (the BCC is computed over ADDR..ETX). */
export function ledBcc(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

function checkAddress(address: number): void {
  if (!Number.isInteger(address) || address < 0 || address > LED_MAX_ADDRESS) {
    throw new DriverError('PROTOCOL_MALFORMED', `LED address must be 0..254 (0 = broadcast), got ${address}`);
  }
}

function addressBytes(address: number): number[] {
  const hex = address.toString(16).toUpperCase().padStart(2, '0');
  return [hex.charCodeAt(0), hex.charCodeAt(1)];
}

/** Builds STX ADDR CMD DATA ETX BCC. */
export function buildLedFrame(address: number, cmd: number, data: Uint8Array = new Uint8Array()): Buffer {
  checkAddress(address);
  if (data.length > LED_MAX_DATA_BYTES) {
    throw new DriverError('PROTOCOL_LENGTH', `LED DATA is ${data.length} bytes, max ${LED_MAX_DATA_BYTES}`);
  }
  const body = Buffer.from([...addressBytes(address), cmd, ...data, LED_ETX]);
  return Buffer.concat([Buffer.from([LED_STX]), body, Buffer.from([ledBcc(body)])]);
}

/**
 * Encodes display text as GB18030. Throws DISPLAY_REJECTED when the text cannot be shown: control characters,
 * characters GB18030 cannot carry (iconv substitutes '?'), empty, or longer than 64 bytes.
 */
export function encodeLedText(text: string): Buffer {
  if (text.length === 0) throw new DriverError('DISPLAY_REJECTED', 'LED text is empty (use clear)');
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f) {
      throw new DriverError('DISPLAY_REJECTED', `LED text contains control character U+${cp.toString(16).padStart(4, '0')}`);
    }
  }
  const bytes = iconv.encode(text, 'gb18030');
  if (iconv.decode(bytes, 'gb18030') !== text) {
    throw new DriverError('DISPLAY_REJECTED', 'LED text contains characters that GB18030 cannot encode');
  }
  if (bytes.length > LED_MAX_TEXT_BYTES) {
    throw new DriverError('DISPLAY_REJECTED', `LED text is ${bytes.length} bytes in GB18030, max ${LED_MAX_TEXT_BYTES}`, {
      detail: { bytes: bytes.length, max: LED_MAX_TEXT_BYTES },
    });
  }
  return bytes;
}

export function encodeLedRequest(req: LedRequest): Buffer {
  switch (req.cmd) {
    case 'text':
      return buildLedFrame(req.address, LED_CMD.text, encodeLedText(req.text));
    case 'clear':
      return buildLedFrame(req.address, LED_CMD.clear);
    case 'brightness': {
      if (!Number.isInteger(req.level) || req.level < 0 || req.level > LED_MAX_BRIGHTNESS) {
        throw new DriverError('DISPLAY_REJECTED', `LED brightness must be 0..15, got ${req.level}`);
      }
      return buildLedFrame(req.address, LED_CMD.brightness, Buffer.from(req.level.toString(16).toUpperCase(), 'ascii'));
    }
    case 'status':
      return buildLedFrame(req.address, LED_CMD.status);
    default:
      throw assertNeverCmd(req);
  }
}

function assertNeverCmd(x: never): DriverError {
  return new DriverError('PROTOCOL_MALFORMED', `unknown LED request ${JSON.stringify(x)}`);
}

/** A delimited frame split into its fields; BCC already checked. */
export interface LedRawFrame {
  address: number;
  cmd: number;
  data: Buffer;
}

function parseHexDigit(b: number): number | undefined {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return undefined;
}

/**
 * Splits one whole frame (as the framer delivers it) into fields. Throws PROTOCOL_CHECKSUM on a BCC mismatch and
 * PROTOCOL_MALFORMED on a wrong shape (the BCC check comes first: a corrupted address is a checksum error).
 */
export function parseLedFrame(frame: Uint8Array): LedRawFrame {
  const f = Buffer.from(frame);
  if (f.length < 6 || f[0] !== LED_STX || f[f.length - 2] !== LED_ETX) {
    throw new DriverError('PROTOCOL_MALFORMED', `not an LED frame (${f.length} bytes)`);
  }
  const body = f.subarray(1, f.length - 1);
  const bcc = f[f.length - 1]!;
  if (ledBcc(body) !== bcc) {
    throw new DriverError('PROTOCOL_CHECKSUM', `LED BCC mismatch: got ${hex2(bcc)}, computed ${hex2(ledBcc(body))}`);
  }
  const hi = parseHexDigit(f[1]!);
  const lo = parseHexDigit(f[2]!);
  if (hi === undefined || lo === undefined) throw new DriverError('PROTOCOL_MALFORMED', 'LED ADDR is not two hex digits');
  return { address: hi * 16 + lo, cmd: f[3]!, data: Buffer.from(f.subarray(4, f.length - 2)) };
}

function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

function nakReasonOf(byte: number | undefined): LedNakReason | 'unrecognised' {
  for (const [reason, value] of Object.entries(LED_NAK_REASONS) as [LedNakReason, number][]) {
    if (value === byte) return reason;
  }
  return 'unrecognised';
}

/** Decodes the DATA of an ACK to a status query. */
export function decodeLedStatus(data: Uint8Array): LedStatus {
  const d = Buffer.from(data);
  const b = parseHexDigit(d[0] ?? -1);
  const fHi = parseHexDigit(d[1] ?? -1);
  const fLo = parseHexDigit(d[2] ?? -1);
  if (b === undefined || fHi === undefined || fLo === undefined) {
    throw new DriverError('PROTOCOL_MALFORMED', 'LED status answer must start with 3 hex digits');
  }
  const flags = fHi * 16 + fLo;
  return {
    brightness: b,
    flags,
    ledFault: (flags & 0x01) !== 0,
    overTemperature: (flags & 0x02) !== 0,
    supplyLow: (flags & 0x04) !== 0,
    text: iconv.decode(d.subarray(3), 'gb18030'),
  };
}

/**
 * Decodes a strip's answer. `expectStatus` says whether the pending request was a status query (an ACK to it carries
 * status DATA). A frame whose CMD is neither ACK nor NAK is PROTOCOL_UNEXPECTED_RESPONSE (e.g. another host's request
 * echoed on the bus).
 */
export function decodeLedAnswer(frame: Uint8Array, expectStatus = false): LedAnswer {
  const raw = parseLedFrame(frame);
  if (raw.cmd === LED_ACK) {
    if (expectStatus) return { address: raw.address, kind: 'ack', status: decodeLedStatus(raw.data) };
    return { address: raw.address, kind: 'ack' };
  }
  if (raw.cmd === LED_NAK) {
    const byte = raw.data[0];
    return { address: raw.address, kind: 'nak', reason: nakReasonOf(byte), reasonByte: byte };
  }
  throw new DriverError('PROTOCOL_UNEXPECTED_RESPONSE', `LED answer CMD ${hex2(raw.cmd)} is neither ACK nor NAK`);
}

/** Short decoded meaning for traces, e.g. `T 03 (16 bytes)`, `ACK 03`, `NAK 03 bcc`. Never the text itself. */
export function describeLedFrame(frame: Uint8Array): string {
  try {
    const raw = parseLedFrame(frame);
    const a = hex2(raw.address);
    if (raw.cmd === LED_ACK) return `ACK ${a}${raw.data.length ? ` (+${raw.data.length} status bytes)` : ''}`;
    if (raw.cmd === LED_NAK) return `NAK ${a} ${nakReasonOf(raw.data[0])}`;
    return `${String.fromCharCode(raw.cmd)} ${a}${raw.data.length ? ` (${raw.data.length} bytes)` : ''}`;
  } catch (e) {
    return e instanceof DriverError ? `invalid frame: ${e.code}` : 'invalid frame';
  }
}
