import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { isHostError } from '../errors.js';
import { AuditLog } from './audit.js';
import { lockMinutes, MAX_FAILED_ATTEMPTS, pinWeakness, SIMULATION_SAMPLE_PINS, StaffAuth } from './auth.js';
import { hashPin, verifyPin } from './pin-hash.js';
import { manualClock, staffTestDb } from './test-kit.js';

function setup() {
  const db = staffTestDb();
  const clock = manualClock();
  const audit = new AuditLog(db, clock.now);
  const auth = new StaffAuth({ db, audit, now: clock.now, logger: createLogger('test/auth') });
  return { db, clock, audit, auth };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isHostError(e)) return e.code;
    throw e;
  }
}

describe('PIN hashing', () => {
  it('uses scrypt with a fresh salt and N >= 2^15; verifies only the right PIN', async () => {
    const a = await hashPin('482913');
    const b = await hashPin('482913');
    expect(a.params).toMatchObject({ alg: 'scrypt', logN: 15, r: 8, p: 1 });
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(a.hash).not.toContain('482913');
    expect(await verifyPin('482913', a)).toBe(true);
    expect(await verifyPin('482914', a)).toBe(false);
    expect(await verifyPin('', a)).toBe(false);
  });

  it('refuses parameters below the minimum cost', async () => {
    await expect(hashPin('482913', { alg: 'scrypt', logN: 10, r: 8, p: 1, keyLength: 32 })).rejects.toThrow(/outside 15..20/);
  });

  it('rejects weak PINs', () => {
    expect(pinWeakness('12345')).toMatch(/6 to 12/);
    expect(pinWeakness('111111')).toMatch(/repeat/);
    expect(pinWeakness('123456')).toMatch(/run/);
    expect(pinWeakness('987654')).toMatch(/run/);
    expect(pinWeakness('890123')).toMatch(/run/);
    expect(pinWeakness('482913')).toBeUndefined();
  });
});

describe('StaffAuth', () => {
  it('seeds from the environment, or the sample PINs only in demo mode; stores no PIN in clear', async () => {
    const { auth, db } = setup();
    expect(await auth.seed({}, false)).toEqual({ seeded: [], unconfigured: ['manager', 'technician'], revoked: [] });
    expect(await codeOf(auth.signIn('manager', SIMULATION_SAMPLE_PINS.manager, 't'))).toBe('AUTH_NOT_CONFIGURED');
    expect(await auth.seed({ KIOSK_INITIAL_MANAGER_PIN: '573920' }, false)).toEqual({ seeded: ['manager'], unconfigured: ['technician'], revoked: [] });
    expect(await codeOf(auth.signIn('manager', '573920', 't'))).toBe('ok');
    expect(await auth.seed({}, true)).toEqual({ seeded: ['technician'], unconfigured: [], revoked: [] });
    expect(await codeOf(auth.signIn('technician', SIMULATION_SAMPLE_PINS.technician, 't'))).toBe('ok');
    // A stored PIN is never overwritten by a later seed.
    expect(await auth.seed({ KIOSK_INITIAL_MANAGER_PIN: '604817' }, true)).toEqual({ seeded: [], unconfigured: [], revoked: [] });
    expect(await codeOf(auth.signIn('manager', '604817', 't'))).toBe('AUTH_WRONG_PIN');
    const dump = JSON.stringify(db.prepare('SELECT * FROM staff_credentials').all()) + JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
    for (const pin of ['573920', '604817', SIMULATION_SAMPLE_PINS.technician]) expect(dump).not.toContain(pin);
  });

  it('outside demo mode a sample PIN stored by an earlier demo run is revoked; the role then refuses sign-in', async () => {
    const { auth, audit } = setup();
    await auth.seed({ KIOSK_INITIAL_MANAGER_PIN: '573920' }, true); // demo run: technician gets the sample PIN
    expect(await codeOf(auth.signIn('technician', SIMULATION_SAMPLE_PINS.technician, 't'))).toBe('ok');
    expect(await auth.seed({}, false)).toEqual({ seeded: [], unconfigured: ['technician'], revoked: ['technician'] });
    expect(await codeOf(auth.signIn('technician', SIMULATION_SAMPLE_PINS.technician, 't'))).toBe('AUTH_NOT_CONFIGURED');
    expect(await codeOf(auth.signIn('manager', '573920', 't'))).toBe('ok');
    expect(audit.list({ action: 'auth.seed' }).some((e) => e.target === 'technician' && JSON.stringify(e.detail).includes('demo-sample-pin'))).toBe(true);
  });

  it('a weak initial PIN from the environment is refused and audited', async () => {
    const { auth, audit } = setup();
    expect(await auth.seed({ KIOSK_INITIAL_MANAGER_PIN: '000000' }, false)).toEqual({ seeded: [], unconfigured: ['manager', 'technician'], revoked: [] });
    expect(audit.list({ action: 'auth.seed' })[0]).toMatchObject({ target: 'manager', outcome: 'failed' });
  });

  it('locks after five wrong PINs for 1, then 2, then 4 minutes; a success resets the growth', { timeout: 30_000 }, async () => {
    const { auth, clock, audit } = setup();
    await auth.seed({ KIOSK_INITIAL_MANAGER_PIN: '573920' }, false);
    const wrong = async (n: number) => {
      const codes: string[] = [];
      for (let i = 0; i < n; i++) codes.push(await codeOf(auth.signIn('manager', '999990', 'kiosk')));
      return codes;
    };
    expect(await wrong(MAX_FAILED_ATTEMPTS)).toEqual(['AUTH_WRONG_PIN', 'AUTH_WRONG_PIN', 'AUTH_WRONG_PIN', 'AUTH_WRONG_PIN', 'AUTH_LOCKED']);
    // Locked: even the right PIN is refused, until the minute is over.
    expect(await codeOf(auth.signIn('manager', '573920', 'kiosk'))).toBe('AUTH_LOCKED');
    clock.advance(59_000);
    expect(await codeOf(auth.signIn('manager', '573920', 'kiosk'))).toBe('AUTH_LOCKED');
    clock.advance(1_000);
    // Second round: the lock is twice as long.
    expect((await wrong(5)).at(-1)).toBe('AUTH_LOCKED');
    clock.advance(2 * 60_000 - 1);
    expect(await codeOf(auth.signIn('manager', '573920', 'kiosk'))).toBe('AUTH_LOCKED');
    clock.advance(1);
    expect((await wrong(5)).at(-1)).toBe('AUTH_LOCKED');
    expect(auth.status().find((s) => s.role === 'manager')!.lockedUntil).toBe(clock.now().getTime() + 4 * 60_000);
    clock.advance(4 * 60_000);
    expect(await codeOf(auth.signIn('manager', '573920', 'kiosk'))).toBe('ok');
    // After a success the next lock is short again.
    expect((await wrong(5)).at(-1)).toBe('AUTH_LOCKED');
    expect(auth.status().find((s) => s.role === 'manager')!.lockedUntil).toBe(clock.now().getTime() + 60_000);
    // The other role is not affected.
    const locks = audit.list({ action: 'auth.lock' });
    expect(locks.map((l) => l.detail['minutes'])).toEqual([1, 4, 2, 1]);
    expect(audit.list({ action: 'auth.sign-in' }).filter((e) => e.outcome === 'failed')).toHaveLength(20);
    expect(audit.list({ action: 'auth.sign-in' }).filter((e) => e.outcome === 'denied').length).toBeGreaterThanOrEqual(3);
  });

  it('lock time grows 1, 2, 4, 8 … and is capped at a day', () => {
    expect([1, 2, 3, 4, 5].map(lockMinutes)).toEqual([1, 2, 4, 8, 16]);
    expect(lockMinutes(40)).toBe(24 * 60);
  });

  it('parallel guesses are serialised: no more than five are checked before the lock', async () => {
    const { auth } = setup();
    await auth.seed({ KIOSK_INITIAL_TECHNICIAN_PIN: '573920' }, false);
    const codes = await Promise.all(Array.from({ length: 10 }, () => codeOf(auth.signIn('technician', '111112', 'lan'))));
    expect(codes.filter((c) => c === 'AUTH_WRONG_PIN')).toHaveLength(4);
    expect(codes.filter((c) => c === 'AUTH_LOCKED')).toHaveLength(6);
  });

  it('a manager changes a PIN: the old one stops working, the change is audited, weak PINs are refused', async () => {
    const { auth, audit } = setup();
    await auth.seed({}, true);
    expect(await codeOf(auth.changePin('technician', '123456', 'manager'))).toBe('AUTH_PIN_WEAK');
    await auth.changePin('technician', '739104', 'manager');
    expect(await codeOf(auth.signIn('technician', SIMULATION_SAMPLE_PINS.technician, 'k'))).toBe('AUTH_WRONG_PIN');
    expect(await codeOf(auth.signIn('technician', '739104', 'k'))).toBe('ok');
    expect(audit.list({ action: 'auth.change-pin' }).map((e) => [e.actor, e.target, e.outcome])).toEqual([
      ['manager', 'technician', 'ok'],
      ['manager', 'technician', 'denied'],
    ]);
  });
});
