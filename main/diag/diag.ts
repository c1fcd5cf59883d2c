import type { DiagCommand, DiagIo } from './command.js';
import { diagCommands } from './commands.js';

/**
 * Technician CLI: `npm run diag -- <command> [options]`. Exit codes: 0 ok, 1 device or protocol failure,
 * 2 usage error. Personal data is masked unless a command's `--reveal` is given.
 */
export function usage(commands: readonly DiagCommand[]): string {
  return ['usage: npm run diag -- <command> [options]', '', ...commands.map((c) => `  ${c.usage}`)].join('\n');
}

export async function runDiag(argv: string[], io: DiagIo, commands: readonly DiagCommand[] = diagCommands): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    io.out(usage(commands));
    return argv.length === 0 ? 2 : 0;
  }
  // Longest matching command name first: `printer status` before `printer`.
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const c of sorted) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return c.run(argv.slice(words.length), io);
  }
  io.err(`diag: unknown command "${argv.slice(0, 2).join(' ')}"`);
  io.err(usage(commands));
  return 2;
}

if (process.argv[1] && /diag\.(js|ts)$/.test(process.argv[1])) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  runDiag(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), signal: controller.signal }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`diag: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
