import type { KioskConfig } from './schema.js';

/** Every day, midnight to midnight: the hours a demo kiosk runs with (see `demoOpenAllDay` in schema.ts). */
const ALL_DAY = { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' };

/**
 * The config a demo kiosk runs on when `demoOpenAllDay` is on: each category and the hall open all day, every day,
 * with no holidays, so every flow can be tried at any hour. Pure; the stored config keeps its real hours.
 * An installation (`demo` false) is returned unchanged.
 */
export function withDemoHours(config: KioskConfig, demo: boolean): KioskConfig {
  if (!demo || !config.demoOpenAllDay) return config;
  return {
    ...config,
    openingHours: { ...config.openingHours, weekly: [{ ...ALL_DAY, days: [...ALL_DAY.days] }], holidays: [], extraWorkdays: [] },
    queue: {
      ...config.queue,
      holidays: [],
      extraWorkdays: [],
      categories: config.queue.categories.map((c) => ({ ...c, hours: [{ ...ALL_DAY, days: [...ALL_DAY.days] }] })),
    },
  };
}
