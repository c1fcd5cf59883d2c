import type { Migration } from '../../storage/migrations/index.js';
import m0001 from './0001-fleet-console.js';

/** The fleet console's own migrations (its database is not the kiosk's). */
export const consoleMigrations: readonly Migration[] = [m0001];
