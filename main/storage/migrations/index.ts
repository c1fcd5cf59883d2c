import type { Db } from '../database.js';
import m0001 from './0001-foundation.js';
import m0002 from './0002-queue.js';
import m0003 from './0003-help-requests.js';
import m0004 from './0004-staff.js';

/** One numbered migration. Files are named `NNNN-what.ts`; each has a test beside it. Never edit a landed one. */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004];
