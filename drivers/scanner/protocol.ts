/**
 * QR / barcode scanner codec (protocols/scanners-and-displays.md). Pure: bytes in, typed values out; no I/O, no
 * timers. Scanned payloads are untrusted input: bounded in length, control characters stripped, classified by
 * shape only. The 粤省事码 / e-licence codes are opaque tokens: they are passed through, never parsed.
 */

// ---- HID POS (usage page 0x8C, usage 0x02) --------------------------------------------------------------------

/** Input report ID of a HID POS scanner's decoded-data report. */
export const HIDPOS_REPORT_ID = 0x02;
/** Offsets inside the report payload (the bytes after the report ID). */
export const HIDPOS_OFFSET_LENGTH = 0; // data length in this report
export const HIDPOS_OFFSET_AIM = 1; // 3 bytes AIM symbology identifier, e.g. `]Q1`
export const HIDPOS_OFFSET_DATA = 4; // decoded data
export const HIDPOS_OFFSET_MORE = 62; // non-zero: more reports of the same code follow
/** Payload bytes per report (report ID excluded). */
export const HIDPOS_PAYLOAD_LENGTH = 63;
/** Data bytes one report can carry: byte 4 up to, not including, byte 60 (bytes 60-61 are reserved). */
export const HIDPOS_MAX_DATA_PER_REPORT = 56;

export interface HidPosReport {
  /** Data bytes of this report (length from byte 0). */
  data: Buffer;
  /** `]Q1`, or undefined when the scanner sends no AIM id (zero bytes). */
  aim: string | undefined;
  more: boolean;
}

export type HidPosParse =
  | { ok: true; report: HidPosReport }
  | { ok: false; reason: 'wrong-report-id' | 'too-short' | 'bad-length' };

/**
 * Parses one input report as hidapi delivers it: byte 0 is the report ID (must be 2), then the payload whose
 * byte 0 is the data length, bytes 1..3 the AIM id, data from byte 4 and byte 62 the "more reports" flag.
 */
export function parseHidPosReport(report: Uint8Array): HidPosParse {
  if (report.length < 1 || report[0] !== HIDPOS_REPORT_ID) return { ok: false, reason: 'wrong-report-id' };
  const payload = report.subarray(1);
  if (payload.length < HIDPOS_OFFSET_DATA) return { ok: false, reason: 'too-short' };
  const len = payload[HIDPOS_OFFSET_LENGTH]!;
  if (HIDPOS_OFFSET_DATA + len > HIDPOS_OFFSET_MORE || HIDPOS_OFFSET_DATA + len > payload.length) {
    return { ok: false, reason: 'bad-length' };
  }
  const aimBytes = payload.subarray(HIDPOS_OFFSET_AIM, HIDPOS_OFFSET_AIM + 3);
  const aimText = String.fromCharCode(...aimBytes);
  const aim = aimBytes[0] === 0x5d /* ] */ && parseAimId(aimText) ? aimText : undefined;
  const more = payload.length > HIDPOS_OFFSET_MORE && payload[HIDPOS_OFFSET_MORE] !== 0;
  return { ok: true, report: { data: Buffer.from(payload.subarray(HIDPOS_OFFSET_DATA, HIDPOS_OFFSET_DATA + len)), aim, more } };
}

/** Feature report that switches Honeywell scanners (VID 0x0C2E) to HID POS: report 254 = [0x01]. */
export const HONEYWELL_VENDOR_ID = 0x0c2e;
export const HONEYWELL_HIDPOS_FEATURE = { reportId: 254, data: [0x01] } as const;

// ---- AIM symbology identifiers (`]` + code character + modifier) ----------------------------------------------

export type Symbology =
  | 'qr'
  | 'code128'
  | 'ean-upc'
  | 'code39'
  | 'datamatrix'
  | 'pdf417'
  | 'interleaved-2of5'
  | 'codabar'
  | 'code93'
  | 'aztec'
  | 'gs1-databar'
  | 'other';

const AIM_CODES: Readonly<Record<string, Symbology>> = {
  Q: 'qr',
  C: 'code128',
  E: 'ean-upc',
  A: 'code39',
  d: 'datamatrix',
  L: 'pdf417',
  I: 'interleaved-2of5',
  F: 'codabar',
  G: 'code93',
  z: 'aztec',
  e: 'gs1-databar',
  X: 'other',
};

export interface AimId {
  /** The three characters, e.g. `]Q1`. */
  raw: string;
  /** Code character, e.g. `Q`. */
  code: string;
  /** Modifier character, e.g. `1` (QR model 2, ECI not present). */
  modifier: string;
  symbology: Symbology;
}

/** Parses exactly three characters `]` + known code character + modifier ([0-9A-Za-z]); else undefined. */
export function parseAimId(s: string): AimId | undefined {
  if (s.length !== 3 || s[0] !== ']') return undefined;
  const code = s[1]!;
  const modifier = s[2]!;
  const symbology = AIM_CODES[code];
  if (!symbology || !/^[0-9A-Za-z]$/.test(modifier)) return undefined;
  return { raw: s, code, modifier, symbology };
}

/** Splits a leading AIM id off a serial-mode payload (`]Q1HKT:…` → aim + `HKT:…`). */
export function splitAimPrefix(text: string): { aim: AimId | undefined; rest: string } {
  const aim = parseAimId(text.slice(0, 3));
  return aim ? { aim, rest: text.slice(3) } : { aim: undefined, rest: text };
}

// ---- payload bounds and decoding -----------------------------------------------------------------------------

/** Default upper bound of one scanned payload in bytes (longer → SCANNER_PAYLOAD_TOO_LONG, discarded). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 512;

/**
 * Decodes payload bytes: UTF-8 when valid, else GB18030 (Chinese scanners in GBK mode), then strips control
 * characters (C0, DEL, C1; this also removes the GS1 group separator 0x1D) and surrounding whitespace.
 */
export function decodePayload(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  let text: string;
  let encoding: 'utf-8' | 'gb18030' = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    encoding = 'gb18030';
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return { text: stripControl(text).trim(), encoding };
}

export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\ufeff\ufffd]/g, '');
}

// ---- classification ------------------------------------------------------------------------------------------

export type PayloadKind = 'appointment' | 'ticket' | 'url' | 'unknown';

export type PayloadClass =
  | { kind: 'appointment'; code: string }
  | { kind: 'ticket'; token: string; via: 'code' | 'url'; host?: string }
  | { kind: 'url'; url: string; host: string }
  | { kind: 'unknown' };

export interface ClassifyOptions {
  /** Hosts whose `/t/<token>` URLs are tickets; default: any host (the token is verified online anyway). */
  ticketHosts?: readonly string[];
}

const APPOINTMENT = /^(YY|AP)[0-9A-Z-]{6,40}$/;
const TICKET_CODE = /^HKT[:.]([0-9A-Za-z_-]{6,64})$/;
/** `/t/<token>`, also under a reverse proxy's prefix (`/q/t/<token>`: network.publicBaseUrl with a path). */
const TICKET_PATH = /^(?:\/[^/]+)*\/t\/([0-9A-Za-z_-]{6,64})\/?$/;

/** Classifies a decoded, control-stripped payload by shape. Nothing here makes the payload trustworthy. */
export function classifyPayload(text: string, options: ClassifyOptions = {}): PayloadClass {
  if (APPOINTMENT.test(text)) return { kind: 'appointment', code: text };
  const t = TICKET_CODE.exec(text);
  if (t) return { kind: 'ticket', token: t[1]!, via: 'code' };
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch (e) {
      if (e instanceof TypeError) return { kind: 'unknown' };
      throw e;
    }
    if (url.username || url.password) return { kind: 'unknown' }; // credentials in a scanned URL: refuse
    const host = url.hostname.toLowerCase();
    const p = TICKET_PATH.exec(url.pathname);
    if (p && (!options.ticketHosts || options.ticketHosts.map((h) => h.toLowerCase()).includes(host))) {
      return { kind: 'ticket', token: p[1]!, via: 'url', host };
    }
    return { kind: 'url', url: url.href, host };
  }
  return { kind: 'unknown' };
}
