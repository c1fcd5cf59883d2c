/**
 * The last line of defence for personal data in logs (PIPL): whatever a caller passes, a log line never carries a
 * full resident ID number, HK/Macao/Taiwan residence permit number, a value under a personal-data key, or a photo.
 * Callers should not pass such data at all; this catches mistakes.
 */

/** Keys whose values are personal data wherever they appear in a logged object. */
const PERSONAL_KEYS = new Set([
  'name', 'fullname', 'chinesename', 'englishname', 'idnumber', 'id_number', 'cardnumber', 'address', 'photo',
  'fingerprint', 'fingerprints', 'birthdate', 'textblock', 'identity', 'passnumber', 'authority', 'pin', 'password',
  'token', 'secret', 'authorization', 'tickettoken', 'qrpayload', 'launchurl', 'kioskurl',
]);

/** 18-character ID numbers (resident and 81/82/83 permits): 17 digits + digit or X. Also 15-digit legacy numbers. */
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})(\d{8,11})(\d{2}[0-9Xx]|\d{3})?(?![0-9A-Za-z])/g;

/**
 * Ticket tokens are credentials (look-up, follow page, rating): wherever one stands in a path, a QR payload or a
 * query (`/api/v1/tickets/<token>`, `/api/v1/follow/<token>`, `/t/<token>`, `HKT:<token>`, `token=<value>`), only its
 * first 4 characters are kept. A plain ticket id (`/api/v1/tickets/12`) is not a credential and stays.
 */
const TICKET_TOKEN = /(\/api\/v1\/tickets\/|\/api\/v1\/follow\/|\/t\/|\bHKT[:.]|[?&;\s]token=|[?&;\s]ticketToken=)([^/?#&\s"'<>]+)/gi;

/** The browser host's per-launch bridge secret travels in a URL fragment `#k=<secret>`: never kept at all. */
const BRIDGE_SECRET = /#k=[^\s"'<>]+/g;

function redactTokens(s: string): string {
  return s
    .replace(TICKET_TOKEN, (m, lead: string, value: string) => (/^\d{1,9}$/.test(value) ? m : `${lead}${value.slice(0, 4)}…`))
    .replace(BRIDGE_SECRET, '#k=[redacted]');
}

export function redactString(s: string): string {
  return redactTokens(s).replace(ID_NUMBER, (m, head: string) => (m.length === 18 || m.length === 15 ? `${head}${'*'.repeat(m.length - 6)}` : m));
}

/** A request path for a log line: ticket tokens cut (see above), at most 200 characters. */
export function redactPath(p: string): string {
  const r = redactTokens(p);
  return r.length > 200 ? `${r.slice(0, 200)}…` : r;
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (value instanceof Error) {
    return { type: value.name, message: redactString(value.message), code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = PERSONAL_KEYS.has(k.toLowerCase()) ? '[redacted]' : redactValue(v, depth + 1);
  }
  return out;
}
