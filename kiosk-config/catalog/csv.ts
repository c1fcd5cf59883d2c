/**
 * CSV export/import of the catalog's items, for managers who edit the catalog in a spreadsheet. The envelope
 * (sampleData, notice, region, forms...) is not in the CSV: import takes it from the catalog being replaced.
 *
 * File format: RFC 4180 (comma separator, `"` quoting with `""` escapes, cells may span lines), UTF-8. Export writes
 * a BOM and CRLF line ends so that Excel opens Chinese text correctly; import accepts with or without BOM, CRLF or LF.
 * Line 1 is the header, naming exactly the columns below in any order; each following record is one item.
 *
 * Column layout (`CATALOG_CSV_COLUMNS`):
 *   id                                   item code, e.g. gd-sb-001
 *   name.zh-CN, name.zh-TW, name.en      item name (all three required)
 *   aliases                              search aliases separated by `;` (may be empty)
 *   department.code                      kebab-case department code
 *   department.zh-CN/.zh-TW/.en          department name (all three required)
 *   theme                                theme code (social-insurance, housing-fund, ...)
 *   lifeEvents                           life-event codes separated by `;` (may be empty)
 *   serviceType                          immediate | promised
 *   legalTimeLimitDays                   integer 0-365
 *   promisedTimeLimitDays                integer 0-365 (working days)
 *   onlineAvailable                      true | false
 *   onlineChannels                       JSON array of localised texts (may be empty)
 *   phone                                12345 or 0dd-nnnnnnnn
 *   queueCategoryId                      ticket category code (may be empty)
 *   result.zh-CN, result.zh-TW, result.en   what the citizen gets (en may be empty)
 *   basis, conditions, windows           JSON arrays of localised texts: [{"zh-CN":"…","zh-TW":"…","en":"…"}]
 *   materials                            JSON array of materials exactly as in the JSON catalog:
 *                                        [{"name":{"zh-CN":"居民身份证","zh-TW":"居民身份證"},"form":"original",
 *                                          "copies":1,"required":true,"note":{…},"exemptIfSharedData":true}]
 *   process                              JSON array of steps: [{"title":{…},"detail":{…}}]
 *   fees                                 JSON object: {"kind":"free"} or {"kind":"charged","items":[…]}
 *   documents                            JSON array of document references (may be empty)
 * JSON was chosen for the structured cells because every one of them carries localised text: a `name|form|copies`
 * mini-syntax would need escaping rules of its own and could not round-trip notes in two scripts.
 *
 * Import validates every record and reports every bad one with its line number; nothing is imported unless all
 * records are valid (a running kiosk keeps its last good catalog).
 */
import type { Catalog, CatalogEnvelope, LocalizedText, ServiceItem } from './schema.js';
import { rowError, validateEnvelope, validateItems, type CatalogIssue, type CatalogRowError, type CatalogValidation } from './validate.js';

export const CATALOG_CSV_COLUMNS = [
  'id',
  'name.zh-CN',
  'name.zh-TW',
  'name.en',
  'aliases',
  'department.code',
  'department.zh-CN',
  'department.zh-TW',
  'department.en',
  'theme',
  'lifeEvents',
  'serviceType',
  'legalTimeLimitDays',
  'promisedTimeLimitDays',
  'onlineAvailable',
  'onlineChannels',
  'phone',
  'queueCategoryId',
  'result.zh-CN',
  'result.zh-TW',
  'result.en',
  'basis',
  'conditions',
  'windows',
  'materials',
  'process',
  'fees',
  'documents',
] as const;
export type CatalogCsvColumn = (typeof CATALOG_CSV_COLUMNS)[number];

const BOM = '\uFEFF';

// ---------------------------------------------------------------------------------------------------------------
// RFC 4180 cells.

function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  cells: string[];
}

/** Splits CSV text into records. Throws CsvSyntaxError on an unterminated quoted cell or a stray quote. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let cellStarted = false;
  const endRecord = () => {
    cells.push(cell);
    // A blank line (one empty cell) is not a record.
    if (!(cells.length === 1 && cells[0] === '' && !cellStarted)) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    cellStarted = false;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = src[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvSyntaxError(line, 'a quoted cell must be followed by a comma or the end of the line');
        }
        continue;
      }
      if (c === '\n') line++;
      cell += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new CsvSyntaxError(line, 'a quote may only start a cell');
      quoted = true;
      cellStarted = true;
      i++;
      continue;
    }
    if (c === ',') {
      cells.push(cell);
      cell = '';
      cellStarted = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    cell += c;
    cellStarted = true;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted cell is not closed before the end of the file');
  if (cell !== '' || cells.length > 0 || cellStarted) endRecord();
  return records;
}

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return BOM + rows.map((r) => r.map(quoteCell).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Items <-> records.

function itemToCells(item: ServiceItem): Record<CatalogCsvColumn, string> {
  const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));
  return {
    id: item.id,
    'name.zh-CN': item.name['zh-CN'],
    'name.zh-TW': item.name['zh-TW'],
    'name.en': item.name.en,
    aliases: (item.aliases ?? []).join(';'),
    'department.code': item.department.code,
    'department.zh-CN': item.department.name['zh-CN'],
    'department.zh-TW': item.department.name['zh-TW'],
    'department.en': item.department.name.en,
    theme: item.theme,
    lifeEvents: item.lifeEvents.join(';'),
    serviceType: item.serviceType,
    legalTimeLimitDays: String(item.legalTimeLimitDays),
    promisedTimeLimitDays: String(item.promisedTimeLimitDays),
    onlineAvailable: String(item.onlineAvailable),
    onlineChannels: json(item.onlineChannels),
    phone: item.phone,
    queueCategoryId: item.queueCategoryId ?? '',
    'result.zh-CN': item.result['zh-CN'],
    'result.zh-TW': item.result['zh-TW'],
    'result.en': item.result.en ?? '',
    basis: json(item.basis),
    conditions: json(item.conditions),
    windows: json(item.windows),
    materials: json(item.materials),
    process: json(item.process),
    fees: json(item.fees),
    documents: json(item.documents),
  };
}

/** The items of a catalog as CSV text (BOM, CRLF, header row first). */
export function catalogToCsv(catalog: Pick<Catalog, 'items'>): string {
  return toCsv([
    [...CATALOG_CSV_COLUMNS],
    ...catalog.items.map((item) => {
      const cells = itemToCells(item);
      return CATALOG_CSV_COLUMNS.map((c) => cells[c]);
    }),
  ]);
}

/** Builds the raw item object from one record; cell-level problems go to `issues`, the schema checks the rest. */
function cellsToRaw(get: (c: CatalogCsvColumn) => string, issues: CatalogIssue[]): Record<string, unknown> {
  const opt = (c: CatalogCsvColumn) => (get(c) === '' ? undefined : get(c));
  const list = (c: CatalogCsvColumn) =>
    get(c)
      .split(/[;；]/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const int = (c: CatalogCsvColumn): unknown => {
    const s = get(c).trim();
    if (!/^\d+$/.test(s)) {
      issues.push({ path: c, code: 'csv-cell', message: `"${s}" is not a whole number` });
      return undefined;
    }
    return Number(s);
  };
  const bool = (c: CatalogCsvColumn): unknown => {
    const s = get(c).trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    issues.push({ path: c, code: 'csv-cell', message: `"${get(c)}" is neither true nor false` });
    return undefined;
  };
  const json = (c: CatalogCsvColumn, optional = false): unknown => {
    const s = get(c).trim();
    if (s === '' && optional) return undefined;
    try {
      return JSON.parse(s) as unknown;
    } catch (e) {
      issues.push({ path: c, code: 'csv-cell', message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` });
      return undefined;
    }
  };
  const localized = (prefix: 'result'): LocalizedText => {
    const en = opt(`${prefix}.en`);
    return { 'zh-CN': get(`${prefix}.zh-CN`), 'zh-TW': get(`${prefix}.zh-TW`), ...(en === undefined ? {} : { en }) };
  };
  const aliases = list('aliases');
  const channels = json('onlineChannels', true);
  const documents = json('documents', true);
  const queue = opt('queueCategoryId');
  return {
    id: get('id').trim(),
    name: { 'zh-CN': get('name.zh-CN'), 'zh-TW': get('name.zh-TW'), en: get('name.en') },
    ...(aliases.length > 0 ? { aliases } : {}),
    department: {
      code: get('department.code').trim(),
      name: { 'zh-CN': get('department.zh-CN'), 'zh-TW': get('department.zh-TW'), en: get('department.en') },
    },
    theme: get('theme').trim(),
    lifeEvents: list('lifeEvents'),
    basis: json('basis'),
    serviceType: get('serviceType').trim(),
    conditions: json('conditions'),
    materials: json('materials'),
    process: json('process'),
    legalTimeLimitDays: int('legalTimeLimitDays'),
    promisedTimeLimitDays: int('promisedTimeLimitDays'),
    fees: json('fees'),
    windows: json('windows'),
    phone: get('phone').trim(),
    onlineAvailable: bool('onlineAvailable'),
    ...(channels === undefined ? {} : { onlineChannels: channels }),
    result: localized('result'),
    ...(queue === undefined ? {} : { queueCategoryId: queue.trim() }),
    ...(documents === undefined ? {} : { documents }),
  };
}

/**
 * Parses CSV items and validates them into a catalog with the given envelope. Reports, with line numbers: a bad
 * header (index null, line 1), records with the wrong number of cells, cells that are not numbers/booleans/JSON,
 * and every schema or cross-reference problem of each record (one entry per bad record).
 */
export function catalogFromCsv(text: string, envelope: CatalogEnvelope): CatalogValidation {
  const env = validateEnvelope(envelope);
  if (env.envelope === undefined) return { ok: false, errors: [rowError(null, env.issues)] };
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      return { ok: false, errors: [rowError(null, [{ path: '', code: 'csv-shape', message: e.message }], { line: e.line })] };
    }
    throw e;
  }
  const [header, ...rows] = records;
  if (header === undefined) {
    return { ok: false, errors: [rowError(null, [{ path: '', code: 'csv-shape', message: 'the file is empty' }], { line: 1 })] };
  }
  const names = header.cells.map((c) => c.trim());
  const headerIssues: CatalogIssue[] = [];
  const position = new Map<string, number>();
  names.forEach((n, i) => {
    if (!(CATALOG_CSV_COLUMNS as readonly string[]).includes(n)) headerIssues.push({ path: n, code: 'csv-shape', message: `unknown column "${n}"` });
    else if (position.has(n)) headerIssues.push({ path: n, code: 'csv-shape', message: `column "${n}" appears twice` });
    else position.set(n, i);
  });
  for (const c of CATALOG_CSV_COLUMNS) {
    if (!position.has(c)) headerIssues.push({ path: c, code: 'csv-shape', message: `missing column "${c}"` });
  }
  if (headerIssues.length > 0) return { ok: false, errors: [rowError(null, headerIssues, { line: header.line })] };

  const cellIssues: CatalogIssue[][] = [];
  const raws = rows.map((r) => {
    const issues: CatalogIssue[] = [];
    cellIssues.push(issues);
    if (r.cells.length !== names.length) {
      issues.push({ path: '', code: 'csv-shape', message: `has ${r.cells.length} cells, the header has ${names.length}` });
    }
    return cellsToRaw((c) => r.cells[position.get(c)!] ?? '', issues);
  });
  const lines = rows.map((r) => r.line);
  const checked = validateItems(raws, env.envelope, lines);
  // Merge cell-level issues (which come first: they explain the schema issues that follow) into the row report.
  const byIndex = new Map<number, CatalogRowError>(checked.errors.map((e) => [e.index!, e]));
  const errors: CatalogRowError[] = [];
  raws.forEach((raw, i) => {
    const schemaIssues = byIndex.get(i)?.issues ?? [];
    const all = [...cellIssues[i]!, ...schemaIssues.filter((s) => !cellIssues[i]!.some((c) => c.path === s.path))];
    if (all.length > 0) errors.push(rowError(i, all, { id: typeof raw['id'] === 'string' && raw['id'] !== '' ? raw['id'] : undefined, line: lines[i] }));
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, catalog: { ...env.envelope, items: checked.items } };
}
