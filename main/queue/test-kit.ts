import { QueueConfigSchema, type QueueConfigInput } from '../../kiosk-config/queue.js';
import { openDatabase, type Db } from '../storage/database.js';
import type { AppointmentProvider } from './appointments.js';
import { QueueEngine } from './engine.js';

/** Helpers for the queue's tests and bench: a settable clock, a config and an engine on a fresh database. */
export class ManualClock {
  private ms: number;
  constructor(start: string | Date) {
    this.ms = new Date(start).getTime();
  }
  now = (): Date => new Date(this.ms);
  set(at: string | Date): void {
    this.ms = new Date(at).getTime();
  }
  advanceMinutes(m: number): void {
    this.ms += m * 60_000;
  }
}

export const TEST_SECRET = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');

/** Two categories open Mon-Fri 09:00-17:00 (last ticket 16:30) plus an always-open one; windows 1-4. */
export function testQueueConfig(overrides: Partial<QueueConfigInput> = {}, categoryOverrides: Record<string, object> = {}) {
  const weekdays = [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00', lastTicket: '16:30' }];
  const input: QueueConfigInput = {
    categories: [
      { id: 'social', prefix: 'A', name: { 'zh-CN': '社保', 'zh-TW': '社保', en: 'Social' }, windows: ['1', '2'], hours: weekdays, ...categoryOverrides.social },
      { id: 'household', prefix: 'B', name: { 'zh-CN': '户政', 'zh-TW': '戶政', en: 'Household' }, windows: ['3'], hours: weekdays, idRequired: true, ...categoryOverrides.household },
      {
        id: 'any', prefix: 'C', name: { 'zh-CN': '综合', 'zh-TW': '綜合', en: 'General' }, windows: ['1', '4'],
        hours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }], ...categoryOverrides.any,
      },
    ],
    ...overrides,
  };
  return QueueConfigSchema.parse(input);
}

export function createTestEngine(options: {
  clock: ManualClock | { now(): Date };
  config?: ReturnType<typeof testQueueConfig>;
  db?: Db;
  file?: string;
  appointments?: AppointmentProvider;
}): { engine: QueueEngine; db: Db } {
  const db = options.db ?? openDatabase({ file: options.file ?? ':memory:' });
  const engine = new QueueEngine({
    db,
    config: options.config ?? testQueueConfig(),
    secret: TEST_SECRET,
    clock: options.clock,
    appointments: options.appointments,
  });
  return { engine, db };
}
