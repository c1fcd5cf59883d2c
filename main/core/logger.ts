import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { DriverLogger } from '../../drivers/log.js';
import { redactString, redactValue } from './redact.js';

/**
 * Per-subsystem loggers (`createLogger('drivers/id-card')`). Lines are JSON (level, time, sub, msg, fields — the
 * shape log shippers expect), redacted before they are written, kept in a ring buffer for the technician's log viewer and the
 * diagnostic bundle, appended to `<data-dir>/logs/kiosk.log`, and warnings and errors also go to stderr.
 *
 * A small writer rather than pino: redaction must also scrub free-text messages (ID-number patterns), which pino's
 * path-based `redact` does not do, and it must happen synchronously in one place.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export interface LogLine {
  level: LogLevel;
  time: number;
  sub: string;
  msg: string;
  [field: string]: unknown;
}

export interface Logger extends DriverLogger {
  child(sub: string): Logger;
}

class LogSink {
  minLevel: LogLevel = (process.env.KIOSK_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  readonly ring: LogLine[] = [];
  ringSize = 2000;
  private file: WriteStream | undefined;
  /** stderr echo of warnings and errors; off in unit tests to keep output readable. */
  echo = process.env.VITEST === undefined;

  toFile(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.file?.end();
    const file = createWriteStream(path.join(dir, 'kiosk.log'), { flags: 'a', mode: 0o600 });
    // A log file that cannot be written (disk full, folder removed) must not take the kiosk down: say it once on
    // stderr, keep the in-memory ring for the technician's viewer.
    file.on('error', (e) => {
      process.stderr.write(`[error] logger: log file unavailable (${e.message}); keeping logs in memory only\n`);
      if (this.file === file) this.file = undefined;
    });
    this.file = file;
  }

  write(level: LogLevel, sub: string, obj: Record<string, unknown>, msg: string | undefined): void {
    if (LEVELS[level] < LEVELS[this.minLevel]) return;
    const fields = redactValue(obj) as Record<string, unknown>;
    const line: LogLine = { ...fields, level, time: Date.now(), sub, msg: redactString(msg ?? '') };
    this.ring.push(line);
    if (this.ring.length > this.ringSize) this.ring.splice(0, this.ring.length - this.ringSize);
    const text = JSON.stringify(line);
    this.file?.write(text + '\n');
    if (this.echo && LEVELS[level] >= LEVELS.warn) process.stderr.write(`[${level}] ${sub}: ${line.msg} ${JSON.stringify(fields)}\n`);
  }

  close(): void {
    this.file?.end();
    this.file = undefined;
  }
}

export const logSink = new LogSink();

export function createLogger(sub: string): Logger {
  const log = (level: LogLevel) => (obj: Record<string, unknown>, msg?: string) => logSink.write(level, sub, obj, msg);
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (name: string) => createLogger(`${sub}/${name}`),
  };
}

export function recentLogs(filter?: { sub?: string; minLevel?: LogLevel; limit?: number }): LogLine[] {
  const min = LEVELS[filter?.minLevel ?? 'debug'];
  const out = logSink.ring.filter((l) => LEVELS[l.level] >= min && (!filter?.sub || l.sub.startsWith(filter.sub)));
  return out.slice(-(filter?.limit ?? 500));
}
