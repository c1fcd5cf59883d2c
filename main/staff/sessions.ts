import type { AuditLog } from './audit.js';
import type { StaffRole } from './auth.js';

/** Default staff idle time-out: 5 minutes. Range 1..60 minutes. */
export const DEFAULT_STAFF_IDLE_MINUTES = 5;

export interface StaffSession {
  role: StaffRole;
  connectionId: string;
  startedAt: number;
  lastActiveAt: number;
}

export type SessionEndReason = 'sign-out' | 'idle' | 'disconnected' | 'replaced' | 'pin-changed';

/**
 * Staff sessions, one per connection (a kiosk window or a LAN browser's /staff/bridge socket), in memory only.
 * A session ends on sign-out, when its connection closes, and when it has been idle for `idleMinutes`; an expired
 * session is found expired on its next request (lazily) and by `sweep()`. Passive requests (polling the live view,
 * the trace or the logs) do not count as activity, so an unattended open console still times out.
 */
export class StaffSessions {
  private readonly sessions = new Map<string, StaffSession>();

  constructor(
    private readonly options: { audit: AuditLog; now: () => Date; idleMinutes: () => number; onEnd?: (s: StaffSession, reason: SessionEndReason) => void },
  ) {}

  start(connectionId: string, role: StaffRole): StaffSession {
    const existing = this.sessions.get(connectionId);
    if (existing) this.end(connectionId, 'replaced');
    const at = this.options.now().getTime();
    const s: StaffSession = { role, connectionId, startedAt: at, lastActiveAt: at };
    this.sessions.set(connectionId, s);
    return s;
  }

  /** The role signed in on this connection, or undefined; ends the session if it is idle too long. */
  roleFor(connectionId: string, activity: 'active' | 'passive' = 'active'): StaffRole | undefined {
    const s = this.sessions.get(connectionId);
    if (!s) return undefined;
    const now = this.options.now().getTime();
    if (now - s.lastActiveAt >= this.options.idleMinutes() * 60_000) {
      this.end(connectionId, 'idle');
      return undefined;
    }
    if (activity === 'active') s.lastActiveAt = now;
    return s.role;
  }

  get(connectionId: string): StaffSession | undefined {
    return this.sessions.get(connectionId);
  }

  /** Ms left before the idle time-out of this connection's session; undefined without one. */
  remainingMs(connectionId: string): number | undefined {
    const s = this.sessions.get(connectionId);
    if (!s) return undefined;
    return Math.max(0, s.lastActiveAt + this.options.idleMinutes() * 60_000 - this.options.now().getTime());
  }

  end(connectionId: string, reason: SessionEndReason): boolean {
    const s = this.sessions.get(connectionId);
    if (!s) return false;
    this.sessions.delete(connectionId);
    this.options.audit.record({
      actor: s.role,
      action: 'auth.sign-out',
      target: s.role,
      outcome: 'ok',
      detail: { reason, minutes: Math.round((this.options.now().getTime() - s.startedAt) / 60_000) },
    });
    this.options.onEnd?.(s, reason);
    return true;
  }

  /** Ends every session of a role (after its PIN changed), except the one on `keep`. */
  endRole(role: StaffRole, reason: SessionEndReason, keep?: string): number {
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.role === role && s.connectionId !== keep && this.end(s.connectionId, reason)) n++;
    }
    return n;
  }

  /** Ends idle sessions; called from a timer so that an abandoned session is closed and audited on time. */
  sweep(): number {
    let n = 0;
    for (const id of [...this.sessions.keys()]) if (this.roleFor(id, 'passive') === undefined) n++;
    return n;
  }

  active(): StaffSession[] {
    return [...this.sessions.values()].map((s) => ({ ...s }));
  }
}
