import type { DiagCommand } from './command.js';
import { displayTestCommand } from './display.js';
import { idcardReadCommand } from './idcard.js';
import { pinHashCommand } from './pin-hash.js'; // [lan-pages]
import { portsCommand } from './ports.js';
import { provisionCommand } from './provision.js';
import { printerCommands } from './printer.js';
import { scannerListenCommand } from './scanner.js';

/** Every technician CLI subcommand (`npm run diag -- --help` lists them). */
export const diagCommands: readonly DiagCommand[] = [
  portsCommand,
  idcardReadCommand,
  scannerListenCommand,
  ...printerCommands,
  displayTestCommand,
  pinHashCommand, // [lan-pages]
  provisionCommand,
];
