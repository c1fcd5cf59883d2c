import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KioskConfig } from '../../kiosk-config/schema.js';
import { validateKioskConfig, type ConfigProblem } from '../../kiosk-config/validate.js';
import { HostError } from '../errors.js';

/** The sample hall used when no `--config` is given: a county 政务服务中心 with every device simulated. */
export function defaultConfigPath(): string {
  return path.join(projectRoot(), 'kiosk-config', 'halls', 'county-center.json');
}

/** Project root, from the built `dist/main/*.js` or from the sources under `main/config/`. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'hall-kiosk') return dir;
    } catch {
      // not the root yet: keep walking up (a missing package.json here is the expected case)
    }
    dir = path.dirname(dir);
  }
  throw new HostError('CONFIG_NOT_FOUND', 'cannot locate the hall-kiosk project root');
}

export class ConfigLoadError extends HostError {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
    message: string,
    code: 'CONFIG_INVALID' | 'CONFIG_NOT_FOUND' | 'CONFIG_UNREADABLE' = 'CONFIG_INVALID',
  ) {
    super(code, message);
  }

  /** One sentence per wrong field, prefixed with the file, as the command line prints it. */
  report(): string {
    if (this.problems.length === 0) return `${this.file}: ${this.message}`;
    return [`${this.file}: ${this.problems.length} problem(s) in the configuration:`, ...this.problems.map((p) => `  - ${p.sentence}`)].join('\n');
  }
}

export function loadConfigFile(file: string): KioskConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : 'CONFIG_UNREADABLE';
    throw new ConfigLoadError(file, [], code === 'CONFIG_NOT_FOUND' ? 'no such file' : `cannot read: ${(e as Error).message}`, code);
  }
  return parseConfigText(text, file);
}

export function parseConfigText(text: string, file = '(config)'): KioskConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigLoadError(file, [], `is not valid JSON (${(e as Error).message})`, 'CONFIG_UNREADABLE');
  }
  const r = validateKioskConfig(raw);
  if (!r.ok) throw new ConfigLoadError(file, r.problems, `${r.problems.length} invalid field(s)`);
  return r.config;
}
