import { describe, expect, it } from 'vitest';
import { QUEUE_DEFAULTS, QueueConfigSchema, RATING_LEVELS, SAMPLE_QUEUE_CONFIG } from './queue.js';

describe('QueueConfigSchema', () => {
  it('fills the documented defaults', () => {
    const q = QueueConfigSchema.parse(SAMPLE_QUEUE_CONFIG);
    expect(q.noShow).toEqual({ requeueAfterMinutes: QUEUE_DEFAULTS.requeueAfterMinutes, maxRequeues: QUEUE_DEFAULTS.maxRequeues });
    expect(q.appointments).toEqual({ earlyMinutes: 30, lateMinutes: 15 });
    expect(q.retentionDays).toBe(30);
    expect(q.priority.elderlyAge).toBe(65);
    expect(q.categories[0]).toMatchObject({ dailyQuota: 300, priorityRatio: 2, maxTicketsPerPersonPerDay: 2, idRequired: false, defaultServiceMinutes: 8 });
    expect(q.holidays).toEqual([]);
  });

  it('reports each wrong field with its path', () => {
    const bad = {
      categories: [
        { ...SAMPLE_QUEUE_CONFIG.categories[0]!, prefix: 'ab', dailyQuota: 1000, hours: [{ days: [8], open: '17:00', close: '09:00' }] },
        { ...SAMPLE_QUEUE_CONFIG.categories[1]!, id: 'social-security', prefix: 'A', priorityRatio: -1 },
      ],
      retentionDays: 0,
      holidays: ['2025-13-01'],
    };
    const r = QueueConfigSchema.safeParse(bad);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(
      [
        'categories.0.prefix', 'categories.0.dailyQuota', 'categories.0.hours.0.days.0', 'categories.0.hours.0.close',
        'categories.1.id', 'categories.1.priorityRatio', 'retentionDays', 'holidays.0',
      ].sort(),
    );
  });

  it('checks cross-field rules: last ticket within hours, unique ids and prefixes', () => {
    const cat = SAMPLE_QUEUE_CONFIG.categories[0]!;
    const r = QueueConfigSchema.safeParse({
      categories: [{ ...cat, hours: [{ days: [1], open: '09:00', close: '17:00', lastTicket: '17:30' }] }, { ...cat }],
    });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['categories.0.hours.0.lastTicket', 'must be after open and not after close'],
      ['categories.1.id', 'duplicates categories[0].id'],
      ['categories.1.prefix', 'duplicates categories[0].prefix'],
    ]);
    expect(QueueConfigSchema.safeParse({ categories: [{ ...cat, hours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }] }] }).success).toBe(true);
  });

  it('keeps the national 好差评 labels, best first', () => {
    expect(RATING_LEVELS.map((l) => [l.level, l['zh-CN'], l.bad])).toEqual([
      [5, '非常满意', false], [4, '满意', false], [3, '基本满意', false], [2, '不满意', true], [1, '非常不满意', true],
    ]);
  });
});
