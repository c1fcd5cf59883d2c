import { describe, expect, it } from 'vitest';
import { AuditLog } from './audit.js';
import { StaffSessions } from './sessions.js';
import { manualClock, staffTestDb } from './test-kit.js';

describe('StaffSessions', () => {
  it('binds a role to one connection and ends it after the idle time-out; polling does not keep it alive', () => {
    const clock = manualClock();
    const audit = new AuditLog(staffTestDb(), clock.now);
    const s = new StaffSessions({ audit, now: clock.now, idleMinutes: () => 5 });
    s.start('ws-1', 'manager');
    expect(s.roleFor('ws-2')).toBeUndefined();
    clock.advance(4 * 60_000);
    expect(s.roleFor('ws-1', 'active')).toBe('manager'); // activity: the 5 minutes start again
    clock.advance(4 * 60_000);
    expect(s.roleFor('ws-1', 'passive')).toBe('manager');
    clock.advance(60_000);
    expect(s.roleFor('ws-1', 'passive')).toBeUndefined();
    expect(audit.list({ action: 'auth.sign-out' })[0]).toMatchObject({ actor: 'manager', detail: { reason: 'idle' } });
  });

  it('ends with the connection, on sign-out, and for a role whose PIN changed (except the changer)', () => {
    const clock = manualClock();
    const audit = new AuditLog(staffTestDb(), clock.now);
    const s = new StaffSessions({ audit, now: clock.now, idleMinutes: () => 5 });
    s.start('a', 'technician');
    s.start('b', 'technician');
    s.start('c', 'manager');
    expect(s.endRole('technician', 'pin-changed', 'b')).toBe(1);
    expect(s.roleFor('a')).toBeUndefined();
    expect(s.roleFor('b')).toBe('technician');
    expect(s.end('b', 'disconnected')).toBe(true);
    expect(s.end('b', 'disconnected')).toBe(false);
    clock.advance(6 * 60_000);
    expect(s.sweep()).toBe(1);
    expect(audit.list({ action: 'auth.sign-out' }).map((e) => e.detail['reason'])).toEqual(['idle', 'disconnected', 'pin-changed']);
  });
});
