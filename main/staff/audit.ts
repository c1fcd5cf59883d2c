import { redactValue } from '../core/redact.js';
import type { Db } from '../storage/database.js';

/**
 * The staff audit trail (audit_log, migration 0001): who (a staff role, `system`, or a connection), what (an action
 * name such as `auth.sign-in`), when, the outcome and a small detail object. Never a citizen's personal data: the
 * detail passes through the log redaction as a last guard, and callers pass only ids, counts and field paths.
 */
export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome;
  detail: string;
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  record(entry: { actor: string; action: string; target?: string; outcome: AuditOutcome; detail?: Record<string, unknown> }): number {
    const detail = JSON.stringify(redactValue(entry.detail ?? {}));
    const r = this.db
      .prepare(`INSERT INTO audit_log (at, actor, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(this.now().getTime(), entry.actor, entry.action, entry.target ?? '', entry.outcome, detail);
    return Number(r.lastInsertRowid);
  }

  list(filter: { limit?: number; action?: string; sinceId?: number } = {}): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT id, at, actor, action, target, outcome, detail FROM audit_log
         WHERE (@action IS NULL OR action = @action OR action LIKE @action || '.%') AND id > @sinceId
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ action: filter.action ?? null, sinceId: filter.sinceId ?? 0, limit: filter.limit ?? 200 }) as AuditRow[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
