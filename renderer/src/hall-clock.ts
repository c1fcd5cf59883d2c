import { DEFAULT_UTC_OFFSET } from '../../kiosk-config/hall-clock.js';

/**
 * The hall's UTC offset for the pages of this renderer (kiosk, staff console): set from the config the page received
 * (bootstrap, config-changed, the staff console's config.current); +08:00 until then. Every time shown on these pages
 * is formatted with kiosk-config/hall-clock.ts and this offset, never with the browser's own zone.
 */
let current = DEFAULT_UTC_OFFSET;

export function setHallUtcOffset(utcOffset: string | undefined): void {
  current = utcOffset ?? DEFAULT_UTC_OFFSET;
}

export function hallUtcOffset(): string {
  return current;
}
