import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Signed fleet configuration: Ed25519 (RFC 8032, node:crypto) over a canonical JSON text of `{config, version}`
 * prefixed with a domain tag, so that a signature made for something else can never pass as a config signature.
 * Canonical JSON: object keys sorted by UTF-16 code units, no white space, JSON.stringify's escaping of strings and
 * numbers (RFC 8785-like for the values a config holds: strings, integers, booleans, arrays, objects).
 */
export const FLEET_SIGNING_DOMAIN = 'hall-kiosk fleet config v1\n';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

export function signedText(config: unknown, version: number): Buffer {
  return Buffer.from(FLEET_SIGNING_DOMAIN + canonicalJson({ config, version }), 'utf8');
}

/** A key given as PEM or as base64 of the SPKI DER (public) / PKCS#8 DER (private). */
export function loadPublicKey(text: string): KeyObject {
  const t = text.trim();
  const key = t.startsWith('-----') ? createPublicKey(t) : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`fleet public key must be Ed25519, not ${String(key.asymmetricKeyType)}`);
  return key;
}

export function loadPrivateKey(text: string): KeyObject {
  const t = text.trim();
  const key = t.startsWith('-----') ? createPrivateKey(t) : createPrivateKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`fleet signing key must be Ed25519, not ${String(key.asymmetricKeyType)}`);
  return key;
}

/** Base64 signature of a config push. */
export function signConfig(privateKey: KeyObject, config: unknown, version: number): string {
  return sign(null, signedText(config, version), privateKey).toString('base64');
}

export function verifyConfig(publicKey: KeyObject, config: unknown, version: number, signature: string): boolean {
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64) return false;
  return verify(null, signedText(config, version), publicKey, sig);
}

export function generateFleetKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
