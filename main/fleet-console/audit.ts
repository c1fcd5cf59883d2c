import { redactValue } from '../core/redact.js';
import type { Db } from '../storage/database.js';

/** Every console action: who, what, on which kiosks, the outcome. Details pass the log redaction as a last guard. */
export class ConsoleAudit {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  record(e: { actor: string; action: string; target: string; outcome: 'ok' | 'denied' | 'failed'; detail?: Record<string, unknown> }): void {
    this.db
      .prepare('INSERT INTO audit (at, actor, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(this.now(), e.actor, e.action, e.target.slice(0, 500), e.outcome, JSON.stringify(redactValue(e.detail ?? {})));
  }

  list(limit = 200): { at: number; actor: string; action: string; target: string; outcome: string; detail: string }[] {
    return this.db.prepare('SELECT at, actor, action, target, outcome, detail FROM audit ORDER BY id DESC LIMIT ?').all(limit) as never;
  }
}
