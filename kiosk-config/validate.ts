import type { z } from 'zod';
import { KioskConfigSchema, type KioskConfig } from './schema.js';

export interface ConfigProblem {
  /** Dotted path of the field, e.g. `hall.name.zh-CN` or `queue.categories[2].prefix`. */
  path: string;
  /** One human sentence, e.g. `hall.name.zh-CN must end with 便民服务站 ...`. */
  sentence: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(the file)';
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.map((issue) => {
    const path = formatPath(issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'is missing';
    else if (issue.code === 'unrecognized_keys') message = `has unknown field(s) ${issue.keys.join(', ')}`;
    return { path, sentence: `${path}: ${message}.`.replace(/\.\.$/, '.') };
  });
}

/** Pure validation shared by the host (loading files, the manager's editor) and tests. */
export function validateKioskConfig(raw: unknown): { ok: true; config: KioskConfig } | { ok: false; problems: ConfigProblem[] } {
  const r = KioskConfigSchema.safeParse(raw);
  if (r.success) return { ok: true, config: r.data };
  return { ok: false, problems: issuesToProblems(r.error.issues) };
}
