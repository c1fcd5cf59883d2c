import { createHmac } from 'node:crypto';
import { HostError } from '../errors.js';

/**
 * Person keys (PIPL): the plain ID number is never stored or logged. The queue keys a person by
 * HMAC-SHA256(installation secret, normalised ID number), 64 hex characters, which cannot be reversed without the
 * secret and cannot be linked across installations. A domain prefix keeps these keys apart from other HMAC uses of
 * the same secret.
 */
const DOMAIN = 'hall-kiosk/queue/person/v1\0';

/** Upper-case, no spaces: `11010519491231002x` and `11010519491231002X` are the same person. */
export function normalizeIdNumber(idNumber: string): string {
  return idNumber.replace(/\s+/g, '').toUpperCase();
}

export function assertSecret(secret: Buffer): void {
  if (!Buffer.isBuffer(secret) || secret.length < 16) {
    throw new HostError('CONFIG_INVALID', 'the installation secret must be at least 16 bytes');
  }
}

export function personKey(secret: Buffer, idNumber: string): string {
  return createHmac('sha256', secret).update(DOMAIN + normalizeIdNumber(idNumber), 'utf8').digest('hex');
}

/**
 * Birth date `YYYY-MM-DD` carried by an 18-character resident ID number or HK/Macao/Taiwan residence permit
 * (positions 7-14); null for other documents. Used only transiently for elderly priority, never stored.
 */
export function birthDateFromIdNumber(idNumber: string): string | null {
  const id = normalizeIdNumber(idNumber);
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}
