/**
 * The typed identity read from a resident ID card (or a J / I / Y card in the same frame), and its masking.
 * Every value here except the card type is personal information (PIPL): it goes to the flow that needs it, is shown
 * masked (`toMaskedIdentity`), and never reaches a log, a trace, an error message or a file.
 */
import { DriverError } from '../errors.js';

export type CardType = 'resident' | 'hk-macao-taiwan' | 'foreign-2017' | 'foreign-2023';
/** GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 unspecified. */
export type Gender = 'unknown' | 'male' | 'female' | 'unspecified';
/** GB 11643 check of the ID number; the 2017 foreign card number follows another scheme. Never "corrected". */
export type IdNumberCheck = 'valid' | 'invalid' | 'not-applicable';

export interface CardValidity {
  /** YYYY-MM-DD */
  from: string;
  /** YYYY-MM-DD, or `long-term` for 长期 cards. */
  to: string | 'long-term';
}

/**
 * Photo (WLT, 1024 bytes → 102x126 once decoded by a vendor library) or fingerprint bytes, kept opaque. The wrapper
 * keeps them out of JSON, `util.inspect` and string conversion, so a logged object shows `[photo 1024 bytes]`.
 */
export class OpaqueCardBytes {
  readonly #bytes: Uint8Array;
  constructor(
    readonly kind: 'photo' | 'fingerprint',
    bytes: Uint8Array,
  ) {
    this.#bytes = Uint8Array.from(bytes);
  }
  get length(): number {
    return this.#bytes.length;
  }
  /** A copy of the bytes, for a PhotoDecoder. Do not persist it. */
  bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
  /** Overwrites the bytes with zeros once the flow no longer needs them (shortest retention). */
  wipe(): void {
    this.#bytes.fill(0);
  }
  toJSON(): { kind: string; length: number; redacted: true } {
    return { kind: this.kind, length: this.length, redacted: true };
  }
  toString(): string {
    return `[${this.kind} ${this.length} bytes]`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

interface IdentityCommon {
  cardType: CardType;
  /** Chinese name (for an `I` card the Chinese name field, which may be empty: see `englishName`). */
  name: string;
  gender: Gender;
  /** The raw GB/T 2261.1 digit. */
  genderCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** Citizen ID number (18 characters) or, for foreign cards, the card number. */
  idNumber: string;
  idNumberCheck: IdNumberCheck;
  validity: CardValidity;
  photo: OpaqueCardBytes;
  /** Present only after a 30 10 read of a card that holds fingerprints. */
  fingerprint: OpaqueCardBytes | undefined;
}

export interface ResidentIdentity extends IdentityCommon {
  cardType: 'resident';
  nation: { code: string; name: string };
  address: string;
  authority: string;
}

/** 港澳台居民居住证 (type flag `J`). */
export interface HkMacaoTaiwanIdentity extends IdentityCommon {
  cardType: 'hk-macao-taiwan';
  /** From the ID number prefix 81 / 82 / 83. */
  region: 'hong-kong' | 'macao' | 'taiwan';
  address: string;
  authority: string;
  /** 通行证号码 */
  passNumber: string;
  /** 签发次数 */
  issueCount: number;
}

/** 外国人永久居留身份证, 2017 edition (type flag `I`). */
export interface Foreign2017Identity extends IdentityCommon {
  cardType: 'foreign-2017';
  englishName: string;
  /** GB/T 2659 three-letter code, e.g. `CAN`. */
  nationality: string;
  cardVersion: string;
  issuingOfficeCode: string;
}

/** 外国人永久居留身份证, 2023 edition (type flag `Y`). */
export interface Foreign2023Identity extends IdentityCommon {
  cardType: 'foreign-2023';
  /** Both English name parts joined. */
  englishName: string;
  nationality: string;
  /** 换证次数 */
  renewalCount: number;
}

export type Identity = ResidentIdentity | HkMacaoTaiwanIdentity | Foreign2017Identity | Foreign2023Identity;

export interface DecodedPhoto {
  width: number;
  height: number;
  /** RGBA, width*height*4 bytes. */
  rgba: Uint8Array;
}

/**
 * Plug-in point for a vendor's WLT decoder where a site has one. No decoder ships: the default returns null and the
 * UI shows no photo. A decoder must not write the photo to disk.
 */
export interface PhotoDecoder {
  decode(photo: OpaqueCardBytes): Promise<DecodedPhoto | null>;
}

export const noPhotoDecoder: PhotoDecoder = {
  decode: async () => null,
};

// ---------------------------------------------------------------------------------------------------------------
// Dates

/** A kiosk-local calendar date: `YYYY-MM-DD` or a Date (its local calendar date is used). */
export type CalendarDate = string | Date;

function ymd(date: CalendarDate): [number, number, number] {
  if (typeof date === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m) throw new DriverError('PROTOCOL_MALFORMED', 'a date is YYYY-MM-DD');
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()];
}

/** Completed years from birth to `on` (a 29 February birthday counts from 1 March in common years). */
export function ageOn(birthDate: string, on: CalendarDate): number {
  const [by, bm, bd] = ymd(birthDate);
  const [y, m, d] = ymd(on);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return Math.max(0, age);
}

/** True when the card's validity ended before `on` (a `long-term` card never expires). */
export function isExpiredOn(validity: CardValidity, on: CalendarDate): boolean {
  if (validity.to === 'long-term') return false;
  const [y, m, d] = ymd(on);
  const today = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return validity.to < today;
}

// ---------------------------------------------------------------------------------------------------------------
// Masking

/**
 * `张三明` → `张*明`, `李四` → `李*`, `欧阳娜娜` → `欧**娜`; counts code points, so a 生僻字 outside the BMP is one
 * character. Latin names keep the first letter of each word: `JOHN SMITH` → `J*** S****`.
 */
export function maskName(name: string): string {
  if (/[A-Za-z]/.test(name)) {
    return name.replace(/[A-Za-z]+/g, (w) => w[0] + '*'.repeat(w.length - 1));
  }
  const chars = Array.from(name);
  if (chars.length <= 1) return chars.length === 0 ? '' : '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

export interface MaskIdNumberOptions {
  /** Characters left visible at the start; default 6 (the region code). */
  keepStart?: number;
  /** Characters left visible at the end; default 2. */
  keepEnd?: number;
}

/** `440102199003071234` → `440102**********34` (first 6 and last 2 visible by default). */
export function maskIdNumber(id: string, options: MaskIdNumberOptions = {}): string {
  const keepStart = options.keepStart ?? 6;
  const keepEnd = options.keepEnd ?? 2;
  if (id.length <= keepStart + keepEnd) return '*'.repeat(id.length);
  return id.slice(0, keepStart) + '*'.repeat(id.length - keepStart - keepEnd) + id.slice(id.length - keepEnd);
}

/** Keeps the first `keep` characters (default 6, e.g. `广东省广州市`) and replaces the rest with `…`. */
export function maskAddress(address: string, keep = 6): string {
  const chars = Array.from(address);
  return chars.length <= keep ? address : chars.slice(0, keep).join('') + '…';
}

export const CARD_TYPE_LABELS: Readonly<Record<CardType, string>> = {
  resident: '居民身份证',
  'hk-macao-taiwan': '港澳台居民居住证',
  'foreign-2017': '外国人永久居留身份证',
  'foreign-2023': '外国人永久居留身份证',
};

/** What the UI may show and keep: no full name, ID number, address, birth date or photo. */
export interface MaskedIdentity {
  cardType: CardType;
  cardTypeLabel: string;
  /** Masked Chinese name, or the masked English name when the card has no Chinese name. */
  name: string;
  idNumber: string;
  gender: Gender;
  age: number;
  isElderly: boolean;
  isExpired: boolean;
  /** For a J card: which traditional-Chinese audience to serve. */
  region?: HkMacaoTaiwanIdentity['region'];
}

export interface MaskedIdentityOptions {
  /** Age from which the 适老化 flow applies; default 65. */
  elderlyAge?: number;
  idNumber?: MaskIdNumberOptions;
}

/** The UI-safe summary, computed on the kiosk's own date `on`. */
export function toMaskedIdentity(identity: Identity, on: CalendarDate, options: MaskedIdentityOptions = {}): MaskedIdentity {
  const age = ageOn(identity.birthDate, on);
  const displayName =
    identity.name !== '' ? identity.name : identity.cardType === 'foreign-2017' || identity.cardType === 'foreign-2023' ? identity.englishName : '';
  return {
    cardType: identity.cardType,
    cardTypeLabel: CARD_TYPE_LABELS[identity.cardType],
    name: maskName(displayName),
    idNumber: maskIdNumber(identity.idNumber, options.idNumber),
    gender: identity.gender,
    age,
    isElderly: age >= (options.elderlyAge ?? 65),
    isExpired: isExpiredOn(identity.validity, on),
    ...(identity.cardType === 'hk-macao-taiwan' ? { region: identity.region } : {}),
  };
}
