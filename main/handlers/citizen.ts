import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DriverError } from '../../drivers/errors.js';
import type { PrinterProfile } from '../../drivers/escpos/profiles.js';
import {
  LIFE_EVENTS,
  THEMES,
  departmentGroups,
  findItem,
  itemsByDepartment,
  itemsByLifeEvent,
  itemsByTheme,
  materialChecklistLines,
  type Catalog,
  type LifeEventId,
  type ServiceItem,
  type ThemeId,
} from '../../kiosk-config/catalog/index.js';
import type { Language } from '../../kiosk-config/i18n.js';
import { minutesOfDay, type QueueCategory } from '../../kiosk-config/queue.js';
import { renderBlankFormPdf, renderGuidePdf } from '../catalog/documents.js';
import { CatalogSearchIndex } from '../catalog/search.js';
import type {
  A4JobState,
  CategoryAvailability,
  CategoryClosedReason,
  CitizenTicket,
  DocumentPreview,
  GuideGroup,
  GuideSummary,
  HelpRequestView,
  PrintableDocument,
  ReceiptPrintOutcome,
  RequestParsed,
} from '../contract/index.js';
import type { Handlers } from '../core/dispatcher.js';
import type { KioskServices } from '../core/kiosk-services.js';
import { HostError } from '../errors.js';
import type { CheckInInput, IssuedTicket, IssueTicketInput, QueueSnapshot, RateInput, RatingView } from '../queue/engine.js';
import { HallTime } from '../queue/hall-time.js';
import { checklistReceipt, ticketReceipt, type ReceiptContext } from './ticket-receipt.js';

type CitizenHandlerNames =
  | 'queue.categories'
  | 'ticket.take'
  | 'ticket.print'
  | 'checkin.appointment'
  | 'guide.groups'
  | 'guide.list'
  | 'guide.search'
  | 'guide.item'
  | 'guide.printChecklist'
  | 'documents.list'
  | 'documents.preview'
  | 'documents.print'
  | 'documents.job'
  | 'rating.ticket'
  | 'rating.submit'
  | 'help.request'
  | 'help.list'
  | 'help.update';

/** The queue operations the citizen flows use: the local QueueEngine or a remote client with the same calls. */
export interface CitizenQueue {
  issueTicket(input: IssueTicketInput): IssuedTicket | Promise<IssuedTicket>;
  getTicket(ref: { ticketId: number } | { token: string }): IssuedTicket | Promise<IssuedTicket>;
  checkIn(input: CheckInInput): Promise<IssuedTicket & { appointment: { slotStart: string; alreadyCheckedIn: boolean } }>;
  rate(input: RateInput): RatingView | Promise<RatingView>;
  snapshot(): QueueSnapshot | Promise<QueueSnapshot>;
}

export interface CitizenA4 {
  printA4(pdf: Buffer, options: { copies: number; title: string }): Promise<{ jobId: string }>;
  a4Job(jobId: string): Promise<{ state: A4JobState; reason?: string }>;
}

export interface CitizenReceipts {
  printReceipt(bytes: Uint8Array): Promise<ReceiptPrintOutcome>;
  receiptProfile(): PrinterProfile;
}

/** What the handlers need besides KioskServices' own members; resolved once per services object. */
export interface CitizenDeps {
  queue: CitizenQueue;
  catalog: Catalog;
  search: CatalogSearchIndex;
  receipts: CitizenReceipts;
  a4: CitizenA4;
  /** Renders PDF pages to PNG data: URLs (pdftoppm); injectable for tests. */
  previewPages?: (pdf: Buffer, maxPages: number) => Promise<string[]>;
}

/** Tickets issued or checked in at this kiosk, by id: only these may be (re)printed or rated by id. */
const SESSION_TICKET_TTL_MS = 30 * 60_000;
const SESSION_TICKET_MAX = 20;

export function createCitizenHandlers(services: KioskServices, deps: CitizenDeps = resolveDeps(services)): Pick<Handlers, CitizenHandlerNames> {
  const config = () => services.currentConfig;
  const hallTime = () => new HallTime(config().hall.utcOffset);
  const sessionTickets = new Map<number, { ticket: CitizenTicket; at: number }>();
  // A session's tickets may be reprinted or rated by id only within that session: forget them when it ends.
  services.session.onWipe(() => sessionTickets.clear());
  const pdfCache = new Map<string, Buffer>();
  let pdfCacheCatalog: Catalog | undefined;

  const remember = (t: CitizenTicket) => {
    const now = services.now().getTime();
    for (const [id, e] of sessionTickets) if (now - e.at > SESSION_TICKET_TTL_MS) sessionTickets.delete(id);
    sessionTickets.set(t.ticketId, { ticket: t, at: now });
    while (sessionTickets.size > SESSION_TICKET_MAX) sessionTickets.delete(sessionTickets.keys().next().value!);
    return t;
  };
  const sessionTicket = (ticketId: number): CitizenTicket => {
    const e = sessionTickets.get(ticketId);
    if (!e || services.now().getTime() - e.at > SESSION_TICKET_TTL_MS) {
      throw new HostError('QUEUE_TICKET_UNKNOWN', `ticket ${ticketId} was not issued in this session`);
    }
    return e.ticket;
  };
  const categoryOf = (id: string): QueueCategory => {
    const c = config().queue.categories.find((x) => x.id === id);
    if (!c) throw new HostError('QUEUE_CATEGORY_UNKNOWN', `no category ${id}`);
    return c;
  };
  const toCitizen = (t: IssuedTicket, appointment?: CitizenTicket['appointment']): CitizenTicket => ({
    ticketId: t.id,
    number: t.number,
    categoryId: t.categoryId,
    categoryName: categoryOf(t.categoryId).name,
    priority: t.priority,
    peopleAhead: t.peopleAhead,
    estimatedWaitMinutes: t.estimatedWaitMinutes,
    issuedAt: t.issuedAt,
    status: t.status,
    qrPayload: t.qrPayload,
    ...(appointment ? { appointment } : {}),
  });
  const receiptContext = (lang: Language): ReceiptContext => ({
    hallName: config().hall.name,
    lang,
    profile: deps.receipts.receiptProfile(),
    utcOffset: config().hall.utcOffset,
    now: services.now(),
  });
  /** The code a ticket or appointment reference points at: given by the renderer, or the session's last scan. */
  const codeOf = (ref: { code: string } | { scanned: true }): string => {
    if ('code' in ref) return ref.code;
    const scan = services.session.lastScan();
    if (!scan) throw new HostError('BAD_REQUEST', 'no code was scanned in this session');
    return scan.payload;
  };
  const ticketFrom = async (ref: RequestParsed<'rating.ticket'>['ticket']): Promise<IssuedTicket> => {
    if ('ticketId' in ref) {
      sessionTicket(ref.ticketId);
      return deps.queue.getTicket({ ticketId: ref.ticketId });
    }
    const code = codeOf(ref);
    if (!code.startsWith('HKT:')) throw new HostError('QUEUE_TICKET_UNKNOWN', 'the scanned code is not a queue ticket');
    return deps.queue.getTicket({ token: code });
  };
  const pdfFor = async (id: string, lang: Language): Promise<{ pdf: Buffer; title: string }> => {
    const doc = documentList(deps.catalog).find((d) => d.id === id);
    if (!doc) throw new HostError('BAD_REQUEST', `no printable document ${id}`);
    if (pdfCacheCatalog !== deps.catalog) {
      pdfCache.clear();
      pdfCacheCatalog = deps.catalog;
    }
    const key = `${id}|${lang}`;
    let pdf = pdfCache.get(key);
    if (!pdf) {
      // Catalog errors (CATALOG_*) are host errors with their own sentences in the UI: they travel as they are.
      pdf = doc.kind === 'guide'
        ? await renderGuidePdf(deps.catalog, id.slice('guide:'.length), { lang, printedAt: services.now() })
        : await renderBlankFormPdf(deps.catalog, id.slice('form:'.length), { lang, printedAt: services.now() });
      if (pdfCache.size > 16) pdfCache.delete(pdfCache.keys().next().value!);
      pdfCache.set(key, pdf);
    }
    // The spooler's job title says what kind of document it is, never who printed it.
    return { pdf, title: doc.kind === 'guide' ? '办事指南' : '空白表格' };
  };

  return {
    'queue.categories': async () => {
      const snap = await deps.queue.snapshot();
      const now = services.now().getTime();
      return config().queue.categories.map((c): CategoryAvailability => {
        const s = snap.categories.find((x) => x.id === c.id);
        const closed = closedReason(c, config().queue.holidays, config().queue.extraWorkdays, hallTime(), now);
        return {
          id: c.id,
          prefix: c.prefix,
          name: c.name,
          ...(c.description ? { description: c.description } : {}),
          idRequired: c.idRequired,
          closedReason: closed ?? (s && s.quotaLeft <= 0 ? 'quota-reached' : null),
          waiting: s?.waiting ?? 0,
          estimatedWaitMinutes: s?.estimatedWaitMinutes ?? 0,
          quotaLeft: s?.quotaLeft ?? 0,
        };
      });
    },

    'ticket.take': async ({ categoryId, priority, requestId }) => {
      categoryOf(categoryId);
      const person = services.session.personal();
      const issued = await deps.queue.issueTicket({
        categoryId,
        ...(person ? { idNumber: person.idNumber, birthDate: person.birthDate } : {}),
        ...(priority ? { priority: { reason: priority } } : {}),
        source: 'kiosk',
        deviceId: config().kiosk.id,
        requestId,
      });
      return remember(toCitizen(issued));
    },

    'ticket.print': async ({ ticketId, lang }) => {
      const ticket = sessionTicket(ticketId);
      return deps.receipts.printReceipt(ticketReceipt(ticket, receiptContext(lang)));
    },

    'checkin.appointment': async (input) => {
      let by: CheckInInput;
      if ('card' in input) {
        const person = services.session.personal();
        if (!person) throw new HostError('QUEUE_ID_REQUIRED', 'no ID card was read in this session');
        by = { idNumber: person.idNumber };
      } else {
        by = { code: codeOf(input) };
      }
      const r = await deps.queue.checkIn(by);
      return remember(toCitizen(r, { slotStart: r.appointment.slotStart, alreadyCheckedIn: r.appointment.alreadyCheckedIn }));
    },

    'guide.groups': ({ by }): GuideGroup[] => {
      const c = deps.catalog;
      switch (by) {
        case 'theme':
          return (Object.keys(THEMES) as ThemeId[])
            .map((key) => ({ key, label: THEMES[key], count: itemsByTheme(c, key).length }))
            .filter((g) => g.count > 0);
        case 'lifeEvent':
          return (Object.keys(LIFE_EVENTS) as LifeEventId[])
            .map((key) => ({ key, label: LIFE_EVENTS[key], count: itemsByLifeEvent(c, key).length }))
            .filter((g) => g.count > 0);
        case 'department':
          return departmentGroups(c, 'zh-CN').map((g) => ({
            key: g.key,
            label: c.items.find((i) => i.department.code === g.key)!.department.name,
            count: g.count,
          }));
        default: {
          const never: never = by;
          throw new HostError('BAD_REQUEST', `unknown grouping ${String(never)}`);
        }
      }
    },

    'guide.list': ({ by, key }) => {
      const c = deps.catalog;
      const items =
        by === 'theme'
          ? key in THEMES ? itemsByTheme(c, key as ThemeId) : []
          : by === 'lifeEvent'
            ? key in LIFE_EVENTS ? itemsByLifeEvent(c, key as LifeEventId) : []
            : itemsByDepartment(c, key);
      return items.map(summary);
    },

    'guide.search': ({ query, limit }) => deps.search.search(query, { limit }).map((h) => summary(h.item)),

    'guide.item': ({ id }) => {
      const item = findItem(deps.catalog, id);
      if (!item) throw new HostError('BAD_REQUEST', `no service item ${id}`);
      return item;
    },

    'guide.printChecklist': async ({ id, lang }) => {
      const item = findItem(deps.catalog, id);
      if (!item) throw new HostError('BAD_REQUEST', `no service item ${id}`);
      const ctx = receiptContext(lang);
      const lines = materialChecklistLines(item, lang, { columns: ctx.profile.columns });
      return deps.receipts.printReceipt(checklistReceipt(lines, ctx));
    },

    'documents.list': () => ({ documents: documentList(deps.catalog), maxCopies: config().devices.a4Printer.maxCopies }),

    'documents.preview': async ({ id, lang, maxPages }): Promise<DocumentPreview> => {
      const { pdf } = await pdfFor(id, lang);
      const pages = await (deps.previewPages ?? pdftoppmPages)(pdf, maxPages);
      return { id, pageCount: countPdfPages(pdf), pages };
    },

    'documents.print': async ({ id, lang, copies }) => {
      const max = config().devices.a4Printer.maxCopies;
      if (copies > max) throw new HostError('BAD_REQUEST', `at most ${max} copies`, { detail: { maxCopies: max } });
      const { pdf, title } = await pdfFor(id, lang);
      return deps.a4.printA4(pdf, { copies, title });
    },

    'documents.job': ({ jobId }) => deps.a4.a4Job(jobId),

    'rating.ticket': async ({ ticket }) => {
      const t = await ticketFrom(ticket);
      // Rated after service: say so before the citizen chooses a level (the engine enforces it again on rate()).
      if (t.status !== 'serving' && t.status !== 'done') {
        throw new HostError('QUEUE_INVALID_STATE', `ticket ${t.id} has not been served`, { detail: { status: t.status } });
      }
      return toCitizen(t);
    },

    'rating.submit': async ({ ticket, level, reason }) => {
      const t = await ticketFrom(ticket);
      const r = await deps.queue.rate({ ticketId: t.id, level, ...(reason ? { reason } : {}) });
      return { ticketNumber: t.number, level: r.level, followUp: r.followUp };
    },

    'help.request': ({ screen }) => {
      const now = services.now().getTime();
      const row = services.db
        .prepare(
          `INSERT INTO help_requests (at, kiosk_id, screen, status, updated_at) VALUES (?, ?, ?, 'open', ?) RETURNING *`,
        )
        .get(now, config().kiosk.id, screen, now) as HelpRow;
      const view = helpView(row);
      services.hub.emit('help-requested', view);
      return view;
    },

    'help.list': ({ status }) =>
      (
        services.db
          .prepare(`SELECT * FROM help_requests WHERE (@status IS NULL OR status = @status) ORDER BY at DESC LIMIT 100`)
          .all({ status: status ?? null }) as HelpRow[]
      ).map(helpView),

    'help.update': ({ id, status }) => {
      const row = services.db
        .prepare(`UPDATE help_requests SET status = ?, updated_at = ? WHERE id = ? RETURNING *`)
        .get(status, services.now().getTime(), id) as HelpRow | undefined;
      if (!row) throw new HostError('BAD_REQUEST', `no help request ${id}`);
      return helpView(row);
    },
  };
}

interface HelpRow {
  id: number;
  at: number;
  kiosk_id: string;
  screen: string;
  status: HelpRequestView['status'];
}

function helpView(r: HelpRow): HelpRequestView {
  return { id: r.id, at: new Date(r.at).toISOString(), kioskId: r.kiosk_id, screen: r.screen, status: r.status };
}

function summary(item: ServiceItem): GuideSummary {
  return {
    id: item.id,
    name: item.name,
    department: item.department.name,
    theme: item.theme,
    promisedTimeLimitDays: item.promisedTimeLimitDays,
    onlineAvailable: item.onlineAvailable,
  };
}

/** Every item's 一次性告知单 and every blank form, in catalog order. */
export function documentList(catalog: Catalog): PrintableDocument[] {
  const forms = catalog.forms.map((f): PrintableDocument => {
    const item = catalog.items.find((i) => i.documents?.some((d) => d.kind === 'blank-form' && d.id === f.id));
    return { id: `form:${f.id}`, kind: 'blank-form', title: f.title, ...(item ? { itemName: item.name } : {}) };
  });
  const guides = catalog.items.map((i): PrintableDocument => ({ id: `guide:${i.id}`, kind: 'guide', title: i.name }));
  return [...forms, ...guides];
}

/** Why a category issues no ticket at `now` by its configured hours; null when open. Mirrors the engine's rule. */
export function closedReason(
  c: Pick<QueueCategory, 'hours'>,
  holidays: readonly string[],
  extraWorkdays: readonly string[],
  time: HallTime,
  now: number,
): Exclude<CategoryClosedReason, 'quota-reached'> | null {
  const day = time.day(now);
  if (holidays.includes(day)) return 'holiday';
  const weekday = extraWorkdays.includes(day) ? 1 : time.weekday(now);
  const periods = c.hours.filter((h) => h.days.includes(weekday));
  if (periods.length === 0) return 'closed-today';
  const m = time.minuteOfDay(now);
  for (const h of periods) if (m >= minutesOfDay(h.open) && m < minutesOfDay(h.lastTicket ?? h.close)) return null;
  return periods.some((h) => m < minutesOfDay(h.open)) ? 'not-open-yet' : 'after-last-ticket';
}

/** Pages of a pdfkit PDF: its page objects are plain dictionaries `/Type /Page`. */
export function countPdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** First `maxPages` pages as PNG data: URLs, 60 dpi (a 496x702 image per A4 page), rendered by poppler's pdftoppm. */
export async function pdftoppmPages(pdf: Buffer, maxPages: number): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-preview-'));
  try {
    const input = path.join(dir, 'doc.pdf');
    await writeFile(input, pdf);
    await new Promise<void>((resolve, reject) =>
      execFile('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', String(maxPages), input, path.join(dir, 'page')], { timeout: 20_000 }, (err) =>
        err ? reject(new DriverError('SPOOLER_FAILED', `pdftoppm failed: ${err.message}`, { cause: err })) : resolve(),
      ),
    );
    const files = (await readdir(dir)).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
    return Promise.all(files.map(async (f) => `data:image/png;base64,${(await readFile(path.join(dir, f))).toString('base64')}`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------ dependencies

/**
 * The queue, catalog and printers of `services`, read at each call: the queue is replaced when a new config is
 * applied and the catalog when the manager imports one.
 */
export function resolveDeps(services: KioskServices): CitizenDeps {
  return {
    // The local engine on the hall's queue host, the LAN client on other kiosks (lead's wiring).
    queue: {
      issueTicket: (i) => services.citizenQueue.issueTicket(i),
      getTicket: (r) => services.citizenQueue.getTicket(r),
      checkIn: (i) => services.citizenQueue.checkIn(i),
      rate: (i) => services.citizenQueue.rate(i),
      snapshot: () => services.citizenQueue.snapshot(),
    },
    get catalog() {
      return services.catalog.catalog;
    },
    get search() {
      return services.catalog.search;
    },
    receipts: {
      printReceipt: (bytes) => services.devices.printReceipt(bytes),
      receiptProfile: () => services.devices.receiptProfile(),
    },
    a4: {
      printA4: (pdf, options) => services.devices.printA4(pdf, options),
      a4Job: async (jobId) => {
        const s = await services.devices.a4Job(jobId);
        // Only the state and a technician-facing reason cross the bridge.
        const reason = s.reasons.find((r) => r !== 'none' && r !== 'job-completed-successfully');
        return { state: s.state, ...(reason ? { reason } : {}) };
      },
    },
  };
}
