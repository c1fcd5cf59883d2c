// Real CUPS: cupsd (started by cups-setup.sh if needed), the cups-pdf queue PDF, ipptool, pdfinfo/pdftotext.
// Run as root (cupsd, lpadmin), as CI does. cups-setup.sh makes the PDF queue render with pdftocairo, so the output
// keeps its text and the Chinese can be checked with pdftotext (with ghostscript it becomes unmapped Type 3 glyphs).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriverError } from '../errors.js';
import { CupsPrinter, type CupsJobStatus } from './cups.js';
import { renderDocumentPdf } from './pdf.js';

const run = promisify(execFile);
const STUCK = 'KIOSK_A4_TEST_STUCK';

/** cups-pdf's output folder for the current user, from /etc/cups/cups-pdf.conf (`Out ${HOME}/PDF`). */
async function cupsPdfOutDir(): Promise<string> {
  const conf = await readFile('/etc/cups/cups-pdf.conf', 'utf8');
  const line = conf.split('\n').find((l) => /^Out\s/.test(l));
  const out = line ? line.replace(/^Out\s+/, '').trim() : '/var/spool/cups-pdf/${USER}';
  return out.replace('${HOME}', homedir()).replace('${USER}', process.env.USER ?? 'root');
}

async function waitForFile(dir: string, suffix: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = await readdir(dir).catch(() => [] as string[]);
    const hit = names.find((n) => n.endsWith(suffix));
    if (hit) {
      const p = join(dir, hit);
      // cups-pdf writes through ghostscript; the job is completed only after gs exited, but be tolerant
      if ((await stat(p)).size > 0) return p;
    }
    if (Date.now() > deadline) throw new Error(`no file *${suffix} in ${dir} within ${timeoutMs} ms (have: ${names.join(', ')})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('CupsPrinter against a real cupsd with cups-pdf', () => {
  const printer = new CupsPrinter({ queue: 'PDF' });

  beforeAll(async () => {
    const r = await run('sh', ['drivers/a4/cups-setup.sh', 'PDF']);
    expect(r.stdout).toContain('printer PDF');
    // a queue whose device never answers (nothing listens on the port): jobs stay "processing"
    await run('lpadmin', ['-p', STUCK, '-E', '-v', `socket://127.0.0.1:${await closedPort()}`]);
  }, 60_000);

  afterAll(async () => {
    await run('lpadmin', ['-x', STUCK]);
  });

  it('lists the PDF queue as enabled and accepting', async () => {
    expect(await printer.schedulerRunning()).toBe(true);
    const queues = await printer.listQueues();
    expect(queues.find((q) => q.name === 'PDF')).toMatchObject({ enabled: true, accepting: true });
  });

  it('prints a rendered Chinese PDF: job completes and cups-pdf writes it with the same pages and text', async () => {
    const pdf = await renderDocumentPdf({
      title: '不动产登记 材料清单',
      sections: [
        { heading: '所需材料', list: { style: 'checkbox', items: ['不动产权证书（原件）', '身份证明（原件及复印件）'] } },
        ...Array.from({ length: 3 }, (_, i) => ({ heading: `第${i + 1}部分`, paragraphs: Array.from({ length: 14 }, () => '请按照窗口工作人员的指引办理，材料不全的可以先行受理。') })),
      ],
      footer: '政务服务中心 自助终端',
    });
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-a4-'));
    const local = join(dir, 'rendered.pdf');
    await writeFile(local, pdf);
    const renderedPages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [local])).stdout)?.[1]);
    await rm(dir, { recursive: true, force: true });
    expect(renderedPages).toBe(2);
    const states: CupsJobStatus['state'][] = [];
    const t0 = Date.now();
    const id = await printer.submit({ data: pdf, title: 'material-checklist' });
    expect(id).toMatch(/^PDF-\d+$/);
    const final = await printer.waitForJob(id, { timeoutMs: 60_000, pollMs: 200, onState: (s) => states.push(s.state) });
    const elapsed = Date.now() - t0;
    expect(final.state).toBe('completed');
    expect(states.at(-1)).toBe('completed');
    const file = await waitForFile(await cupsPdfOutDir(), `job_${id.split('-').pop()}.pdf`, 10_000);
    const info = (await run('pdfinfo', [file])).stdout;
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBe(renderedPages);
    const text = (await run('pdftotext', [file, '-'])).stdout;
    expect(text).toContain('不动产登记');
    expect(text).toContain('身份证明（原件及复印件）');
    expect(text.replace(/\s+/g, '')).toContain(`第1页/共${pages}页`); // pdftocairo drops the spaces
    await rm(file); // keep ~/PDF from growing with every CI run
    console.log(`cups-pdf job ${id}: ${pages} pages, submit→completed ${elapsed} ms, states ${states.join(' → ')}`);
  }, 90_000);

  it('a missing queue is queue-missing; an unreachable cupsd is cupsd-not-running', async () => {
    const e1 = await printer.submit({ queue: 'NO_SUCH_QUEUE', data: Buffer.from('%PDF') }).catch((e: unknown) => e);
    expect(isDriverError(e1, 'SPOOLER_FAILED') && e1.detail?.reason).toBe('queue-missing');
    const nowhere = new CupsPrinter({ server: `127.0.0.1:${await closedPort()}` });
    expect(await nowhere.schedulerRunning()).toBe(false);
    const e2 = await nowhere.submit({ data: Buffer.from('%PDF') }).catch((e: unknown) => e);
    expect(isDriverError(e2, 'SPOOLER_FAILED') && e2.detail?.reason).toBe('cupsd-not-running');
  });

  it('a job that cannot reach its printer times out and is cancelled for real', async () => {
    const stuck = new CupsPrinter({ queue: STUCK });
    const pdf = await renderDocumentPdf({ title: '测试', sections: [{ paragraphs: ['无法到达的打印机'] }] });
    const id = await stuck.submit({ data: pdf, title: 'stuck-test' });
    const e = await stuck.waitForJob(id, { timeoutMs: 1500, pollMs: 200 }).catch((x: unknown) => x);
    expect(isDriverError(e, 'SPOOLER_FAILED') && e.detail).toMatchObject({ reason: 'timeout', job: id });
    const after = await stuck.jobStatus(id);
    expect(after.state).toBe('cancelled');
  }, 30_000);
});
