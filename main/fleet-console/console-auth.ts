import { randomBytes } from 'node:crypto';
import { FLEET_ROLES, type FleetRole } from '../contract/fleet.js';
import { hashPin, PIN_PATTERN, verifyPin, type PinHash } from '../staff/pin-hash.js';
import type { Db } from '../storage/database.js';

/**
 * Console sign-in like the staff console: named users with a role, a 6-12 digit PIN hashed with scrypt
 * (main/staff/pin-hash.ts), five failures lock the user for five minutes, sessions end after 30 idle minutes.
 * Roles: viewer (see, export CSV) < operator (+ ping, bundle, restart) < admin (+ config roll-out).
 */
export const LOCK_AFTER = 5;
export const LOCK_MS = 5 * 60_000;
export const IDLE_MS = 30 * 60_000;

export class ConsoleAuthError extends Error {
  constructor(
    readonly code: 'AUTH_BAD_PIN' | 'AUTH_LOCKED' | 'AUTH_REQUIRED' | 'AUTH_FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

export interface ConsoleSession {
  token: string;
  user: string;
  role: FleetRole;
  lastUsed: number;
}

export function roleAtLeast(role: FleetRole, needed: FleetRole): boolean {
  return FLEET_ROLES.indexOf(role) >= FLEET_ROLES.indexOf(needed);
}

export class ConsoleAuth {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  hasUsers(): boolean {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n > 0;
  }

  async setUser(name: string, role: FleetRole, pin: string): Promise<void> {
    if (!/^[a-z0-9][a-z0-9._-]{1,40}$/.test(name)) throw new RangeError('user names are 2-41 lowercase letters, digits, dots, dashes');
    if (!PIN_PATTERN.test(pin)) throw new RangeError('a PIN is 6 to 12 digits');
    const hash = JSON.stringify(await hashPin(pin));
    this.db
      .prepare('INSERT INTO users (name, role, pin_hash) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET role = excluded.role, pin_hash = excluded.pin_hash, failures = 0, locked_until = 0')
      .run(name, role, hash);
  }

  async signIn(name: string, pin: string): Promise<ConsoleSession> {
    const row = this.db.prepare('SELECT role, pin_hash, failures, locked_until FROM users WHERE name = ?').get(name) as
      | { role: FleetRole; pin_hash: string; failures: number; locked_until: number }
      | undefined;
    const now = this.now();
    if (row && row.locked_until > now) throw new ConsoleAuthError('AUTH_LOCKED', `locked for ${Math.ceil((row.locked_until - now) / 60_000)} more minute(s)`);
    // Unknown users cost the same scrypt work as known ones, so a name cannot be probed by timing.
    const ok = row ? await verifyPin(pin, JSON.parse(row.pin_hash) as PinHash) : (await hashPin(pin), false);
    if (!row || !ok) {
      if (row) {
        const failures = row.failures + 1;
        this.db.prepare('UPDATE users SET failures = ?, locked_until = ? WHERE name = ?').run(failures >= LOCK_AFTER ? 0 : failures, failures >= LOCK_AFTER ? now + LOCK_MS : 0, name);
      }
      throw new ConsoleAuthError('AUTH_BAD_PIN', 'wrong user name or PIN');
    }
    this.db.prepare('UPDATE users SET failures = 0, locked_until = 0 WHERE name = ?').run(name);
    const s: ConsoleSession = { token: randomBytes(24).toString('base64url'), user: name, role: row.role, lastUsed: now };
    this.sessions.set(s.token, s);
    return s;
  }

  /** The session of `token`, refreshed; throws AUTH_REQUIRED when unknown or idle too long. */
  session(token: string | undefined): ConsoleSession {
    const s = token ? this.sessions.get(token) : undefined;
    const now = this.now();
    if (!s || now - s.lastUsed > IDLE_MS) {
      if (s) this.sessions.delete(s.token);
      throw new ConsoleAuthError('AUTH_REQUIRED', 'sign in first');
    }
    s.lastUsed = now;
    return s;
  }

  signOut(token: string): void {
    this.sessions.delete(token);
  }
}
