import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * PIN hashing for staff roles: scrypt (RFC 7914) with a 16-byte random salt per hash. The parameters are stored
 * with each hash so they can be raised later; verification always uses the stored ones and compares in constant
 * time. N = 2^15, r = 8, p = 1 costs ~32 MiB and roughly 50-100 ms on a kiosk CPU: cheap for one sign-in, costly for
 * guessing a 6-digit PIN offline. The lockout (StaffAuth) is what stops guessing online.
 */
export interface PinHashParams {
  alg: 'scrypt';
  /** log2 of the CPU/memory cost N. Range 15..20, default 15. */
  logN: number;
  r: number;
  p: number;
  keyLength: number;
}

export const DEFAULT_PIN_PARAMS: PinHashParams = { alg: 'scrypt', logN: 15, r: 8, p: 1, keyLength: 32 };

export interface PinHash {
  /** hex */
  salt: string;
  /** hex */
  hash: string;
  params: PinHashParams;
}

/** A PIN is 6 to 12 digits. */
export const PIN_PATTERN = /^\d{6,12}$/;

function derive(pin: string, salt: Buffer, params: PinHashParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFKC'), salt, params.keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPin(pin: string, params: PinHashParams = DEFAULT_PIN_PARAMS): Promise<PinHash> {
  if (params.logN < 15 || params.logN > 20) throw new RangeError(`scrypt logN ${params.logN} is outside 15..20`);
  const salt = randomBytes(16);
  const key = await derive(pin, salt, params);
  return { salt: salt.toString('hex'), hash: key.toString('hex'), params };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'hex');
  const key = await derive(pin, Buffer.from(stored.salt, 'hex'), { ...stored.params, keyLength: expected.length });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function parseParams(text: string): PinHashParams {
  const p = JSON.parse(text) as Partial<PinHashParams>;
  if (p.alg !== 'scrypt' || typeof p.logN !== 'number' || typeof p.r !== 'number' || typeof p.p !== 'number' || typeof p.keyLength !== 'number') {
    throw new Error('unsupported PIN hash parameters');
  }
  return { alg: 'scrypt', logN: p.logN, r: p.r, p: p.p, keyLength: p.keyLength };
}
