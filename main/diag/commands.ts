import type { DiagCommand } from './command.js';

/** Every technician CLI subcommand. */
export const diagCommands: readonly DiagCommand[] = [];
