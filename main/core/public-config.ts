import type { KioskConfig } from '../../kiosk-config/schema.js';
import { withTraditional } from '../catalog/traditional.js';
import type { PublicConfig } from '../contract/index.js';

/**
 * The part of the config the citizen UI may see: no tokens, no device paths, no secrets. Texts authored in zh-CN only
 * get their zh-TW by OpenCC conversion (the same source, converted); English is never invented.
 */
export function toPublicConfig(config: KioskConfig): PublicConfig {
  return {
    name: config.name,
    hall: {
      id: config.hall.id,
      name: withTraditional(config.hall.name),
      level: config.hall.level,
      address: withTraditional(config.hall.address),
      phone: config.hall.phone,
      staffed: config.hall.staffed,
      utcOffset: config.hall.utcOffset,
    },
    kiosk: {
      id: config.kiosk.id,
      orientation: config.kiosk.orientation,
      languages: config.kiosk.languages,
      defaultLanguage: config.kiosk.defaultLanguage,
      elderlyModeDefault: config.kiosk.elderlyModeDefault,
      idle: config.kiosk.idle,
    },
    openingHours: { weekly: config.openingHours.weekly, holidays: config.openingHours.holidays, extraWorkdays: config.openingHours.extraWorkdays },
    announcements: config.announcements.map((a) => ({ id: a.id, text: withTraditional(a.text) })),
    categories: config.queue.categories.map((c) => ({
      id: c.id,
      prefix: c.prefix,
      name: c.name,
      ...(c.description ? { description: withTraditional(c.description) } : {}),
      idRequired: c.idRequired,
    })),
    whenPrinterDown: config.queue.whenPrinterDown,
  };
}
