/**
 * Validation of a whole catalog, as imported by the manager console from JSON or CSV. The report has one entry per
 * bad row (item), plus one for the file's envelope (`index: null`), so that the console can show "row 7 (gd-sb-003):
 * ..." and the manager can fix every problem in one pass. Cross-references are checked too: unique item and form
 * ids, blank-form documents that name a form of the catalog, guide documents that name another item.
 */
import type { z } from 'zod';
import {
  CatalogEnvelopeSchema,
  ServiceItemSchema,
  type Catalog,
  type CatalogEnvelope,
  type ServiceItem,
} from './schema.js';

export interface CatalogIssue {
  /** Dotted path inside the row, e.g. `materials[2].copies`; '' for the row itself. */
  path: string;
  /** zod issue code, or one of: duplicate-id, unknown-form, unknown-item, self-reference, csv-cell, csv-shape. */
  code: string;
  message: string;
}

export interface CatalogRowError {
  /** Index of the item in `items` (0-based), or null for the envelope / CSV header. */
  index: number | null;
  /** The row's id when it could be read. */
  id?: string;
  /** CSV only: 1-based line where the record starts (the header is line 1). */
  line?: number;
  /** Path of the first issue (see CatalogIssue.path). */
  path: string;
  /** One sentence naming the row and every problem in it. */
  message: string;
  issues: CatalogIssue[];
}

export type CatalogValidation = { ok: true; catalog: Catalog } | { ok: false; errors: CatalogRowError[] };

/** `['materials', 2, 'copies']` → `materials[2].copies`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): CatalogIssue[] {
  return error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), code: i.code, message: i.message }));
}

export function rowError(
  index: number | null,
  issues: CatalogIssue[],
  extra: { id?: string | undefined; line?: number | undefined } = {},
): CatalogRowError {
  const where =
    index === null
      ? extra.line !== undefined
        ? `Line ${extra.line}`
        : 'Catalog'
      : `${extra.line !== undefined ? `Line ${extra.line}` : `Item ${index + 1}`}${extra.id !== undefined ? ` (${extra.id})` : ''}`;
  const parts = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
  const error: CatalogRowError = {
    index,
    path: issues[0]?.path ?? '',
    message: `${where}: ${parts.join('; ')}.`,
    issues,
  };
  if (extra.id !== undefined) error.id = extra.id;
  if (extra.line !== undefined) error.line = extra.line;
  return error;
}

function readId(raw: unknown): string | undefined {
  if (raw !== null && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

/**
 * Validates the items of a catalog against the schema and against each other and the envelope's forms.
 * `lines[i]`, when given, is the CSV line of item i and is carried into the report.
 */
export function validateItems(
  rawItems: readonly unknown[],
  envelope: { forms: readonly { id: string }[] },
  lines?: readonly number[],
): { items: ServiceItem[]; errors: CatalogRowError[] } {
  const issuesByRow = new Map<number, CatalogIssue[]>();
  const push = (i: number, issue: CatalogIssue) => {
    const list = issuesByRow.get(i) ?? [];
    list.push(issue);
    issuesByRow.set(i, list);
  };
  const parsed: (ServiceItem | undefined)[] = rawItems.map((raw, i) => {
    const r = ServiceItemSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of zodIssues(r.error)) push(i, issue);
      return undefined;
    }
    return r.data;
  });

  const firstIndexOfId = new Map<string, number>();
  rawItems.forEach((raw, i) => {
    const id = readId(raw);
    if (id === undefined) return;
    const first = firstIndexOfId.get(id);
    if (first === undefined) firstIndexOfId.set(id, i);
    else push(i, { path: 'id', code: 'duplicate-id', message: `id ${id} is already used by item ${first + 1}` });
  });

  const formIds = new Set(envelope.forms.map((f) => f.id));
  parsed.forEach((item, i) => {
    if (item === undefined) return;
    (item.documents ?? []).forEach((doc, d) => {
      const path = `documents[${d}].id`;
      switch (doc.kind) {
        case 'blank-form':
          if (!formIds.has(doc.id)) push(i, { path, code: 'unknown-form', message: `no form with id ${doc.id} in the catalog` });
          break;
        case 'guide':
          if (doc.id === item.id) push(i, { path, code: 'self-reference', message: 'a guide document names another item, not the item itself' });
          else if (!firstIndexOfId.has(doc.id)) push(i, { path, code: 'unknown-item', message: `no item with id ${doc.id} in the catalog` });
          break;
        default: {
          const never: never = doc.kind;
          throw new Error(`unknown document kind ${String(never)}`);
        }
      }
    });
  });

  const errors = [...issuesByRow.entries()]
    .sort(([a], [b]) => a - b)
    .map(([i, issues]) => rowError(i, issues, { id: readId(rawItems[i]), line: lines?.[i] }));
  return { items: errors.length === 0 ? (parsed as ServiceItem[]) : [], errors };
}

/** Validates the envelope (everything but items) and checks that form ids are unique. */
export function validateEnvelope(raw: unknown): { envelope?: CatalogEnvelope; issues: CatalogIssue[] } {
  const r = CatalogEnvelopeSchema.safeParse(raw);
  if (!r.success) return { issues: zodIssues(r.error) };
  const issues: CatalogIssue[] = [];
  const seen = new Set<string>();
  r.data.forms.forEach((f, i) => {
    if (seen.has(f.id)) issues.push({ path: `forms[${i}].id`, code: 'duplicate-id', message: `form id ${f.id} is used twice` });
    seen.add(f.id);
  });
  return issues.length === 0 ? { envelope: r.data, issues } : { issues };
}

/**
 * Validates a parsed JSON catalog. Never throws on bad input: every problem is in the report, one entry per bad
 * row, the envelope's problems in an entry with `index: null`.
 */
export function validateCatalog(json: unknown): CatalogValidation {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, errors: [rowError(null, [{ path: '', code: 'invalid_type', message: 'a catalog is a JSON object' }])] };
  }
  const { items: rawItems, ...rest } = json as Record<string, unknown>;
  const errors: CatalogRowError[] = [];
  const env = validateEnvelope(rest);
  if (!Array.isArray(rawItems)) {
    env.issues.push({ path: 'items', code: 'invalid_type', message: 'items must be an array' });
  }
  if (env.issues.length > 0) errors.push(rowError(null, env.issues));
  if (Array.isArray(rawItems)) {
    const r = validateItems(rawItems, { forms: env.envelope?.forms ?? formsForCrossCheck(rest) });
    errors.push(...r.errors);
    if (errors.length === 0 && env.envelope !== undefined) return { ok: true, catalog: { ...env.envelope, items: r.items } };
  }
  return { ok: false, errors };
}

/** When the envelope is invalid, still cross-check items against whatever form ids can be read. */
function formsForCrossCheck(rest: Record<string, unknown>): { id: string }[] {
  const forms = rest['forms'];
  if (!Array.isArray(forms)) return [];
  return forms.flatMap((f) => {
    const id = readId(f);
    return id === undefined ? [] : [{ id }];
  });
}
