import { HostError } from '../errors.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../storage/database.js';
import type { AuditLog } from './audit.js';
import { DEFAULT_PIN_PARAMS, hashPin, parseParams, PIN_PATTERN, verifyPin, type PinHashParams } from './pin-hash.js';

/** Roles that sign in to the staff console. (Counter staff sign in at the counter caller with the queue's tokens.) */
export const STAFF_ROLES = ['manager', 'technician'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Wrong PINs in a row that lock a role. */
export const MAX_FAILED_ATTEMPTS = 5;
/** Lock n (1-based, since the last successful sign-in) lasts 2^(n-1) minutes: 1, 2, 4, 8 … capped at one day. */
export function lockMinutes(lockNumber: number): number {
  return Math.min(2 ** Math.max(0, lockNumber - 1), 24 * 60);
}

/**
 * Sample PINs, used only in demo mode (`--simulate` or `"demo": true`) and only when no PIN is stored and no
 * KIOSK_INITIAL_*_PIN is set. Documented in the README so a tester can sign in. Outside demo mode they are never
 * seeded, and a stored one (left from a demo run on the same data dir) is removed at start: the role stays
 * unconfigured (AUTH_NOT_CONFIGURED) until `npm run diag -- provision` or KIOSK_INITIAL_*_PIN sets a real PIN.
 */
export const SIMULATION_SAMPLE_PINS: Record<StaffRole, string> = { manager: '246810', technician: '135790' };

const ENV_NAMES: Record<StaffRole, string> = {
  manager: 'KIOSK_INITIAL_MANAGER_PIN',
  technician: 'KIOSK_INITIAL_TECHNICIAN_PIN',
};

/** Rejects PINs anyone would try first: one repeated digit, or a run up or down (123456, 987654). */
export function pinWeakness(pin: string): string | undefined {
  if (!PIN_PATTERN.test(pin)) return 'a PIN is 6 to 12 digits';
  if (/^(\d)\1+$/.test(pin)) return 'a PIN may not repeat one digit';
  const steps = new Set([...pin].slice(1).map((c, i) => (Number(c) - Number(pin[i]) + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return 'a PIN may not be a run of digits';
  return undefined;
}

interface CredentialRow {
  role: StaffRole;
  salt: string;
  hash: string;
  params: string;
  failed_count: number;
  lock_count: number;
  locked_until: number | null;
}

export interface CredentialStatus {
  role: StaffRole;
  configured: boolean;
  failedCount: number;
  lockedUntil: number | null;
  updatedAt: number | null;
  updatedBy: string | null;
}

export interface StaffAuthOptions {
  db: Db;
  audit: AuditLog;
  now: () => Date;
  logger: Logger;
  /** Hash parameters for new PINs; tests may not go below the production minimum (logN 15). */
  params?: PinHashParams;
}

/**
 * PIN sign-in for the staff roles. Hashes live in staff_credentials (scrypt, pin-hash.ts). Five wrong PINs in a row
 * lock the role for 1, 2, 4, 8 … minutes; the count of locks resets on a successful sign-in. Attempts for one role
 * are serialised, so parallel guesses cannot all pass the lock check before the first one is counted. Every
 * sign-in, wrong PIN, lock, refused attempt while locked and PIN change is written to the audit log.
 */
export class StaffAuth {
  private readonly queues = new Map<StaffRole, Promise<unknown>>();

  constructor(private readonly options: StaffAuthOptions) {}

  /**
   * First start: store a hash for every role that has none, from KIOSK_INITIAL_<ROLE>_PIN, or in demo mode from
   * the documented sample PINs. A role without either stays unconfigured (sign-in says so) and is logged. Outside
   * demo mode a stored sample PIN is revoked first.
   */
  async seed(env: NodeJS.ProcessEnv, demo: boolean): Promise<{ seeded: StaffRole[]; unconfigured: StaffRole[]; revoked: StaffRole[] }> {
    const seeded: StaffRole[] = [];
    const unconfigured: StaffRole[] = [];
    const revoked: StaffRole[] = [];
    for (const role of STAFF_ROLES) {
      const existing = this.row(role);
      if (existing && !demo && (await this.isSamplePin(role, existing))) {
        this.options.db.prepare(`DELETE FROM staff_credentials WHERE role = ?`).run(role);
        this.options.audit.record({ actor: 'system', action: 'auth.seed', target: role, outcome: 'ok', detail: { revoked: 'demo-sample-pin' } });
        this.options.logger.warn({ role }, 'the stored PIN is the public demo sample; removed (not a demo kiosk)');
        revoked.push(role);
      } else if (existing) continue;
      const fromEnv = env[ENV_NAMES[role]];
      let pin: string | undefined;
      let source: 'env' | 'demo-sample';
      if (fromEnv !== undefined && fromEnv !== '') {
        const weak = pinWeakness(fromEnv);
        if (weak) {
          this.options.logger.error({ role, variable: ENV_NAMES[role], problem: weak }, 'initial staff PIN rejected; role stays unconfigured');
          this.options.audit.record({ actor: 'system', action: 'auth.seed', target: role, outcome: 'failed', detail: { source: 'env', problem: weak } });
          unconfigured.push(role);
          continue;
        }
        pin = fromEnv;
        source = 'env';
      } else if (demo) {
        pin = SIMULATION_SAMPLE_PINS[role];
        source = 'demo-sample';
      } else {
        this.options.logger.warn({ role, variable: ENV_NAMES[role] }, 'no initial staff PIN; role stays unconfigured');
        unconfigured.push(role);
        continue;
      }
      await this.store(role, pin, 'system');
      this.options.audit.record({ actor: 'system', action: 'auth.seed', target: role, outcome: 'ok', detail: { source } });
      seeded.push(role);
    }
    return { seeded, unconfigured, revoked };
  }

  /** Is the stored hash the role's public sample PIN? (One scrypt per role at start, outside demo mode only.) */
  private isSamplePin(role: StaffRole, row: CredentialRow): Promise<boolean> {
    return verifyPin(SIMULATION_SAMPLE_PINS[role], { salt: row.salt, hash: row.hash, params: parseParams(row.params) });
  }

  /** Checks a PIN. Resolves on success; throws AUTH_LOCKED, AUTH_WRONG_PIN or AUTH_NOT_CONFIGURED. */
  signIn(role: StaffRole, pin: string, origin: string): Promise<void> {
    return this.serial(role, () => this.attempt(role, pin, origin));
  }

  /** Sets a role's PIN (a manager's action). Clears its lock and counters. */
  async changePin(role: StaffRole, newPin: string, by: StaffRole): Promise<void> {
    const weak = pinWeakness(newPin);
    if (weak) {
      this.options.audit.record({ actor: by, action: 'auth.change-pin', target: role, outcome: 'denied', detail: { problem: weak } });
      throw new HostError('AUTH_PIN_WEAK', weak);
    }
    await this.serial(role, () => this.store(role, newPin, by));
    this.options.audit.record({ actor: by, action: 'auth.change-pin', target: role, outcome: 'ok' });
  }

  /** `diag provision`: sets a role's PIN from the technician's command line (clears lock and counters; audited). */
  async provisionPin(role: StaffRole, pin: string): Promise<void> {
    const weak = pinWeakness(pin);
    if (weak) throw new HostError('AUTH_PIN_WEAK', weak);
    await this.serial(role, () => this.store(role, pin, 'provision'));
    this.options.audit.record({ actor: 'provision', action: 'auth.provision', target: role, outcome: 'ok' });
  }

  status(): CredentialStatus[] {
    return STAFF_ROLES.map((role) => {
      const r = this.options.db
        .prepare(`SELECT failed_count, locked_until, updated_at, updated_by FROM staff_credentials WHERE role = ?`)
        .get(role) as { failed_count: number; locked_until: number | null; updated_at: number; updated_by: string } | undefined;
      return {
        role,
        configured: r !== undefined,
        failedCount: r?.failed_count ?? 0,
        lockedUntil: r?.locked_until != null && r.locked_until > this.options.now().getTime() ? r.locked_until : null,
        updatedAt: r?.updated_at ?? null,
        updatedBy: r?.updated_by ?? null,
      };
    });
  }

  private async attempt(role: StaffRole, pin: string, origin: string): Promise<void> {
    const { audit, db } = this.options;
    const row = this.row(role);
    if (!row) {
      audit.record({ actor: origin, action: 'auth.sign-in', target: role, outcome: 'denied', detail: { reason: 'not-configured' } });
      throw new HostError('AUTH_NOT_CONFIGURED', `no PIN is set for the ${role} role`);
    }
    const now = this.options.now().getTime();
    if (row.locked_until !== null && row.locked_until > now) {
      audit.record({ actor: origin, action: 'auth.sign-in', target: role, outcome: 'denied', detail: { reason: 'locked', lockedUntil: row.locked_until } });
      throw new HostError('AUTH_LOCKED', `the ${role} role is locked until ${new Date(row.locked_until).toISOString()}`, {
        detail: { lockedUntil: row.locked_until },
      });
    }
    const ok = await verifyPin(pin, { salt: row.salt, hash: row.hash, params: parseParams(row.params) });
    if (ok) {
      db.prepare(`UPDATE staff_credentials SET failed_count = 0, lock_count = 0, locked_until = NULL WHERE role = ?`).run(role);
      audit.record({ actor: origin, action: 'auth.sign-in', target: role, outcome: 'ok' });
      return;
    }
    const failed = row.failed_count + 1;
    if (failed >= MAX_FAILED_ATTEMPTS) {
      const lockNumber = row.lock_count + 1;
      const until = now + lockMinutes(lockNumber) * 60_000;
      db.prepare(`UPDATE staff_credentials SET failed_count = 0, lock_count = ?, locked_until = ? WHERE role = ?`).run(lockNumber, until, role);
      audit.record({ actor: origin, action: 'auth.sign-in', target: role, outcome: 'failed', detail: { reason: 'wrong-pin', failed } });
      audit.record({ actor: 'system', action: 'auth.lock', target: role, outcome: 'ok', detail: { lockNumber, minutes: lockMinutes(lockNumber), lockedUntil: until } });
      this.options.logger.warn({ role, lockNumber, minutes: lockMinutes(lockNumber) }, 'staff role locked after wrong PINs');
      throw new HostError('AUTH_LOCKED', `wrong PIN; the ${role} role is locked for ${lockMinutes(lockNumber)} minute(s)`, {
        detail: { lockedUntil: until },
      });
    }
    db.prepare(`UPDATE staff_credentials SET failed_count = ? WHERE role = ?`).run(failed, role);
    audit.record({ actor: origin, action: 'auth.sign-in', target: role, outcome: 'failed', detail: { reason: 'wrong-pin', failed } });
    throw new HostError('AUTH_WRONG_PIN', `wrong PIN; ${MAX_FAILED_ATTEMPTS - failed} attempt(s) left before the role is locked`, {
      detail: { attemptsLeft: MAX_FAILED_ATTEMPTS - failed },
    });
  }

  private async store(role: StaffRole, pin: string, by: string): Promise<void> {
    const h = await hashPin(pin, this.options.params ?? DEFAULT_PIN_PARAMS);
    this.options.db
      .prepare(
        `INSERT INTO staff_credentials (role, salt, hash, params, failed_count, lock_count, locked_until, updated_at, updated_by)
         VALUES (@role, @salt, @hash, @params, 0, 0, NULL, @at, @by)
         ON CONFLICT (role) DO UPDATE SET salt = @salt, hash = @hash, params = @params, failed_count = 0, lock_count = 0,
           locked_until = NULL, updated_at = @at, updated_by = @by`,
      )
      .run({ role, salt: h.salt, hash: h.hash, params: JSON.stringify(h.params), at: this.options.now().getTime(), by });
  }

  private row(role: StaffRole): CredentialRow | undefined {
    return this.options.db
      .prepare(`SELECT role, salt, hash, params, failed_count, lock_count, locked_until FROM staff_credentials WHERE role = ?`)
      .get(role) as CredentialRow | undefined;
  }

  private serial<T>(role: StaffRole, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(role) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    // The chain itself must not reject (the caller gets the outcome through `next`).
    this.queues.set(role, next.then(() => undefined, () => undefined));
    return next;
  }
}
