/**
 * The service catalog (办事指南 / 一次性告知): schema of a service item with the standard elements every Guangdong
 * guide carries (名称, 实施主体, 设定依据, 办件类型, 受理条件, 申请材料, 办理流程, 法定/承诺办结时限, 收费, 办理地点,
 * 咨询电话, 办理结果). The same item has the same elements everywhere, so this is a catalog of typed fields rather
 * than free text. Pure module (zod + data): the renderer imports it too.
 *
 * Localisation rule (see `localize` in index.ts):
 *   - `LocalizedName` (item, department, form titles): zh-CN, zh-TW and en are all required.
 *   - `LocalizedText` (every other text): zh-CN and zh-TW required, en optional.
 *   - 'zh-TW' means Traditional script (OpenCC `tw` character forms, mainland vocabulary kept) for 跨境通办 users
 *     from Hong Kong and Macao; it is never derived at display time, so what is printed is what was reviewed.
 *   - A request for 'en' falls back to zh-CN when the text has no English; zh-CN and zh-TW never fall back.
 */
import { z } from 'zod';

/** Display languages of the catalog. */
export const CATALOG_LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
export const CatalogLangSchema = z.enum(CATALOG_LANGS);
export type CatalogLang = z.infer<typeof CatalogLangSchema>;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

/** Short localised text: all three languages required. Each at most 120 characters. */
export const LocalizedNameSchema = z.strictObject({
  'zh-CN': text(120).describe('Simplified Chinese'),
  'zh-TW': text(120).describe('Traditional Chinese (HK/Macao users)'),
  en: text(120).describe('English'),
});
export type LocalizedName = z.infer<typeof LocalizedNameSchema>;

/** Long localised text: zh-CN and zh-TW required, English optional (falls back to zh-CN). At most 1000 characters. */
export const LocalizedTextSchema = z.strictObject({
  'zh-CN': text(1000).describe('Simplified Chinese'),
  'zh-TW': text(1000).describe('Traditional Chinese (HK/Macao users)'),
  en: text(1000).optional().describe('English; when absent, English display shows zh-CN'),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Closed vocabularies. Codes are stable identifiers stored in JSON/CSV; labels are for display and search.

/** 主题 (theme) of an item: the hall's browse-by-topic grid. */
export const THEMES = {
  'social-insurance': { 'zh-CN': '社保', 'zh-TW': '社保', en: 'Social insurance' },
  'medical-insurance': { 'zh-CN': '医保', 'zh-TW': '醫保', en: 'Medical insurance' },
  'housing-fund': { 'zh-CN': '公积金', 'zh-TW': '公積金', en: 'Housing provident fund' },
  'household-registration': { 'zh-CN': '户籍', 'zh-TW': '戶籍', en: 'Household registration & ID' },
  'exit-entry': { 'zh-CN': '出入境', 'zh-TW': '出入境', en: 'Exit & entry' },
  'real-estate': { 'zh-CN': '不动产', 'zh-TW': '不動產', en: 'Real estate' },
  marriage: { 'zh-CN': '婚姻', 'zh-TW': '婚姻', en: 'Marriage' },
  tax: { 'zh-CN': '税务', 'zh-TW': '稅務', en: 'Tax' },
  business: { 'zh-CN': '企业开办', 'zh-TW': '企業開辦', en: 'Starting a business' },
  'civil-affairs': { 'zh-CN': '民政', 'zh-TW': '民政', en: 'Civil affairs' },
  disability: { 'zh-CN': '残联', 'zh-TW': '殘聯', en: 'Disability services' },
  transport: { 'zh-CN': '交通', 'zh-TW': '交通', en: 'Vehicles & driving' },
} as const satisfies Record<string, LocalizedName>;
export type ThemeId = keyof typeof THEMES;
export const ThemeIdSchema = z.enum(Object.keys(THEMES) as [ThemeId, ...ThemeId[]]);

/** 一件事 (life event): services bundled around one event in a citizen's life. */
export const LIFE_EVENTS = {
  newborn: { 'zh-CN': '新生儿出生', 'zh-TW': '新生兒出生', en: 'Birth of a child' },
  retirement: { 'zh-CN': '退休', 'zh-TW': '退休', en: 'Retirement' },
  'start-business': { 'zh-CN': '开办企业', 'zh-TW': '開辦企業', en: 'Starting a business' },
  marriage: { 'zh-CN': '结婚', 'zh-TW': '結婚', en: 'Getting married' },
  'home-purchase': { 'zh-CN': '购房', 'zh-TW': '購房', en: 'Buying a home' },
  'job-loss': { 'zh-CN': '失业', 'zh-TW': '失業', en: 'Losing a job' },
  'settle-in': { 'zh-CN': '迁入落户', 'zh-TW': '遷入落戶', en: 'Moving to the city' },
  'elderly-care': { 'zh-CN': '养老', 'zh-TW': '養老', en: 'Old age' },
  'disability-support': { 'zh-CN': '助残', 'zh-TW': '助殘', en: 'Living with a disability' },
  'cross-border-travel': { 'zh-CN': '出境出行', 'zh-TW': '出境出行', en: 'Travelling abroad' },
  'vehicle-ownership': { 'zh-CN': '购车用车', 'zh-TW': '購車用車', en: 'Owning a vehicle' },
} as const satisfies Record<string, LocalizedName>;
export type LifeEventId = keyof typeof LIFE_EVENTS;
export const LifeEventIdSchema = z.enum(Object.keys(LIFE_EVENTS) as [LifeEventId, ...LifeEventId[]]);

/** 办件类型: 即办件 is decided on the spot; 承诺件 within the promised time limit. */
export const SERVICE_TYPES = {
  immediate: { 'zh-CN': '即办件', 'zh-TW': '即辦件', en: 'Handled on the spot' },
  promised: { 'zh-CN': '承诺件', 'zh-TW': '承諾件', en: 'Handled within a promised time' },
} as const satisfies Record<string, LocalizedName>;
export type ServiceType = keyof typeof SERVICE_TYPES;
export const ServiceTypeSchema = z.enum(['immediate', 'promised']);

/** 材料形式: what the citizen brings. */
export const MATERIAL_FORMS = {
  original: { 'zh-CN': '原件', 'zh-TW': '原件', en: 'Original' },
  copy: { 'zh-CN': '复印件', 'zh-TW': '複印件', en: 'Copy' },
  'original-and-copy': { 'zh-CN': '原件和复印件', 'zh-TW': '原件和複印件', en: 'Original and copy' },
  electronic: { 'zh-CN': '电子证照', 'zh-TW': '電子證照', en: 'Electronic licence' },
} as const satisfies Record<string, LocalizedName>;
export type MaterialForm = keyof typeof MATERIAL_FORMS;
export const MaterialFormSchema = z.enum(['original', 'copy', 'original-and-copy', 'electronic']);

// ---------------------------------------------------------------------------------------------------------------
// Identifiers.

/** Item code: `gd-<theme abbreviation 2-4 letters>-<3 digits>`, e.g. `gd-sb-001`. Stable: never reused. */
export const ServiceItemIdSchema = z
  .string()
  .regex(/^gd-[a-z]{2,4}-\d{3}$/, 'must look like gd-sb-001 (gd-, 2-4 lowercase letters, -, 3 digits)');
/** Kebab-case identifier (forms, departments, queue categories), 2-40 characters. */
export const KebabIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (lowercase letters, digits and hyphens)')
  .min(2)
  .max(40);
/**
 * Telephone number as printed: the 12345 government hotline, or an area-code number `0dd(d)-nnnnnnn(n)`, optional
 * extension `转nnn`. Sample data uses `020-12345xxx`-style numbers: Guangzhou landlines never start with 1, so they
 * cannot reach a real office.
 */
export const PhoneSchema = z
  .string()
  .regex(/^(?:12345|0\d{2,3}-\d{7,8})(?:转\d{1,5})?$/, 'must be 12345 or an area-code number such as 020-12345601');

// ---------------------------------------------------------------------------------------------------------------
// Parts of an item.

/** One required or optional material (申请材料). */
export const MaterialSchema = z.strictObject({
  name: LocalizedTextSchema.describe('Material name as on the official list, e.g. 居民身份证'),
  form: MaterialFormSchema.describe('original | copy | original-and-copy | electronic'),
  copies: z.int().min(1).max(20).describe('How many: of the original(s) shown, or of copies handed in; 1-20'),
  required: z.boolean().describe('true = 必要; false = 容缺/视情形提交 (the note says when)'),
  note: LocalizedTextSchema.optional().describe('When it applies, size, signature, who issues it'),
  exemptIfSharedData: z
    .boolean()
    .optional()
    .describe('免证办: need not be brought when the hall fetches it by data sharing or e-licence; default false'),
});
export type Material = z.infer<typeof MaterialSchema>;

/** One step of the process (办理流程). */
export const ProcessStepSchema = z.strictObject({
  title: LocalizedTextSchema.describe('Short step name, e.g. 申请 / 受理 / 审核 / 办结'),
  detail: LocalizedTextSchema.optional().describe('What happens in this step'),
});
export type ProcessStep = z.infer<typeof ProcessStepSchema>;

/** One fee line: amount in yuan (0.01-1,000,000) and the charging basis. */
export const FeeLineSchema = z.strictObject({
  name: LocalizedTextSchema.describe('What is charged, e.g. 居民身份证工本费'),
  amountCny: z.number().positive().max(1_000_000).describe('Amount in yuan (元), > 0'),
  basis: LocalizedTextSchema.describe('Charging basis (收费依据), e.g. the price bureau document'),
});
export type FeeLine = z.infer<typeof FeeLineSchema>;

/** 收费标准: free (不收费), or one or more charged lines each with its basis. */
export const FeesSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('free'),
    basis: LocalizedTextSchema.optional().describe('Why it is free, when a document says so'),
  }),
  z.strictObject({
    kind: z.literal('charged'),
    items: z.array(FeeLineSchema).min(1).max(10),
  }),
]);
export type Fees = z.infer<typeof FeesSchema>;

/** A printable document attached to an item. */
export const DocumentRefSchema = z.strictObject({
  id: z
    .string()
    .min(2)
    .max(40)
    .describe("blank-form: id of a form in the catalog's `forms`; guide: id of another item whose 一次性告知单 applies"),
  title: LocalizedTextSchema,
  kind: z.enum(['blank-form', 'guide']),
});
export type DocumentRef = z.infer<typeof DocumentRefSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The service item.

/**
 * One service item (政务服务事项) with the standard elements. Time limits are 0-365 days: the legal limit counted as its
 * basis counts it (displayed "N日", e.g. 居民身份证法 60日), the promised limit in working days (displayed
 * "N个工作日"); 0 means on the spot (即办). Invariants: promised ≤ legal; 即办件 ⇔ promised = 0.
 */
export const ServiceItemSchema = z
  .strictObject({
    id: ServiceItemIdSchema.describe('Stable item code, e.g. gd-sb-001'),
    name: LocalizedNameSchema.describe('事项名称, in all three languages'),
    aliases: z
      .array(z.string().trim().min(1).max(40))
      .max(20)
      .optional()
      .describe('Colloquial names used by search only (社保卡, 补办身份证); either script'),
    department: z
      .strictObject({ code: KebabIdSchema, name: LocalizedNameSchema })
      .describe('实施主体: code for browsing, name for display'),
    theme: ThemeIdSchema.describe('Browse theme'),
    lifeEvents: z.array(LifeEventIdSchema).max(6).describe('一件事 this item belongs to; may be empty'),
    basis: z.array(LocalizedTextSchema).min(1).max(12).describe('设定依据: law, regulation and article'),
    serviceType: ServiceTypeSchema.describe('即办件 (immediate) or 承诺件 (promised)'),
    conditions: z.array(LocalizedTextSchema).min(1).max(20).describe('受理条件: who may apply, in which case'),
    materials: z.array(MaterialSchema).min(1).max(40).describe('申请材料: the complete list, in order'),
    process: z.array(ProcessStepSchema).min(1).max(12).describe('办理流程, in order'),
    legalTimeLimitDays: z.int().min(0).max(365).describe('法定办结时限 in days as the legal basis counts them, 0-365; 0 = none beyond on the spot'),
    promisedTimeLimitDays: z.int().min(0).max(365).describe('承诺办结时限 in working days, 0-365; 0 = 即办 (on the spot)'),
    fees: FeesSchema.describe('收费标准'),
    windows: z.array(LocalizedTextSchema).min(1).max(10).describe('办理地点/窗口 in the hall'),
    phone: PhoneSchema.describe('咨询电话'),
    onlineAvailable: z.boolean().describe('Whether it can also be done online (全程网办/网上申请)'),
    onlineChannels: z
      .array(LocalizedTextSchema)
      .max(6)
      .optional()
      .describe('Where online, e.g. 粤省事, 广东政务服务网'),
    result: LocalizedTextSchema.describe('办理结果: what the citizen receives'),
    queueCategoryId: KebabIdSchema.optional().describe('Ticket category that serves this item, if any'),
    documents: z.array(DocumentRefSchema).max(10).optional().describe('Blank forms and related guides to print'),
  })
  .superRefine((item, ctx) => {
    if (item.promisedTimeLimitDays > item.legalTimeLimitDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['promisedTimeLimitDays'],
        message: `promised time limit (${item.promisedTimeLimitDays}) exceeds the legal one (${item.legalTimeLimitDays})`,
      });
    }
    if ((item.serviceType === 'immediate') !== (item.promisedTimeLimitDays === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['serviceType'],
        message: 'an immediate item (即办件) has promisedTimeLimitDays 0, and only it',
      });
    }
    const names = new Set<string>();
    item.materials.forEach((m, i) => {
      if (names.has(m.name['zh-CN'])) {
        ctx.addIssue({ code: 'custom', path: ['materials', i, 'name'], message: `material "${m.name['zh-CN']}" listed twice` });
      }
      names.add(m.name['zh-CN']);
      if (m.form === 'electronic' && m.copies !== 1) {
        ctx.addIssue({ code: 'custom', path: ['materials', i, 'copies'], message: 'an electronic licence has copies 1' });
      }
    });
  });
export type ServiceItem = z.infer<typeof ServiceItemSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Blank forms (空白表格) as data: rendered to A4 by main/catalog/documents.ts.

/** One labelled box on a blank form. */
export const FormFieldSchema = z.strictObject({
  label: LocalizedTextSchema,
  /** Share of the row: full = 1, half = 1/2, third = 1/3. Consecutive fields fill a row left to right. */
  width: z.enum(['full', 'half', 'third']),
  /** text: writing lines; choice: tick boxes for `options`; signature: signature and date; 1-8 lines, default 1. */
  kind: z.enum(['text', 'choice', 'signature']),
  lines: z.int().min(1).max(8).optional(),
  options: z.array(LocalizedTextSchema).min(2).max(8).optional(),
});
export type FormField = z.infer<typeof FormFieldSchema>;

export const BlankFormSchema = z
  .strictObject({
    id: KebabIdSchema,
    title: LocalizedNameSchema,
    /** Who issues the form, printed under the title. */
    issuer: LocalizedTextSchema,
    sections: z
      .array(z.strictObject({ title: LocalizedTextSchema, fields: z.array(FormFieldSchema).min(1).max(30) }))
      .min(1)
      .max(10),
    /** Declaration or filling notes printed at the bottom (填表说明/承诺). */
    notes: z.array(LocalizedTextSchema).max(10).optional(),
  })
  .superRefine((form, ctx) => {
    form.sections.forEach((s, si) =>
      s.fields.forEach((f, fi) => {
        if ((f.kind === 'choice') !== (f.options !== undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'fields', fi, 'options'],
            message: 'a choice field has options, and only a choice field',
          });
        }
      }),
    );
  });
export type BlankForm = z.infer<typeof BlankFormSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The catalog file.

/** Everything of a catalog except its items: the part that CSV (items only) does not carry. */
export const CatalogEnvelopeSchema = z.strictObject({
  schemaVersion: z.literal(1).describe('Format version of this file; 1'),
  sampleData: z.boolean().describe('true = illustrative data, not an official guide; printed on every document'),
  notice: LocalizedTextSchema.describe('Printed under every guide, e.g. the sample-data disclaimer'),
  region: LocalizedNameSchema.describe('Whose catalog this is, e.g. 广州市 (sample)'),
  updatedAt: z.iso.date().describe('Date of the data, YYYY-MM-DD'),
  forms: z.array(BlankFormSchema).max(100).describe('Blank forms the items refer to'),
});
export type CatalogEnvelope = z.infer<typeof CatalogEnvelopeSchema>;

export const CatalogSchema = CatalogEnvelopeSchema.extend({
  items: z.array(ServiceItemSchema).max(2000),
});
export type Catalog = z.infer<typeof CatalogSchema>;
