/**
 * GA/T 467 SAM serial protocol of the resident ID card reader: pure codec, no I/O, no timers.
 * Spec: /work/shared/protocols/id-card-sam.md (frames, SW3 table, text block layouts).
 *
 *   host -> reader:  AA AA AA 96 69 | LEN_H LEN_L | CMD | PARA | DATA... | CHK
 *   reader -> host:  AA AA AA 96 69 | LEN_H LEN_L | SW1 | SW2 | SW3 | DATA... | CHK
 *
 * LEN is big-endian and counts every byte after itself, CHK included; CHK is the XOR of LEN_H .. last DATA byte.
 * Nothing here ever puts personal data (text block, photo) into an error message or detail.
 */
import { DriverError, assertNever, type DriverErrorCode } from '../errors.js';
import type {
  CardValidity,
  Foreign2017Identity,
  Foreign2023Identity,
  Gender,
  HkMacaoTaiwanIdentity,
  Identity,
  IdNumberCheck,
  ResidentIdentity,
} from './identity.js';
import { OpaqueCardBytes } from './identity.js';

export { ageOn, type CalendarDate } from './identity.js';

/** Frame preamble `AA AA AA 96 69`. */
export const PREAMBLE: readonly number[] = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
/** Preamble (5) + LEN (2). */
export const FRAME_HEADER_LENGTH = 7;
/** Smallest LEN of any frame: a bare command is CMD PARA CHK = 3; a bare answer SW1 SW2 SW3 CHK = 4. */
export const MIN_LEN = 3;
/** Largest LEN we accept: the fingerprint read answer is LEN 09 0A (2314); anything above 0x1000 is impossible. */
export const MAX_LEN = 0x1000;

// ---------------------------------------------------------------------------------------------------------------
// Commands

/** Every command of the reader as inspectable data: CMD, PARA and the spec mnemonic. */
export const IdCardCommands = {
  /** 10 FF = reset SAM */
  resetSam: { cmd: 0x10, para: 0xff, mnemonic: 'reset SAM' },
  /** 11 FF = SAM status (self-test) */
  samStatus: { cmd: 0x11, para: 0xff, mnemonic: 'SAM status' },
  /** 12 FF = read SAM id */
  readSamId: { cmd: 0x12, para: 0xff, mnemonic: 'read SAM id' },
  /** 20 01 = find card */
  findCard: { cmd: 0x20, para: 0x01, mnemonic: 'find card' },
  /** 20 02 = select card */
  selectCard: { cmd: 0x20, para: 0x02, mnemonic: 'select card' },
  /** 30 01 = read text + photo */
  readText: { cmd: 0x30, para: 0x01, mnemonic: 'read text + photo' },
  /** 30 03 = read appended address */
  readAppendedAddress: { cmd: 0x30, para: 0x03, mnemonic: 'read appended address' },
  /** 30 10 = read text + photo + fingerprint */
  readWithFingerprint: { cmd: 0x30, para: 0x10, mnemonic: 'read text + photo + fingerprint' },
  /** 60 00 = switch UART to 115200 bps */
  baud115200: { cmd: 0x60, para: 0x00, mnemonic: 'set baud 115200' },
  /** 60 01 = switch UART to 57600 bps */
  baud57600: { cmd: 0x60, para: 0x01, mnemonic: 'set baud 57600' },
  /** 60 02 = switch UART to 38400 bps */
  baud38400: { cmd: 0x60, para: 0x02, mnemonic: 'set baud 38400' },
  /** 60 03 = switch UART to 19200 bps */
  baud19200: { cmd: 0x60, para: 0x03, mnemonic: 'set baud 19200' },
  /** 60 04 = switch UART to 9600 bps */
  baud9600: { cmd: 0x60, para: 0x04, mnemonic: 'set baud 9600' },
} as const satisfies Record<string, { cmd: number; para: number; mnemonic: string }>;

export type IdCardCommandName = keyof typeof IdCardCommands;

/** Baud rates the reader accepts and the `60 xx` command that selects each. */
export const BAUD_COMMANDS: Readonly<Record<number, IdCardCommandName>> = {
  115200: 'baud115200',
  57600: 'baud57600',
  38400: 'baud38400',
  19200: 'baud19200',
  9600: 'baud9600',
};

export function commandForBaudRate(baudRate: number): IdCardCommandName {
  const name = BAUD_COMMANDS[baudRate];
  if (!name) {
    throw new DriverError('TRANSPORT_UNSUPPORTED', `the reader supports 115200, 57600, 38400, 19200 or 9600 bps, not ${baudRate}`, {
      detail: { baudRate },
    });
  }
  return name;
}

/** XOR of `bytes[start..end)`. */
export function xorChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** Wraps a body (the bytes between LEN and CHK) in preamble, LEN and CHK. */
export function buildFrame(body: Uint8Array | readonly number[]): Uint8Array {
  const len = body.length + 1;
  if (len > 0xffff) throw new DriverError('PROTOCOL_LENGTH', `frame body of ${body.length} bytes does not fit LEN`);
  const out = new Uint8Array(FRAME_HEADER_LENGTH + len);
  out.set(PREAMBLE, 0);
  out[5] = len >> 8;
  out[6] = len & 0xff;
  out.set(body, FRAME_HEADER_LENGTH);
  out[out.length - 1] = xorChecksum(out, 5, out.length - 1);
  return out;
}

/** The full host frame of a command, e.g. `findCard` → `AA AA AA 96 69 00 03 20 01 22`. */
export function buildCommand(name: IdCardCommandName, data: Uint8Array | readonly number[] = []): Uint8Array {
  const c = IdCardCommands[name];
  return buildFrame([c.cmd, c.para, ...data]);
}

/** Names the command in a host frame (for traces); `undefined` when it is none of ours. */
export function identifyCommand(frame: Uint8Array): IdCardCommandName | undefined {
  if (frame.length < FRAME_HEADER_LENGTH + 3) return undefined;
  const cmd = frame[7];
  const para = frame[8];
  for (const [name, c] of Object.entries(IdCardCommands)) {
    if (c.cmd === cmd && c.para === para) return name as IdCardCommandName;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Frame validation

/**
 * Checks preamble, LEN against the actual size and CHK of one whole frame.
 * Throws PROTOCOL_MALFORMED (preamble), PROTOCOL_LENGTH (LEN out of range or not the frame's size), PROTOCOL_CHECKSUM.
 */
export function checkFrame(frame: Uint8Array): void {
  if (frame.length < FRAME_HEADER_LENGTH + MIN_LEN) {
    throw new DriverError('PROTOCOL_LENGTH', `frame of ${frame.length} bytes is shorter than the smallest frame`, {
      detail: { length: frame.length },
    });
  }
  for (let i = 0; i < PREAMBLE.length; i++) {
    if (frame[i] !== PREAMBLE[i]) throw new DriverError('PROTOCOL_MALFORMED', 'frame does not start with AA AA AA 96 69');
  }
  const len = (frame[5]! << 8) | frame[6]!;
  if (len < MIN_LEN || len > MAX_LEN || len !== frame.length - FRAME_HEADER_LENGTH) {
    throw new DriverError('PROTOCOL_LENGTH', `LEN ${len} does not match a frame of ${frame.length} bytes`, {
      detail: { len, length: frame.length },
    });
  }
  const chk = xorChecksum(frame, 5, frame.length - 1);
  if (chk !== frame[frame.length - 1]) {
    throw new DriverError('PROTOCOL_CHECKSUM', `checksum ${hex2(frame[frame.length - 1]!)} should be ${hex2(chk)}`, {
      detail: { expected: chk, actual: frame[frame.length - 1] },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Responses and SW3

export interface IdCardResponse {
  sw1: number;
  sw2: number;
  sw3: number;
  /** Bytes after SW3, before CHK. */
  data: Uint8Array;
  /** Total frame length in bytes. */
  frameLength: number;
}

/** Parses one whole reader frame (as the framer delivers it); throws PROTOCOL_* DriverErrors. */
export function parseResponse(frame: Uint8Array): IdCardResponse {
  checkFrame(frame);
  const len = frame.length - FRAME_HEADER_LENGTH;
  if (len < 4) throw new DriverError('PROTOCOL_LENGTH', `an answer needs SW1 SW2 SW3 and CHK, LEN was ${len}`, { detail: { len } });
  return {
    sw1: frame[7]!,
    sw2: frame[8]!,
    sw3: frame[9]!,
    data: frame.subarray(10, frame.length - 1),
    frameLength: frame.length,
  };
}

export const Sw3 = {
  SUCCESS: 0x90,
  NO_CONTENT: 0x91,
  FIND_OK: 0x9f,
  HOST_CHECKSUM_ERROR: 0x10,
  HOST_LENGTH_ERROR: 0x11,
  COMMAND_ERROR: 0x21,
  UNAUTHORISED: 0x23,
  UNRECOGNISED_ERROR: 0x24,
  CARD_AUTH_SAM_FAILED: 0x31,
  SAM_AUTH_CARD_FAILED: 0x32,
  VERIFY_FAILED: 0x33,
  UNKNOWN_CARD_TYPE: 0x40,
  READ_FAILED: 0x41,
  GET_RANDOM_FAILED: 0x47,
  SAM_SELF_TEST_FAILED: 0x60,
  SAM_NOT_AUTHORISED: 0x66,
  NO_CARD: 0x80,
  SELECT_FAILED: 0x81,
} as const;

export interface Sw3Info {
  meaning: string;
  /** null for the success values 90 and 9F. */
  code: DriverErrorCode | null;
}

/**
 * The full SW3 table of the spec with the DriverError each fault maps to. Choices beyond the brief:
 * 23 (unauthorised operation) is the reader refusing our command → HOST_FRAME_REJECTED; 24 (unrecognised error) and
 * 47 (get-random failed, the first step of card authentication over RF) happen when the card moves: READ_FAILED,
 * which is transient, so the next placement/poll tries again.
 */
export const SW3_TABLE: Readonly<Record<number, Sw3Info>> = {
  0x90: { meaning: 'success', code: null },
  0x9f: { meaning: 'find card succeeded', code: null },
  0x91: { meaning: 'the card has no content for this item', code: 'IDCARD_NO_CONTENT' },
  0x10: { meaning: 'checksum error in the host frame', code: 'IDCARD_HOST_FRAME_REJECTED' },
  0x11: { meaning: 'length error in the host frame', code: 'IDCARD_HOST_FRAME_REJECTED' },
  0x21: { meaning: 'command error', code: 'IDCARD_HOST_FRAME_REJECTED' },
  0x23: { meaning: 'unauthorised operation', code: 'IDCARD_HOST_FRAME_REJECTED' },
  0x24: { meaning: 'unrecognised error', code: 'IDCARD_READ_FAILED' },
  0x31: { meaning: 'card failed to authenticate the SAM', code: 'IDCARD_AUTH_FAILED' },
  0x32: { meaning: 'SAM failed to authenticate the card', code: 'IDCARD_AUTH_FAILED' },
  0x33: { meaning: 'information verification error', code: 'IDCARD_AUTH_FAILED' },
  0x40: { meaning: 'unrecognised card type', code: 'IDCARD_UNSUPPORTED_CARD' },
  0x41: { meaning: 'read failed', code: 'IDCARD_READ_FAILED' },
  0x47: { meaning: 'get-random failed', code: 'IDCARD_READ_FAILED' },
  0x60: { meaning: 'SAM self-test failed', code: 'IDCARD_SAM_FAULT' },
  0x66: { meaning: 'SAM not authorised', code: 'IDCARD_SAM_FAULT' },
  0x80: { meaning: 'find card failed (no card)', code: 'IDCARD_NO_CARD' },
  0x81: { meaning: 'select card failed', code: 'IDCARD_SELECT_FAILED' },
};

/** Meaning and error code of an SW3; values outside the spec's table are PROTOCOL_UNEXPECTED_RESPONSE. */
export function describeSw3(sw3: number): Sw3Info {
  return SW3_TABLE[sw3] ?? { meaning: `unknown status ${hex2(sw3)}`, code: 'PROTOCOL_UNEXPECTED_RESPONSE' };
}

/** The coded error for a fault SW3, or undefined for 90 / 9F. */
export function sw3Error(sw3: number, command?: IdCardCommandName): DriverError | undefined {
  const info = describeSw3(sw3);
  if (info.code === null) return undefined;
  const what = command ? `${IdCardCommands[command].mnemonic}: ` : '';
  return new DriverError(info.code, `${what}reader answered SW3 ${hex2(sw3)} (${info.meaning})`, {
    detail: { sw3, ...(command ? { command } : {}) },
  });
}

/** The SW3 a command succeeds with: 9F for find, 90 for everything else. */
export function successSw3(command: IdCardCommandName): number {
  return command === 'findCard' ? Sw3.FIND_OK : Sw3.SUCCESS;
}

/** Throws the coded error unless the answer carries the command's success SW3 (9F is not success for select!). */
export function expectSuccess(response: IdCardResponse, command: IdCardCommandName): IdCardResponse {
  if (response.sw3 === successSw3(command)) return response;
  throw (
    sw3Error(response.sw3, command) ??
    new DriverError('PROTOCOL_UNEXPECTED_RESPONSE', `${IdCardCommands[command].mnemonic}: unexpected SW3 ${hex2(response.sw3)}`, {
      detail: { sw3: response.sw3, command },
    })
  );
}

/**
 * Whether an answer can belong to a command, by its shape; a late answer to an earlier command (after a time-out)
 * fails this and is dropped rather than taken for the current one. Failure answers (bare SW3) fit every command.
 */
export function answerFits(response: IdCardResponse, command: IdCardCommandName): boolean {
  if (response.sw3 !== successSw3(command)) {
    // the success of another command (a late answer) does not fit; a fault is a bare SW3 and fits any command
    if (response.sw3 === Sw3.FIND_OK || response.sw3 === Sw3.SUCCESS) return false;
    return response.data.length === 0;
  }
  switch (command) {
    case 'findCard':
      return response.data.length === 4;
    case 'selectCard':
      return response.data.length === 8;
    case 'readText':
      return readAnswerLayout(response.data, false) !== undefined;
    case 'readWithFingerprint':
      return readAnswerLayout(response.data, true) !== undefined;
    case 'readSamId':
      return response.data.length === 16;
    case 'readAppendedAddress':
      return response.data.length > 0;
    case 'resetSam':
    case 'samStatus':
    case 'baud115200':
    case 'baud57600':
    case 'baud38400':
    case 'baud19200':
    case 'baud9600':
      return response.data.length === 0;
    default:
      return assertNever(command, 'command');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Read answer (30 01 / 30 10)

export interface ReadAnswer {
  textLength: number;
  photoLength: number;
  /** 0 for a 30 01 answer and for a card without fingerprints. */
  fingerprintLength: number;
  /** Whether the answer carried the third length (30 10). */
  hasFingerprintField: boolean;
  text: Uint8Array;
  photo: Uint8Array;
  fingerprint: Uint8Array;
}

function readAnswerLayout(data: Uint8Array, fingerprint: boolean): { text: number; photo: number; fp: number } | undefined {
  const lengths = fingerprint ? 6 : 4;
  if (data.length < lengths) return undefined;
  const text = (data[0]! << 8) | data[1]!;
  const photo = (data[2]! << 8) | data[3]!;
  const fp = fingerprint ? (data[4]! << 8) | data[5]! : 0;
  return lengths + text + photo + fp === data.length ? { text, photo, fp } : undefined;
}

/**
 * Splits the data of a successful read answer into text, photo and fingerprint. `withFingerprint` says which command
 * was sent (30 10 answers carry a third length); when omitted, the layout is inferred from which one adds up.
 * Throws PROTOCOL_LENGTH when the inner lengths do not add up to the frame.
 */
export function parseReadAnswer(response: IdCardResponse, withFingerprint?: boolean): ReadAnswer {
  if (response.sw3 !== Sw3.SUCCESS) {
    throw sw3Error(response.sw3, withFingerprint ? 'readWithFingerprint' : 'readText') ?? new DriverError('PROTOCOL_UNEXPECTED_RESPONSE', 'read answer without SW3 90');
  }
  const d = response.data;
  const tryFp = withFingerprint ?? (readAnswerLayout(d, false) === undefined);
  const layout = readAnswerLayout(d, tryFp);
  if (!layout) {
    throw new DriverError('PROTOCOL_LENGTH', `read answer lengths do not add up to its ${d.length} data bytes`, {
      detail: { dataLength: d.length, withFingerprint: tryFp },
    });
  }
  if (layout.text !== TEXT_BLOCK_LENGTH) {
    throw new DriverError('PROTOCOL_LENGTH', `text block is ${layout.text} bytes, expected ${TEXT_BLOCK_LENGTH}`, {
      detail: { textLength: layout.text },
    });
  }
  const start = tryFp ? 6 : 4;
  return {
    textLength: layout.text,
    photoLength: layout.photo,
    fingerprintLength: layout.fp,
    hasFingerprintField: tryFp,
    text: d.subarray(start, start + layout.text),
    photo: d.subarray(start + layout.text, start + layout.text + layout.photo),
    fingerprint: d.subarray(start + layout.text + layout.photo, start + layout.text + layout.photo + layout.fp),
  };
}

/** Bytes of a read answer that may be shown in a trace: preamble, LEN, SW1-3 and the lengths (no personal data). */
export function readAnswerHeaderLength(withFingerprint: boolean): number {
  return 10 + (withFingerprint ? 6 : 4);
}

// ---------------------------------------------------------------------------------------------------------------
// Text block

export const TEXT_BLOCK_LENGTH = 256;
/** Offset of the card type flag (one UTF-16LE character). */
export const CARD_TYPE_FLAG_OFFSET = 248;

/** GB/T 3304 nation codes as printed on the card. */
export const NATIONS: Readonly<Record<string, string>> = {
  '01': '汉', '02': '蒙古', '03': '回', '04': '藏', '05': '维吾尔', '06': '苗', '07': '彝', '08': '壮', '09': '布依',
  '10': '朝鲜', '11': '满', '12': '侗', '13': '瑶', '14': '白', '15': '土家', '16': '哈尼', '17': '哈萨克', '18': '傣',
  '19': '黎', '20': '傈僳', '21': '佤', '22': '畲', '23': '高山', '24': '拉祜', '25': '水', '26': '东乡', '27': '纳西',
  '28': '景颇', '29': '柯尔克孜', '30': '土', '31': '达斡尔', '32': '仫佬', '33': '羌', '34': '布朗', '35': '撒拉',
  '36': '毛南', '37': '仡佬', '38': '锡伯', '39': '阿昌', '40': '普米', '41': '塔吉克', '42': '怒', '43': '乌孜别克',
  '44': '俄罗斯', '45': '鄂温克', '46': '德昂', '47': '保安', '48': '裕固', '49': '京', '50': '塔塔尔', '51': '独龙',
  '52': '鄂伦春', '53': '赫哲', '54': '门巴', '55': '珞巴', '56': '基诺', '97': '其他', '98': '外国血统中国籍人士',
};

/** GB/T 2261.1 sex codes. */
export const GENDERS: Readonly<Record<string, Gender>> = { '0': 'unknown', '1': 'male', '2': 'female', '9': 'unspecified' };

/** UTF-16LE field of the text block with the U+0020 padding (and any NUL) trimmed from the end. */
export function textField(text: Uint8Array, offset: number, length: number): string {
  const bytes = text.subarray(offset, offset + length);
  return trimPadding(new TextDecoder('utf-16le').decode(bytes));
}

/** UTF-16LE field of the text block as stored, padding included. */
function rawField(text: Uint8Array, offset: number, length: number): string {
  return new TextDecoder('utf-16le').decode(text.subarray(offset, offset + length));
}

/** Drops trailing U+0020 padding (and NUL, which some card batches use instead). */
function trimPadding(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0x00)) end--;
  return s.slice(0, end);
}

function malformed(field: string, why: string): DriverError {
  // the field's value is personal data: name the field, never quote it
  return new DriverError('PROTOCOL_MALFORMED', `text block field "${field}" ${why}`, { detail: { field } });
}

/** `YYYYMMDD` → `YYYY-MM-DD`, checked against the calendar. */
export function parseCardDate(raw: string, field: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (!m) throw malformed(field, 'is not a YYYYMMDD date');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw malformed(field, 'is not a calendar date');
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function parseValidity(text: Uint8Array): CardValidity {
  const from = parseCardDate(textField(text, 188, 16), 'validFrom');
  const rawTo = textField(text, 204, 16);
  return { from, to: rawTo === '长期' ? 'long-term' : parseCardDate(rawTo, 'validTo') };
}

function parseGender(raw: string): { gender: Gender; genderCode: string } {
  const gender = GENDERS[raw];
  if (!gender) throw malformed('gender', 'is not a GB/T 2261.1 code');
  return { gender, genderCode: raw };
}

function parseCount(raw: string, field: string): number {
  if (!/^\d{1,2}$/.test(raw)) throw malformed(field, 'is not a number');
  return Number(raw);
}

/** Card type flag → our card type. */
export function cardTypeOfFlag(flag: string): Identity['cardType'] | undefined {
  switch (flag) {
    case '':
    case ' ':
      return 'resident';
    case 'J':
      return 'hk-macao-taiwan';
    case 'I':
      return 'foreign-2017';
    case 'Y':
      return 'foreign-2023';
    default:
      return undefined;
  }
}

/**
 * Decodes the 256-byte text block of any of the four card types into a typed Identity. The photo and fingerprint
 * bytes are wrapped, never interpreted. Throws IDCARD_UNSUPPORTED_CARD for an unknown type flag, PROTOCOL_LENGTH for a
 * wrong block size, PROTOCOL_MALFORMED naming the field (never its value) when a field is not what the spec says.
 */
export function parseTextBlock(text: Uint8Array, photo: Uint8Array = new Uint8Array(0), fingerprint: Uint8Array = new Uint8Array(0)): Identity {
  if (text.length !== TEXT_BLOCK_LENGTH) {
    throw new DriverError('PROTOCOL_LENGTH', `text block is ${text.length} bytes, expected ${TEXT_BLOCK_LENGTH}`, { detail: { length: text.length } });
  }
  const flagRaw = new TextDecoder('utf-16le').decode(text.subarray(CARD_TYPE_FLAG_OFFSET, CARD_TYPE_FLAG_OFFSET + 2));
  const cardType = cardTypeOfFlag(trimPadding(flagRaw) || ' ');
  if (!cardType) {
    throw new DriverError('IDCARD_UNSUPPORTED_CARD', `unknown card type flag U+${flagRaw.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`, {
      detail: { flag: flagRaw.charCodeAt(0) },
    });
  }
  const photoBytes = new OpaqueCardBytes('photo', photo);
  const fingerprintBytes = fingerprint.length > 0 ? new OpaqueCardBytes('fingerprint', fingerprint) : undefined;
  switch (cardType) {
    case 'resident':
    case 'hk-macao-taiwan': {
      const idNumber = textField(text, 122, 36);
      const common = {
        name: textField(text, 0, 30),
        ...parseGender(textField(text, 30, 2)),
        birthDate: parseCardDate(textField(text, 36, 16), 'birthDate'),
        address: textField(text, 52, 70),
        idNumber,
        idNumberCheck: checkIdNumber(idNumber),
        authority: textField(text, 158, 30),
        validity: parseValidity(text),
        photo: photoBytes,
        fingerprint: fingerprintBytes,
      };
      if (cardType === 'resident') {
        const nationCode = textField(text, 32, 4);
        const nationName = NATIONS[nationCode];
        if (!nationName) throw malformed('nation', 'is not a nation code 01..56, 97 or 98');
        const r: ResidentIdentity = { cardType, ...common, nation: { code: nationCode, name: nationName } };
        return r;
      }
      const region = regionOfIdNumber(idNumber);
      if (!region) throw malformed('idNumber', 'does not begin with 81, 82 or 83');
      const j: HkMacaoTaiwanIdentity = {
        cardType,
        ...common,
        region,
        passNumber: textField(text, 220, 18),
        issueCount: parseCount(textField(text, 238, 4), 'issueCount'),
      };
      return j;
    }
    case 'foreign-2017': {
      const cardNumber = textField(text, 122, 30);
      const i: Foreign2017Identity = {
        cardType,
        englishName: textField(text, 0, 120),
        name: textField(text, 158, 30),
        ...parseGender(textField(text, 120, 2)),
        idNumber: cardNumber,
        idNumberCheck: 'not-applicable',
        nationality: textField(text, 152, 6),
        validity: parseValidity(text),
        birthDate: parseCardDate(textField(text, 220, 16), 'birthDate'),
        cardVersion: textField(text, 236, 4),
        issuingOfficeCode: textField(text, 240, 8),
        photo: photoBytes,
        fingerprint: fingerprintBytes,
      };
      return i;
    }
    case 'foreign-2023': {
      const idNumber = textField(text, 122, 36);
      const y: Foreign2023Identity = {
        cardType,
        name: textField(text, 0, 30),
        ...parseGender(textField(text, 30, 2)),
        renewalCount: parseCount(textField(text, 32, 4), 'renewalCount'),
        birthDate: parseCardDate(textField(text, 36, 16), 'birthDate'),
        // one name split over two fields: join the raw fields, then trim, so a space that falls on the split stays
        englishName: trimPadding(rawField(text, 52, 70) + rawField(text, 220, 22)).trim(),
        idNumber,
        idNumberCheck: checkIdNumber(idNumber),
        validity: parseValidity(text),
        nationality: textField(text, 242, 6),
        photo: photoBytes,
        fingerprint: fingerprintBytes,
      };
      return y;
    }
    default:
      return assertNever(cardType, 'card type');
  }
}

/** Read answer frame → Identity, in one step. */
export function parseIdentityFrame(frame: Uint8Array, withFingerprint?: boolean): Identity {
  const answer = parseReadAnswer(parseResponse(frame), withFingerprint);
  return parseTextBlock(answer.text, answer.photo, answer.fingerprint);
}

/** Data of a 30 03 answer (appended address, UTF-16LE, space padded); SW3 91 → IDCARD_NO_CONTENT. */
export function parseAppendedAddress(response: IdCardResponse): string {
  expectSuccess(response, 'readAppendedAddress');
  return textField(response.data, 0, response.data.length);
}

// ---------------------------------------------------------------------------------------------------------------
// GB 11643 citizen identification number

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character for the first 17 digits. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new DriverError('PROTOCOL_MALFORMED', 'an ID number body is 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** True when the 18-character number's last character is its GB 11643 check character. Never "corrects" it. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  return idCheckDigit(id.slice(0, 17)) === id[17];
}

export function checkIdNumber(id: string): IdNumberCheck {
  return isValidIdNumber(id) ? 'valid' : 'invalid';
}

/** 81 Hong Kong, 82 Macao, 83 Taiwan (the prefix of a 港澳台居民居住证 number). */
export function regionOfIdNumber(id: string): HkMacaoTaiwanIdentity['region'] | undefined {
  switch (id.slice(0, 2)) {
    case '81':
      return 'hong-kong';
    case '82':
      return 'macao';
    case '83':
      return 'taiwan';
    default:
      return undefined;
  }
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
