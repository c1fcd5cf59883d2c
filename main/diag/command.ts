/**
 * A technician CLI subcommand: `npm run diag -- <group> <action> [options]`.
 * `run` returns the process exit code: 0 success, 1 device/protocol failure (message printed), 2 usage error.
 * Output: human text by default; one JSON document (or one JSON line per event) with `--json`.
 * Personal data is masked unless the command documents a `--reveal` flag and it was given.
 */
export interface DiagIo {
  out(line: string): void;
  err(line: string): void;
  /** Aborted on SIGINT so long waits (listen, wait for card) end cleanly. */
  signal: AbortSignal;
}

export interface DiagCommand {
  /** e.g. `idcard read`, `printer status`, `ports` */
  name: string;
  usage: string;
  run(args: string[], io: DiagIo): Promise<number>;
}

/** Parses `--key value`, `--key=value` and boolean `--flag` options; unknown options are a usage error. */
export function parseOptions(
  args: string[],
  spec: Record<string, 'string' | 'number' | 'boolean'>,
): { ok: true; values: Record<string, string | number | boolean> } | { ok: false; message: string } {
  const values: Record<string, string | number | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) return { ok: false, message: `unexpected argument "${arg}"` };
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq === -1 ? undefined : eq);
    const kind = spec[key];
    if (!kind) return { ok: false, message: `unknown option --${key}` };
    if (kind === 'boolean') {
      if (eq !== -1) return { ok: false, message: `--${key} takes no value` };
      values[key] = true;
      continue;
    }
    const raw = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (raw === undefined || raw === '') return { ok: false, message: `--${key} needs a value` };
    if (kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { ok: false, message: `--${key} must be a number, got "${raw}"` };
      values[key] = n;
    } else values[key] = raw;
  }
  return { ok: true, values };
}
