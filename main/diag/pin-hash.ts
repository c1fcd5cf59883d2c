import { COUNTER_PIN_PATTERN } from '../../kiosk-config/counters.js';
import { hashCounterPin } from '../lan/counter-sessions.js';
import type { DiagCommand, DiagIo } from './command.js';

const USAGE = 'pin-hash <pin>   print the scrypt hash of a counter PIN (4-8 digits) for network.counters[].pinHash';

/**
 * `npm run diag -- pin-hash 2468` prints `scrypt$15$8$1$<salt>$<key>` (a new random salt each time). The PIN itself
 * is never printed or logged; note that it stays in the shell history, so clear that on shared machines.
 */
export const pinHashCommand: DiagCommand = {
  name: 'pin-hash',
  usage: USAGE,
  async run(args: string[], io: DiagIo): Promise<number> {
    if (args.length !== 1 || !COUNTER_PIN_PATTERN.test(args[0]!)) {
      io.err('pin-hash: give exactly one PIN of 4 to 8 digits');
      io.err(`usage: ${USAGE}`);
      return 2;
    }
    io.out(await hashCounterPin(args[0]!));
    return 0;
  },
};
