import { z } from 'zod';

/** The kiosk's languages: 简体中文, 繁體中文 (Hong Kong / Macao users, 跨境通办) and English. */
export const LANGUAGES = ['zh-CN', 'zh-TW', 'en'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** A text in each language; zh-CN is required, the others fall back to zh-CN when absent. */
export const LocalizedTextSchema = z.object({
  'zh-CN': z.string().min(1, 'needs a Simplified Chinese text'),
  'zh-TW': z.string().min(1).optional(),
  en: z.string().min(1).optional(),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Fallback rule: the asked language, else zh-CN (zh-TW falls back to zh-CN, not to English). */
export function pickText(text: LocalizedText, lang: Language): string {
  return text[lang] ?? text['zh-CN'];
}

/**
 * The text only where it exists in `lang`: an English screen gets undefined for a text with no English (the screen
 * leaves it out or says once that it is in Chinese) instead of a Simplified run mid-page. zh-TW falls back as pickText
 * (the host fills zh-TW by OpenCC conversion, main/catalog/traditional.ts).
 */
export function ownText(text: LocalizedText, lang: Language): string | undefined {
  return lang === 'en' ? text.en : pickText(text, lang);
}
