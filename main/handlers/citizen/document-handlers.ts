import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DriverError } from '../../../drivers/errors.js';
import type { Catalog } from '../../../kiosk-config/catalog/index.js';
import type { Language } from '../../../kiosk-config/i18n.js';
import { renderBlankFormPdf, renderGuidePdf } from '../../catalog/documents.js';
import type { DocumentPreview, PrintableDocument } from '../../contract/index.js';
import type { Handlers } from '../../core/dispatcher.js';
import { HostError } from '../../errors.js';
import type { CitizenHandlerContext } from './context.js';

/** A4 material printing: the printable documents, their preview pages, the CUPS job and its state. */
export function documentHandlers(c: CitizenHandlerContext): Pick<Handlers, 'documents.list' | 'documents.preview' | 'documents.print' | 'documents.job'> {
  const { services, deps } = c;
  const pdfCache = new Map<string, Buffer>();
  let pdfCacheCatalog: Catalog | undefined;

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
        ? await renderGuidePdf(deps.catalog, id.slice('guide:'.length), { lang, printedAt: services.now(), utcOffset: services.currentConfig.hall.utcOffset })
        : await renderBlankFormPdf(deps.catalog, id.slice('form:'.length), { lang, printedAt: services.now(), utcOffset: services.currentConfig.hall.utcOffset });
      if (pdfCache.size > 16) pdfCache.delete(pdfCache.keys().next().value!);
      pdfCache.set(key, pdf);
    }
    // The spooler's job title says what kind of document it is, never who printed it.
    return { pdf, title: doc.kind === 'guide' ? '办事指南' : '空白表格' };
  };

  return {
    'documents.list': () => ({ documents: documentList(deps.catalog), maxCopies: c.config().devices.a4Printer.maxCopies }),

    'documents.preview': async ({ id, lang, maxPages }): Promise<DocumentPreview> => {
      const { pdf } = await pdfFor(id, lang);
      const pages = await (deps.previewPages ?? pdftoppmPages)(pdf, maxPages);
      return { id, pageCount: countPdfPages(pdf), pages };
    },

    'documents.print': async ({ id, lang, copies }) => {
      const max = c.config().devices.a4Printer.maxCopies;
      if (copies > max) throw new HostError('BAD_REQUEST', `at most ${max} copies`, { detail: { maxCopies: max } });
      const { pdf, title } = await pdfFor(id, lang);
      return deps.a4.printA4(pdf, { copies, title });
    },

    'documents.job': ({ jobId }) => deps.a4.a4Job(jobId),
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
