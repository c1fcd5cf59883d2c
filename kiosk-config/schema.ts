import { z } from 'zod';
import { DevicesSchema } from './devices.js';
import { LANGUAGES, LanguageSchema, LocalizedTextSchema } from './i18n.js';
import { QueueConfigSchema } from './queue.js';
import { CountersSchema } from './counters.js';
import { FleetSchema } from './fleet.js';

/**
 * The kiosk configuration, schema first: every type is inferred from here, every default is set here, and a bad
 * file is reported one sentence per wrong field (see main/config/load.ts). Sample halls: kiosk-config/halls/.
 */

/** Unified site names (广东 2022-2023): county level and up ××政务服务中心, township/street ××便民服务中心,
 *  village/community ××便民服务站. The zh-CN name must end with the suffix of its level. */
export const HALL_LEVELS = {
  center: '政务服务中心',
  'service-center': '便民服务中心',
  station: '便民服务站',
} as const;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (24 h)');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const HallSchema = z
  .object({
    /** Stable id used in ticket tokens and reports, e.g. `conghua-center`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be 2-41 lowercase letters, digits or dashes'),
    name: LocalizedTextSchema,
    level: z.enum(['center', 'service-center', 'station']),
    address: LocalizedTextSchema,
    /** Public phone number shown on screen and tickets. */
    phone: z.string().min(3).max(40),
    /** The hall's UTC offset; service days are local days. Default +08:00 (China Standard Time). */
    utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/, 'must look like +08:00').default('+08:00'),
    /** Attended by staff? Village stations often are not: the kiosk must explain itself. */
    staffed: z.boolean().default(true),
  })
  .superRefine((hall, ctx) => {
    const suffix = HALL_LEVELS[hall.level];
    if (!hall.name['zh-CN'].endsWith(suffix)) {
      ctx.addIssue({
        code: 'custom',
        path: ['name', 'zh-CN'],
        message: `must end with ${suffix} for a hall of level "${hall.level}" (unified naming)`,
      });
    }
  });

export const OpeningHoursSchema = z.object({
  /** Weekly periods; days are ISO weekdays 1 (Monday) .. 7 (Sunday). */
  weekly: z
    .array(z.object({ days: z.array(z.number().int().min(1).max(7)).min(1), open: time, close: time }))
    .min(1, 'needs at least one opening period'),
  /** Closed dates (public holidays). */
  holidays: z.array(date).default([]),
  /** Working days that fall on weekends (调休上班). */
  extraWorkdays: z.array(date).default([]),
});

export const AnnouncementSchema = z.object({
  id: z.string().min(1),
  text: LocalizedTextSchema,
  from: date.optional(),
  to: date.optional(),
});

export const KioskSchema = z
  .object({
    /** This terminal's id in the hall, e.g. `kiosk-01`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be 2-41 lowercase letters, digits or dashes'),
    orientation: z.enum(['portrait', 'landscape']).default('portrait'),
    languages: z.array(LanguageSchema).min(1).default([...LANGUAGES]),
    defaultLanguage: LanguageSchema.default('zh-CN'),
    /** Start in elderly mode (长者模式): larger text, fewer items, slower time-outs, voice on. Default false. */
    elderlyModeDefault: z.boolean().default(false),
    idle: z
      .object({
        /** Seconds without a touch before the citizen's session is reset. Range 30..600, default 90. */
        timeoutSeconds: z.number().int().min(30).max(600).default(90),
        /** Same in elderly mode. Range 60..900, default 180. */
        elderlyTimeoutSeconds: z.number().int().min(60).max(900).default(180),
        /** A visible warning this many seconds before the reset; at least 20. Range 20..60, default 20. */
        warningSeconds: z.number().int().min(20).max(60).default(20),
      })
      .default({ timeoutSeconds: 90, elderlyTimeoutSeconds: 180, warningSeconds: 20 }),
  })
  .superRefine((k, ctx) => {
    if (!k.languages.includes(k.defaultLanguage)) {
      ctx.addIssue({ code: 'custom', path: ['defaultLanguage'], message: 'must be one of the kiosk languages' });
    }
    if (k.idle.warningSeconds >= k.idle.timeoutSeconds) {
      ctx.addIssue({ code: 'custom', path: ['idle', 'warningSeconds'], message: 'must be shorter than idle.timeoutSeconds' });
    }
  });

export const NetworkSchema = z.object({
  /**
   * `host`: this kiosk's SQLite is the hall's queue (source of truth) and it serves /api/v1 on the LAN.
   * `client`: tickets come from the hall's queue host at `url` with this device's bearer token.
   */
  queue: z
    .discriminatedUnion('role', [
      z.object({ role: z.literal('host') }),
      z.object({ role: z.literal('client'), url: z.string().url(), token: z.string().min(16) }),
    ])
    .default({ role: 'host' }),
  /** Devices allowed on the LAN API, each with a bearer token and a role. Tokens: 16+ characters. */
  apiTokens: z
    .array(
      z.object({
        deviceId: z.string().min(1),
        role: z.enum(['kiosk', 'counter', 'display', 'manager']),
        token: z.string().min(16, 'must be at least 16 characters'),
      }),
    )
    .default([]),
  /** Counter caller sign-in: one PIN hash per window (kiosk-config/counters.ts). */
  counters: CountersSchema,
  /**
   * Optional public address of the queue host's ticket follow page, as a phone reaches it (e.g.
   * `https://hall.example.gov.cn/q`, a reverse proxy to the LAN port; http or https, no query, no fragment, no
   * trailing slash needed). When set, a ticket's QR code is `<publicBaseUrl>/t/<token>` and the receipt invites the
   * citizen to follow the queue on a phone; when absent, the QR code stays `HKT:<token>` (kiosk scanners only) and
   * nothing promises phone follow-up.
   */
  publicBaseUrl: z
    .string()
    .url()
    .max(200)
    .refine((u) => /^https?:\/\//i.test(u) && !/[?#]/.test(u), 'must be an http(s) URL without query or fragment')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
});

export const KioskConfigSchema = z.object({
  /** Schema version of this file. */
  configVersion: z.literal(1),
  /** A short name for this configuration, shown on /healthz and the device board. */
  name: z.string().min(1).max(80),
  /**
   * Demo kiosk (default false). Only a demo kiosk has the simulator panel, the sample staff PINs (246810 / 135790),
   * seeded sample appointments and may serve the LAN API on the sample tokens that are public in this repository.
   * `npm start -- --simulate` is demo mode whatever this says. An installation leaves it out (or false): then none of
   * the above exists, whichever devices are simulated.
   */
  demo: z.boolean().default(false),
  /**
   * Demo kiosks only (default true): every category takes tickets at any hour on every day, so a person trying the
   * demo in the evening or on a holiday can walk every flow; the configured hours stay in the file. Set false to try
   * the configured hours in a demo. Ignored when `demo` is off.
   */
  demoOpenAllDay: z.boolean().default(true),
  hall: HallSchema,
  kiosk: KioskSchema,
  openingHours: OpeningHoursSchema,
  announcements: z.array(AnnouncementSchema).default([]),
  queue: QueueConfigSchema,
  devices: DevicesSchema.default({
    idCard: { transport: 'simulated' },
    scanner: { transport: 'simulated' },
    receiptPrinter: { transport: 'simulated', profile: '80mm' },
    callDisplay: { voice: { enabled: true } },
    a4Printer: { queue: 'PDF', maxCopies: 5 },
  }),
  network: NetworkSchema.default({ queue: { role: 'host' }, apiTokens: [], counters: [] }),
  /** Fleet agent over MQTT 5 (kiosk-config/fleet.ts); absent = off. */
  fleet: FleetSchema.optional(),
});

export type KioskConfig = z.infer<typeof KioskConfigSchema>;
export type KioskConfigInput = z.input<typeof KioskConfigSchema>;
export type Hall = z.infer<typeof HallSchema>;
