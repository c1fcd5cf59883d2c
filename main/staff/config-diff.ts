/**
 * Field-level difference of two JSON documents (two config versions), for the manager's compare view. Objects are
 * compared key by key; arrays of objects with an `id` are matched by id (so moving a queue category is not "every
 * field changed"), other arrays index by index. Paths use the config problems' notation: `queue.categories[1].prefix`,
 * and for id-matched arrays `queue.categories[social-security].prefix`.
 */
export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffEntry {
  path: string;
  kind: DiffKind;
  before?: unknown;
  after?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

function idOf(v: unknown): string | undefined {
  return isObject(v) && typeof v['id'] === 'string' ? v['id'] : undefined;
}

export function diffJson(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (Object.is(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const out: DiffEntry[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const k of keys) {
      const p = join(path, k);
      if (!(k in after)) out.push({ path: p, kind: 'removed', before: before[k] });
      else if (!(k in before)) out.push({ path: p, kind: 'added', after: after[k] });
      else out.push(...diffJson(before[k], after[k], p));
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const byId = before.length + after.length > 0 && [...before, ...after].every((v) => idOf(v) !== undefined);
    const out: DiffEntry[] = [];
    if (byId) {
      const a = new Map(before.map((v) => [idOf(v)!, v] as const));
      const b = new Map(after.map((v) => [idOf(v)!, v] as const));
      for (const [id, v] of a) {
        const p = `${path}[${id}]`;
        if (!b.has(id)) out.push({ path: p, kind: 'removed', before: v });
        else out.push(...diffJson(v, b.get(id), p));
      }
      for (const [id, v] of b) if (!a.has(id)) out.push({ path: `${path}[${id}]`, kind: 'added', after: v });
      const orderA = before.map(idOf).filter((id) => b.has(id!));
      const orderB = after.map(idOf).filter((id) => a.has(id!));
      if (orderA.join('\u0000') !== orderB.join('\u0000')) out.push({ path: `${path}(order)`, kind: 'changed', before: orderA, after: orderB });
      return out;
    }
    if (before.every((v) => !isObject(v) && !Array.isArray(v)) && after.every((v) => !isObject(v) && !Array.isArray(v))) {
      // Lists of scalars (windows, holidays, languages) read best as one changed value.
      return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, kind: 'changed', before, after }];
    }
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}[${i}]`;
      if (i >= after.length) out.push({ path: p, kind: 'removed', before: before[i] });
      else if (i >= before.length) out.push({ path: p, kind: 'added', after: after[i] });
      else out.push(...diffJson(before[i], after[i], p));
    }
    return out;
  }
  return [{ path: path || '(root)', kind: 'changed', before: before as Json, after: after as Json }];
}
