/**
 * The public types of the ID card reader session (driver.ts re-exports them): status, events, options, counters.
 */
import type { DriverError } from '../errors.js';
import type { DriverLogger, TraceSink } from '../log.js';
import type { Transport } from '../transport/transport.js';
import type { Identity } from './identity.js';

export type IdCardReaderStatus = 'ready' | 'reading' | 'error' | 'disconnected';

export interface IdCardReaderEvents {
  /** Once per placement. */
  'card-read': [identity: Identity];
  /** The card of the last card-read is physically gone (not merely halted by the reader). */
  'card-removed': [];
  /** A placement that could not be read (first failure per placement; counters count every one). */
  'read-failed': [error: DriverError];
  status: [status: IdCardReaderStatus, error: DriverError | undefined];
}

export interface IdCardReaderDriverOptions {
  transport: Transport;
  /** Line rate, used to size the read time-out; default 115200. The transport is opened at its own rate. */
  baudRate?: number;
  /** Poll period in ms; default 300, values below 300 are raised to 300 (readers dislike faster polling). */
  pollIntervalMs?: number;
  /** Time-out of short commands in ms; default 1000. */
  commandTimeoutMs?: number;
  /** Time-out of the read command in ms; default commandTimeoutMs + 2 × wire time of the answer at baudRate. */
  readTimeoutMs?: number;
  /** Retries of a command after a protocol error; default 2 (0..5). */
  retries?: number;
  /** Read with 30 10 (text + photo + fingerprint); default false. */
  withFingerprint?: boolean;
  /** Consecutive polls with find AND select failing after a read that count as removal; default 2 (1..10). */
  removalConfirmations?: number;
  /**
   * Whether the reader halts a card after reading it (it then answers find "no card" but select OK while it lies
   * there). Default: learned from the reader's answers after each open. Setting it lets the first placement after
   * open already detect a swap within one poll (true) or skip the learning (false).
   */
  haltsAfterRead?: boolean;
  logger?: DriverLogger;
  trace?: TraceSink;
  /** Device name in traces; default `id-card`. */
  device?: string;
}

export interface IdCardReaderCounters {
  reads: number;
  failures: number;
  removals: number;
  timeouts: number;
  retries: number;
  /** Frames or byte runs the framer dropped, plus well-formed answers that fit no pending command. */
  discardedFrames: number;
  discardedBytes: number;
}
