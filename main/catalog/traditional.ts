/**
 * Simplified/Traditional conversion with OpenCC (opencc-js): `foldToSimplified` normalises search text so that a
 * query typed in Traditional (HK/TW forms) or mixed script finds Simplified catalog text; `fillTraditional` fills the
 * zh-TW of catalog texts authored in zh-CN only (manager import), which a reviewer then checks.
 */
import * as OpenCC from 'opencc-js';

const toTraditionalRaw = OpenCC.Converter({ from: 'cn', to: 'tw' });
const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Known mis-conversions of OpenCC's character-level fallback in government text (发 in 换发/核发/签发 is 發, not 髮).
 */
const TRADITIONAL_FIXES: readonly (readonly [string, string])[] = [
  ['換髮', '換發'],
  ['核髮', '核發'],
  ['簽髮', '簽發'],
  ['補髮', '補發'],
  ['頒髮', '頒發'],
];

/** Simplified → Traditional (Taiwan character forms, mainland vocabulary kept: 身份证 → 身份證, not 身分證). */
export function toTraditional(text: string): string {
  let out = toTraditionalRaw(text);
  for (const [bad, good] of TRADITIONAL_FIXES) out = out.replaceAll(bad, good);
  return out;
}

/** Any script → Simplified, for comparison only (HK and TW variant forms both folded). Idempotent on Simplified. */
export function foldToSimplified(text: string): string {
  return fromHongKong(fromTaiwan(text));
}

/**
 * Returns a deep copy of `raw` in which every object that has a string 'zh-CN' and no 'zh-TW' gets
 * 'zh-TW' = toTraditional(zh-CN). Other values are copied unchanged; nothing is validated here.
 */
export function fillTraditional(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(fillTraditional);
  if (raw === null || typeof raw !== 'object') return raw;
  const obj = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = fillTraditional(v);
  const cn = obj['zh-CN'];
  if (typeof cn === 'string' && !('zh-TW' in obj)) out['zh-TW'] = toTraditional(cn);
  return out;
}

/**
 * A config text (hall name, address, announcement, category description) with its zh-TW filled by conversion when
 * the hall authored only zh-CN: a 繁體 screen never shows Simplified text because a field was left out.
 */
export function withTraditional<T extends { 'zh-CN': string; 'zh-TW'?: string | undefined }>(text: T): T & { 'zh-TW': string } {
  return { ...text, 'zh-TW': text['zh-TW'] ?? toTraditional(text['zh-CN']) };
}
