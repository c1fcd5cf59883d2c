/**
 * Keyword search over the service catalog, built once per catalog (rebuild when the catalog is replaced).
 *
 * A query is split on whitespace into terms; an item matches when every term matches one of its fields. A term
 * matches a field by
 *   - Chinese/any text: substring of the field after folding both to Simplified (OpenCC), lower-casing and dropping
 *     punctuation and spaces, so 社保卡申領, 社保卡申领 and 社保卡 申领 are the same;
 *   - pinyin (ASCII terms of 2+ letters, on names, aliases, theme and life-event labels): full pinyin `shebao`,
 *     initials `sbk` or a mix `shebk`, matched on consecutive characters with pinyin-pro's `match`;
 *   - English (ASCII terms): every word of the term is the prefix of a word of the English text;
 *   - fuzzy (CJK terms of 3+ characters that matched nothing else): share of the term's character pairs found in a
 *     name or alias, at least 60 %.
 * Score of a term on a field = field weight × match quality; an item's score is the sum over terms of the best
 * field per term. Field weights put name hits before alias, theme, department, result, material and condition
 * hits (FIELD_WEIGHTS). Ties keep catalog order.
 */
import { match as pinyinMatch } from 'pinyin-pro';
import {
  LIFE_EVENTS,
  THEMES,
  type LocalizedName,
  type LocalizedText,
  type ServiceItem,
  type ThemeId,
} from '../../kiosk-config/catalog/index.js';
import { foldToSimplified } from './traditional.js';

export type SearchField =
  | 'name'
  | 'alias'
  | 'theme'
  | 'lifeEvent'
  | 'department'
  | 'result'
  | 'material'
  | 'condition'
  | 'process';

export type MatchVia = 'text' | 'pinyin' | 'initials' | 'english' | 'fuzzy';

/** Weight of a hit in each field, 0-100. */
export const FIELD_WEIGHTS: Readonly<Record<SearchField, number>> = {
  name: 100,
  alias: 90,
  theme: 60,
  lifeEvent: 55,
  department: 45,
  result: 35,
  material: 30,
  condition: 20,
  process: 15,
};

/** Fields on which ASCII terms are also tried as pinyin. */
const PINYIN_FIELDS: ReadonlySet<SearchField> = new Set(['name', 'alias', 'theme', 'lifeEvent']);

export interface CatalogSearchOptions {
  /** Maximum hits, 1-100, default 10. */
  limit?: number;
  /** Only items of this theme. */
  theme?: ThemeId;
}

export interface CatalogSearchHit {
  item: ServiceItem;
  /** Sum over terms of weight × quality; higher is better. */
  score: number;
  /** Field of the best-scoring term match. */
  field: SearchField;
  via: MatchVia;
}

interface IndexedField {
  field: SearchField;
  weight: number;
  /** Folded Simplified text without punctuation/spaces, lower case. */
  folded: string;
  /** Simplified text without punctuation, for pinyin matching (only on PINYIN_FIELDS). */
  hanzi?: string;
  /** Lower-case English words, when the field has English. */
  words?: string[];
}

interface IndexedItem {
  item: ServiceItem;
  order: number;
  fields: IndexedField[];
}

interface TermMatch {
  score: number;
  field: SearchField;
  via: MatchVia;
}

const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Search normal form: Simplified, lower case, letters and digits only. */
export function normalizeForSearch(text: string): string {
  return foldToSimplified(text.normalize('NFKC')).toLowerCase().replace(NON_WORD, '');
}

function englishWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

const isAsciiTerm = (term: string) => /^[\x21-\x7e]+$/.test(term);
const HAN = /\p{Script=Han}/u;

export class CatalogSearchIndex {
  private readonly entries: IndexedItem[];

  constructor(items: readonly ServiceItem[]) {
    this.entries = items.map((item, order) => ({ item, order, fields: indexItem(item) }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Ranked hits for `query`; an empty or blank query gives no hits. */
  search(query: string, options: CatalogSearchOptions = {}): CatalogSearchHit[] {
    const limit = options.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError(`limit must be an integer 1-100, got ${limit}`);
    const terms = query
      .normalize('NFKC')
      .split(/\s+/)
      .map((t) => t.trim())
      .filter((t) => normalizeForSearch(t) !== '');
    if (terms.length === 0) return [];

    const hits: (CatalogSearchHit & { order: number })[] = [];
    for (const entry of this.entries) {
      if (options.theme !== undefined && entry.item.theme !== options.theme) continue;
      let total = 0;
      let best: TermMatch | undefined;
      let all = true;
      for (const term of terms) {
        const m = matchTerm(term, entry.fields);
        if (m === undefined) {
          all = false;
          break;
        }
        total += m.score;
        if (best === undefined || m.score > best.score) best = m;
      }
      if (all && best !== undefined) hits.push({ item: entry.item, score: round(total), field: best.field, via: best.via, order: entry.order });
    }
    hits.sort((a, b) => b.score - a.score || a.order - b.order);
    return hits.slice(0, limit).map(({ order: _order, ...hit }) => hit);
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

function indexItem(item: ServiceItem): IndexedField[] {
  const fields: IndexedField[] = [];
  const add = (field: SearchField, text: LocalizedText | LocalizedName | string) => {
    const zh = typeof text === 'string' ? text : text['zh-CN'];
    const en = typeof text === 'string' ? undefined : text.en;
    const simplified = foldToSimplified(zh.normalize('NFKC'));
    const f: IndexedField = { field, weight: FIELD_WEIGHTS[field], folded: simplified.toLowerCase().replace(NON_WORD, '') };
    if (PINYIN_FIELDS.has(field)) f.hanzi = simplified.replace(NON_WORD, '');
    const words = [...englishWords(en ?? ''), ...(typeof text === 'string' ? englishWords(text) : [])];
    if (words.length > 0) f.words = words;
    fields.push(f);
  };
  add('name', item.name);
  for (const a of item.aliases ?? []) add('alias', a);
  add('theme', THEMES[item.theme]);
  for (const e of item.lifeEvents) add('lifeEvent', LIFE_EVENTS[e]);
  add('department', item.department.name);
  add('result', item.result);
  for (const m of item.materials) add('material', m.name);
  for (const c of item.conditions) add('condition', c);
  for (const p of item.process) {
    add('process', p.title);
    if (p.detail !== undefined) add('process', p.detail);
  }
  return fields;
}

function matchTerm(term: string, fields: readonly IndexedField[]): TermMatch | undefined {
  const folded = normalizeForSearch(term);
  const ascii = isAsciiTerm(term);
  let best: TermMatch | undefined;
  const offer = (field: IndexedField, quality: number, via: MatchVia) => {
    const score = field.weight * quality;
    if (best === undefined || score > best.score) best = { score, field: field.field, via };
  };
  for (const f of fields) {
    // Text (any script, folded).
    const at = f.folded.indexOf(folded);
    if (at >= 0) offer(f, f.folded === folded ? 1 : at === 0 ? 0.9 : 0.75, 'text');
    if (!ascii) continue;
    // English words.
    if (f.words !== undefined) {
      const q = englishWords(term);
      if (q.length > 0 && q.every((w) => f.words!.some((fw) => fw.startsWith(w)))) {
        offer(f, f.words[0]!.startsWith(q[0]!) ? 0.85 : 0.8, 'english');
      }
    }
    // Pinyin.
    if (f.hanzi !== undefined && HAN.test(f.hanzi) && /^[a-z]{2,}$/i.test(term)) {
      const q = term.toLowerCase();
      // precision 'first': each character by its whole syllable or its first letter (only the last may be partial),
      // so `shebao` does not match 参保 (shen-bao) and `sbk` matches 社保卡.
      const idx = pinyinMatch(f.hanzi, q, { continuous: true, precision: 'first' });
      if (idx !== null && idx.length > 0) {
        const initials = idx.length === q.length;
        let quality = initials ? 0.8 : 0.85;
        if (idx[0] === 0) quality += 0.05;
        if (idx.length === [...f.hanzi].length) quality += 0.05;
        offer(f, quality, initials ? 'initials' : 'pinyin');
      }
    }
  }
  if (best === undefined && !ascii) {
    const chars = [...folded];
    if (chars.length >= 3 && chars.some((c) => HAN.test(c))) {
      const pairs = chars.slice(0, -1).map((c, i) => c + chars[i + 1]!);
      for (const f of fields) {
        if (f.field !== 'name' && f.field !== 'alias') continue;
        const found = pairs.filter((p) => f.folded.includes(p)).length / pairs.length;
        if (found >= 0.6) offer(f, 0.6 * found, 'fuzzy');
      }
    }
  }
  return best;
}
