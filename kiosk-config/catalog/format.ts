/**
 * Display helpers shared by the touch UI, the receipt checklist and the A4 guide: localisation with the documented
 * fallback, and the standard phrasing of forms, fees and time limits. Pure.
 */
import {
  LIFE_EVENTS,
  MATERIAL_FORMS,
  SERVICE_TYPES,
  THEMES,
  type CatalogLang,
  type Fees,
  type LifeEventId,
  type LocalizedName,
  type LocalizedText,
  type Material,
  type ServiceType,
  type ThemeId,
} from './schema.js';

/**
 * The text in `lang`. Fallback rule: 'en' falls back to 'zh-CN' when the text has no English; 'zh-CN' and 'zh-TW'
 * are required by the schema and never fall back.
 */
export function localize(text: LocalizedText | LocalizedName, lang: CatalogLang): string {
  switch (lang) {
    case 'zh-CN':
      return text['zh-CN'];
    case 'zh-TW':
      return text['zh-TW'];
    case 'en':
      return text.en ?? text['zh-CN'];
    default: {
      const never: never = lang;
      throw new Error(`unknown catalog language ${String(never)}`);
    }
  }
}

/** Fixed words of guides and checklists, in the three languages. */
export const CATALOG_LABELS = {
  guideTitle: { 'zh-CN': '一次性告知单', 'zh-TW': '一次性告知單', en: 'One-time notification' },
  checklistTitle: { 'zh-CN': '一次性告知·材料清单', 'zh-TW': '一次性告知·材料清單', en: 'Checklist of materials' },
  basicInfo: { 'zh-CN': '基本信息', 'zh-TW': '基本信息', en: 'Basic information' },
  itemCode: { 'zh-CN': '事项编码', 'zh-TW': '事項編碼', en: 'Item code' },
  department: { 'zh-CN': '实施部门', 'zh-TW': '實施部門', en: 'Department' },
  serviceType: { 'zh-CN': '办件类型', 'zh-TW': '辦件類型', en: 'Type' },
  legalLimit: { 'zh-CN': '法定办结时限', 'zh-TW': '法定辦結時限', en: 'Legal time limit' },
  promisedLimit: { 'zh-CN': '承诺办结时限', 'zh-TW': '承諾辦結時限', en: 'Promised time limit' },
  fees: { 'zh-CN': '收费标准', 'zh-TW': '收費標準', en: 'Fees' },
  windows: { 'zh-CN': '办理地点', 'zh-TW': '辦理地點', en: 'Where' },
  phone: { 'zh-CN': '咨询电话', 'zh-TW': '諮詢電話', en: 'Phone' },
  online: { 'zh-CN': '网上办理', 'zh-TW': '網上辦理', en: 'Online' },
  result: { 'zh-CN': '办理结果', 'zh-TW': '辦理結果', en: 'Result' },
  basis: { 'zh-CN': '设定依据', 'zh-TW': '設定依據', en: 'Legal basis' },
  conditions: { 'zh-CN': '受理条件', 'zh-TW': '受理條件', en: 'Conditions' },
  materials: { 'zh-CN': '申请材料', 'zh-TW': '申請材料', en: 'Materials' },
  process: { 'zh-CN': '办理流程', 'zh-TW': '辦理流程', en: 'Process' },
  related: { 'zh-CN': '相关表格与指南', 'zh-TW': '相關表格與指南', en: 'Related forms and guides' },
  no: { 'zh-CN': '序号', 'zh-TW': '序號', en: 'No.' },
  materialName: { 'zh-CN': '材料名称', 'zh-TW': '材料名稱', en: 'Material' },
  formAndCopies: { 'zh-CN': '形式及份数', 'zh-TW': '形式及份數', en: 'Form, copies' },
  requiredCol: { 'zh-CN': '必要性', 'zh-TW': '必要性', en: 'Required' },
  note: { 'zh-CN': '备注', 'zh-TW': '備註', en: 'Note' },
  required: { 'zh-CN': '必交', 'zh-TW': '必交', en: 'required' },
  optional: { 'zh-CN': '视情形', 'zh-TW': '視情形', en: 'if applicable' },
  exempt: { 'zh-CN': '可免提交（数据共享）', 'zh-TW': '可免提交（數據共享）', en: 'not needed if data is shared' },
  yes: { 'zh-CN': '可以', 'zh-TW': '可以', en: 'Yes' },
  notOnline: { 'zh-CN': '仅窗口办理', 'zh-TW': '僅窗口辦理', en: 'At the window only' },
  onTheSpot: { 'zh-CN': '即办', 'zh-TW': '即辦', en: 'on the spot' },
  free: { 'zh-CN': '不收费', 'zh-TW': '不收費', en: 'Free' },
  sample: { 'zh-CN': '样例数据', 'zh-TW': '樣例數據', en: 'Sample data' },
  page: { 'zh-CN': '第 {n}/{total} 页', 'zh-TW': '第 {n}/{total} 頁', en: 'Page {n}/{total}' },
  printedAt: { 'zh-CN': '打印时间', 'zh-TW': '打印時間', en: 'Printed' },
} as const satisfies Record<string, LocalizedName>;
export type CatalogLabel = keyof typeof CATALOG_LABELS;

export function label(key: CatalogLabel, lang: CatalogLang): string {
  return localize(CATALOG_LABELS[key], lang);
}
export function themeLabel(theme: ThemeId, lang: CatalogLang): string {
  return localize(THEMES[theme], lang);
}
export function lifeEventLabel(event: LifeEventId, lang: CatalogLang): string {
  return localize(LIFE_EVENTS[event], lang);
}
export function serviceTypeLabel(type: ServiceType, lang: CatalogLang): string {
  return localize(SERVICE_TYPES[type], lang);
}

/** "原件1份", "复印件2份", "原件和复印件各1份", "电子证照" (and the English equivalents). */
export function formatMaterialForm(material: Pick<Material, 'form' | 'copies'>, lang: CatalogLang): string {
  const form = localize(MATERIAL_FORMS[material.form], lang);
  const n = material.copies;
  if (lang === 'en') {
    switch (material.form) {
      case 'electronic':
        return form;
      case 'original-and-copy':
        return `${form}, ${n} each`;
      case 'original':
      case 'copy':
        return `${form} ×${n}`;
      default: {
        const never: never = material.form;
        throw new Error(`unknown material form ${String(never)}`);
      }
    }
  }
  switch (material.form) {
    case 'electronic':
      return form;
    case 'original-and-copy':
      return `${form}各${n}份`;
    case 'original':
    case 'copy':
      return `${form}${n}份`;
    default: {
      const never: never = material.form;
      throw new Error(`unknown material form ${String(never)}`);
    }
  }
}

/** Amount in yuan without trailing zeros: 20 → "20元", 12.5 → "12.5元" ("CNY 20" in English). */
export function formatAmount(amountCny: number, lang: CatalogLang): string {
  const s = Number.isInteger(amountCny) ? String(amountCny) : amountCny.toFixed(2).replace(/0$/, '');
  return lang === 'en' ? `CNY ${s}` : `${s}元`;
}

/** One line per fee: "不收费" or "居民身份证工本费 20元"; the basis is not included (see the guide). */
export function formatFeeLines(fees: Fees, lang: CatalogLang): string[] {
  switch (fees.kind) {
    case 'free':
      return [label('free', lang)];
    case 'charged':
      return fees.items.map((f) => `${localize(f.name, lang)} ${formatAmount(f.amountCny, lang)}`);
    default: {
      const never: never = fees;
      throw new Error(`unknown fee kind ${JSON.stringify(never)}`);
    }
  }
}

/** Legal time limit: "60日" / "60 days"; 0 → "即办". */
export function formatLegalLimit(days: number, lang: CatalogLang): string {
  if (days === 0) return label('onTheSpot', lang);
  return lang === 'en' ? `${days} days` : `${days}日`;
}

/** Promised time limit: "15个工作日" / "15 working days"; 0 → "即办". */
export function formatPromisedLimit(days: number, lang: CatalogLang): string {
  if (days === 0) return label('onTheSpot', lang);
  if (lang === 'en') return `${days} working day${days === 1 ? '' : 's'}`;
  return lang === 'zh-TW' ? `${days}個工作日` : `${days}个工作日`;
}

/** Replaces `{name}` placeholders of a label. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
