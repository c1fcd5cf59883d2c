import { z } from 'zod';

/**
 * The queue (取号) section of the kiosk configuration. Pure zod: shared by the host (main/queue/engine.ts) and the
 * renderer. Service days are local days of the hall (hall.utcOffset, default +08:00); weekdays are ISO 1 (Monday)
 * .. 7 (Sunday); times are local `HH:MM`, and `24:00` is allowed as a closing time.
 */

/** Numeric defaults, in one place so the host, the docs and the tests agree. */
export const QUEUE_DEFAULTS = {
  /** Tickets per category per service day. Range 1..999 (three-digit numbers A001..A999), default 300. */
  dailyQuota: 300,
  /** See `priorityRatio` below. Range 0..20, default 2. */
  priorityRatio: 2,
  /** Tickets per person (keyed by the ID-number HMAC) per category per day. Range 1..20, default 2. */
  maxTicketsPerPersonPerDay: 2,
  /** Service minutes assumed for the wait estimate until 1+ service is finished today. Range 1..240, default 8. */
  defaultServiceMinutes: 8,
  /** A ticket marked 过号 becomes callable again after this many minutes. Range 0..240, default 10. */
  requeueAfterMinutes: 10,
  /** How often one ticket may be re-queued after a no-show before it is closed as 过号. Range 0..5, default 1. */
  maxRequeues: 1,
  /** Check-in opens this many minutes before the appointment slot. Range 0..240, default 30. */
  earlyMinutes: 30,
  /** Check-in closes this many minutes after the slot start. Range 0..240, default 15. */
  lateMinutes: 15,
  /** Person keys (ID HMACs) of tickets and appointments are removed after this many days. Range 1..365, default 30. */
  retentionDays: 30,
  /** Age from which a citizen is given elderly priority (长者优先). Range 55..100, default 65. */
  elderlyAge: 65,
} as const;

const time = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:MM (24 h, 24:00 allowed)');
const date = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD');

/** Minutes after local midnight of an `HH:MM` string (already validated). */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export const QueueHoursSchema = z
  .object({
    /** ISO weekdays 1 (Monday) .. 7 (Sunday). */
    days: z.array(z.number().int().min(1).max(7)).min(1).describe('ISO weekdays 1 (Mon) .. 7 (Sun)'),
    open: time.describe('first ticket, local HH:MM'),
    close: time.describe('service ends, local HH:MM'),
    /** Last ticket is issued before this time (最后取号时间); defaults to `close`. */
    lastTicket: time.optional().describe('last ticket before this local HH:MM; default = close'),
  })
  .superRefine((h, ctx) => {
    if (minutesOfDay(h.open) >= minutesOfDay(h.close)) {
      ctx.addIssue({ code: 'custom', path: ['close'], message: 'must be later than open' });
    }
    if (h.lastTicket !== undefined) {
      const last = minutesOfDay(h.lastTicket);
      if (last <= minutesOfDay(h.open) || last > minutesOfDay(h.close)) {
        ctx.addIssue({ code: 'custom', path: ['lastTicket'], message: 'must be after open and not after close' });
      }
    }
  });

export const QueueCategorySchema = z.object({
  /** Stable id, e.g. `social-security`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'must be 1-41 lowercase letters, digits or dashes'),
  /** One letter A-Z; tickets read A001, A002, ... */
  prefix: z.string().regex(/^[A-Z]$/, 'must be one capital letter A-Z'),
  name: z.object({ 'zh-CN': z.string().min(1), 'zh-TW': z.string().min(1), en: z.string().min(1) }),
  description: z
    .object({ 'zh-CN': z.string().min(1), 'zh-TW': z.string().min(1).optional(), en: z.string().min(1).optional() })
    .optional(),
  /** Window numbers (窗口号) that serve this category, e.g. ['1', '2', '5A']. At least one. */
  windows: z.array(z.string().regex(/^[0-9A-Za-z-]{1,8}$/, 'must be 1-8 letters, digits or dashes')).min(1),
  /** Weekly periods in which tickets are issued. At least one. */
  hours: z.array(QueueHoursSchema).min(1),
  /** Range 1..999, default 300 (see QUEUE_DEFAULTS). */
  dailyQuota: z.number().int().min(1).max(999).default(QUEUE_DEFAULTS.dailyQuota).describe('tickets per day, 1..999, default 300'),
  /** A ticket needs an ID card or code (人证). Default false: offline walk-ins must always be served. */
  idRequired: z.boolean().default(false),
  /**
   * Priority interleaving (绿色通道), range 0..20, default 2. When priority tickets (elderly, disability, pregnancy,
   * military, appointment) and normal tickets both wait in this category, at most `priorityRatio` priority tickets
   * are called in a row, then one normal ticket is called; so a priority citizen is called next unless the last
   * `priorityRatio` calls already went to priority tickets past a waiting normal one, and walk-ins never starve.
   * 0 turns priority off: strict order of queue time.
   */
  priorityRatio: z.number().int().min(0).max(20).default(QUEUE_DEFAULTS.priorityRatio).describe('priority calls in a row while normal tickets wait, 0..20, default 2; 0 = strict order'),
  /** Range 1..20, default 2. Only enforced when an ID number is given (the key is its HMAC). */
  maxTicketsPerPersonPerDay: z.number().int().min(1).max(20).default(QUEUE_DEFAULTS.maxTicketsPerPersonPerDay).describe('tickets per person per day, 1..20, default 2'),
  /** Range 1..240, default 8. Used until services were finished in this category. */
  defaultServiceMinutes: z.number().int().min(1).max(240).default(QUEUE_DEFAULTS.defaultServiceMinutes).describe('assumed service minutes without history, 1..240, default 8'),
});

/** Policies for a receipt printer that cannot print (see `whenPrinterDown`). */
export const WHEN_PRINTER_DOWN = ['screen-ticket', 'refuse'] as const;
export type WhenPrinterDown = (typeof WHEN_PRINTER_DOWN)[number];

export const QueueConfigSchema = z
  .object({
    categories: z.array(QueueCategorySchema).min(1, 'needs at least one category'),
    noShow: z
      .object({
        /** Range 0..240, default 10. */
        requeueAfterMinutes: z.number().int().min(0).max(240).default(QUEUE_DEFAULTS.requeueAfterMinutes).describe('minutes until a no-show is callable again, 0..240, default 10'),
        /** Range 0..5, default 1. 0 = a no-show is final. */
        maxRequeues: z.number().int().min(0).max(5).default(QUEUE_DEFAULTS.maxRequeues).describe('re-queues per ticket, 0..5, default 1'),
      })
      .prefault({}),
    appointments: z
      .object({
        /** Range 0..240, default 30. */
        earlyMinutes: z.number().int().min(0).max(240).default(QUEUE_DEFAULTS.earlyMinutes).describe('check-in opens minutes before the slot, 0..240, default 30'),
        /** Range 0..240, default 15. */
        lateMinutes: z.number().int().min(0).max(240).default(QUEUE_DEFAULTS.lateMinutes).describe('check-in closes minutes after the slot start, 0..240, default 15'),
      })
      .prefault({}),
    /** Range 1..365, default 30. Statistics (events without person keys) are kept. */
    retentionDays: z.number().int().min(1).max(365).default(QUEUE_DEFAULTS.retentionDays).describe('days person keys are kept, 1..365, default 30'),
    priority: z
      .object({
        /** Range 55..100, default 65. */
        elderlyAge: z.number().int().min(55).max(100).default(QUEUE_DEFAULTS.elderlyAge).describe('elderly priority from this age, 55..100, default 65'),
      })
      .prefault({}),
    /** Dates on which no tickets are issued (public holidays), YYYY-MM-DD local. */
    holidays: z.array(date).default([]),
    /** Weekend dates that are working days (调休上班); they use the hours of a Monday (ISO day 1). */
    extraWorkdays: z.array(date).default([]),
    /**
     * What the kiosk does while its receipt printer cannot print (paper end, cover open, unplugged, fault), said
     * on the home screen before a citizen starts: `screen-ticket` (default) issues the number and shows it large on
     * screen to note down or photograph; `refuse` issues nothing and says 暂停出票，请到服务台取号 (the host refuses
     * `ticket.take` and check-in with QUEUE_PRINTER_DOWN too).
     */
    whenPrinterDown: z.enum(WHEN_PRINTER_DOWN).default('screen-ticket').describe("'screen-ticket' (default) or 'refuse' while the receipt printer cannot print"),
  })
  .superRefine((q, ctx) => {
    const ids = new Map<string, number>();
    const prefixes = new Map<string, number>();
    q.categories.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'id'], message: `duplicates categories[${ids.get(c.id)}].id` });
      else ids.set(c.id, i);
      if (prefixes.has(c.prefix)) {
        ctx.addIssue({ code: 'custom', path: ['categories', i, 'prefix'], message: `duplicates categories[${prefixes.get(c.prefix)}].prefix` });
      } else prefixes.set(c.prefix, i);
    });
  });

export type QueueConfig = z.output<typeof QueueConfigSchema>;
export type QueueConfigInput = z.input<typeof QueueConfigSchema>;
export type QueueCategory = z.output<typeof QueueCategorySchema>;
export type QueueHours = z.output<typeof QueueHoursSchema>;

export const PRIORITY_REASONS = ['elderly', 'disability', 'pregnancy', 'military', 'appointment'] as const;
export type PriorityReason = (typeof PRIORITY_REASONS)[number];

/**
 * The national five-level rating of 政务服务好差评 (level 5 best). Levels 2 and 1 are 差评: they need a reason and are
 * followed up (整改). The labels are the national wording.
 */
export const RATING_LEVELS = [
  { level: 5, 'zh-CN': '非常满意', 'zh-TW': '非常滿意', en: 'Very satisfied', bad: false },
  { level: 4, 'zh-CN': '满意', 'zh-TW': '滿意', en: 'Satisfied', bad: false },
  { level: 3, 'zh-CN': '基本满意', 'zh-TW': '基本滿意', en: 'Fairly satisfied', bad: false },
  { level: 2, 'zh-CN': '不满意', 'zh-TW': '不滿意', en: 'Dissatisfied', bad: true },
  { level: 1, 'zh-CN': '非常不满意', 'zh-TW': '非常不滿意', en: 'Very dissatisfied', bad: true },
] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number]['level'];

/** Outcome of a finished service. completed = 办结/受理, consulted = 咨询, materials_missing = 补正 (一次性告知), rejected = 不予受理. */
export const SERVICE_OUTCOMES = ['completed', 'consulted', 'materials_missing', 'rejected'] as const;
export type ServiceOutcome = (typeof SERVICE_OUTCOMES)[number];

/** A small valid sample, used by tests and as a template for hall files. */
export const SAMPLE_QUEUE_CONFIG: QueueConfigInput = {
  categories: [
    {
      id: 'social-security',
      prefix: 'A',
      name: { 'zh-CN': '社保医保', 'zh-TW': '社保醫保', en: 'Social and medical insurance' },
      windows: ['1', '2'],
      hours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00', lastTicket: '16:30' }],
    },
    {
      id: 'household',
      prefix: 'B',
      name: { 'zh-CN': '户政业务', 'zh-TW': '戶政業務', en: 'Household registration' },
      windows: ['3'],
      hours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00', lastTicket: '16:30' }],
      idRequired: true,
    },
  ],
};
