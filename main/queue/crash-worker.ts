/**
 * Child process of crash.test.ts (bundled with esbuild, run in plain Node): issues tickets in a loop against the
 * DB file in `QUEUE_CRASH_DB` and prints `<day> <category> <number>` to stdout after each commit. The parent kills
 * it with SIGKILL at random moments. Stdout to a pipe is synchronous on Linux, so a printed line means the ticket
 * was confirmed before the next one started.
 */
import { QueueConfigSchema } from '../../kiosk-config/queue.js';
import { isHostError } from '../errors.js';
import { openDatabase } from '../storage/database.js';
import { QueueEngine } from './engine.js';

const file = process.env.QUEUE_CRASH_DB;
if (!file) throw new Error('QUEUE_CRASH_DB is not set');
const always = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];
const config = QueueConfigSchema.parse({
  categories: [
    { id: 'x', prefix: 'X', name: { 'zh-CN': 'X', 'zh-TW': 'X', en: 'X' }, windows: ['1'], hours: always, dailyQuota: 120 },
    { id: 'y', prefix: 'Y', name: { 'zh-CN': 'Y', 'zh-TW': 'Y', en: 'Y' }, windows: ['2'], hours: always, dailyQuota: 120 },
  ],
});
const db = openDatabase({ file });
const base = Date.parse('2025-03-03T10:00:00+08:00');
const last = db.prepare('SELECT max(day) AS day FROM queue_tickets').get() as { day: string | null };
let dayOffset = last.day ? Math.round((Date.parse(`${last.day}T10:00:00+08:00`) - base) / 86_400_000) : 0;
const engine = new QueueEngine({
  db,
  config,
  secret: Buffer.alloc(32, 7),
  clock: { now: () => new Date(base + dayOffset * 86_400_000) },
});
for (let i = 0; ; i++) {
  const categoryId = i % 3 === 0 ? 'y' : 'x';
  try {
    const t = engine.issueTicket({ categoryId, source: 'kiosk', deviceId: 'crash', idNumber: `44010619900520${String(i % 1000).padStart(4, '0')}` });
    process.stdout.write(`${t.day} ${t.issuedCategoryId} ${t.number}\n`);
  } catch (e) {
    if (isHostError(e, 'QUEUE_QUOTA_REACHED')) dayOffset++;
    else if (!isHostError(e, 'QUEUE_PERSON_LIMIT')) throw e;
  }
}
