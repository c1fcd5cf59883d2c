import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import { COUNTER_PIN_PATTERN, PIN_HASH_PATTERN, type CounterCredential } from '../../kiosk-config/counters.js';
import type { DriverLogger } from '../../drivers/log.js';
import { silentLogger } from '../../drivers/log.js';
import { readJsonBody } from '../core/http-guard.js';
import { HostError, isHostError } from '../errors.js';
import type { ApiToken } from '../queue/api.js';
import { DEFAULT_PIN_PARAMS, hashPin, verifyPin, type PinHash } from '../staff/pin-hash.js';

/**
 * Counter (窗口) sign-in for counter.html: window number + PIN → a short-lived bearer token bound to that window.
 *
 * - PINs are kept only as scrypt hashes in the config (`network.counters[].pinHash`, text form
 *   `scrypt$logN$r$p$salt$key`, printed by `npm run diag -- pin-hash <pin>`); hashing is main/staff/pin-hash.ts.
 * - Five wrong PINs in a row lock that window for 1, 2, 4, 8 … minutes (capped at one day); the lock count resets
 *   on a successful sign-in. Attempts for one window are serialised so parallel guesses are all counted. Lock state
 *   is in memory: a host restart clears it (the staff console's StaffAuth keeps its own in SQLite).
 * - Every attempt is logged with window, origin and outcome, never with the PIN; tokens are never logged.
 * - A session token is 192 random bits, kept only as its SHA-256 digest; it expires after `ttlMs` (default 4 h,
 *   range 5 min..12 h) and on sign-out.
 *
 * The queue API (main/queue/api.ts) knows only configured bearer tokens. The gate below maps a live session to an
 * internal per-window counter token (random per host start, never sent to a client, `windows: [window]`), so the
 * API's own role and window checks apply to the session unchanged.
 */

export const COUNTER_MAX_FAILED = 5;
/** Lock n (1-based since the last successful sign-in) lasts 2^(n-1) minutes, capped at one day. */
export function counterLockMinutes(lockNumber: number): number {
  return Math.min(2 ** Math.max(0, lockNumber - 1), 24 * 60);
}

/** `scrypt$15$8$1$salt$key` → PinHash; throws CONFIG_INVALID on anything else. */
export function parsePinHash(text: string): PinHash {
  if (!PIN_HASH_PATTERN.test(text)) throw new HostError('CONFIG_INVALID', 'counter PIN hash is not of the form scrypt$logN$r$p$salt$key');
  const [, logN, r, p, salt, hash] = text.split('$');
  return { salt: salt!, hash: hash!, params: { alg: 'scrypt', logN: Number(logN), r: Number(r), p: Number(p), keyLength: hash!.length / 2 } };
}

export function formatPinHash(h: PinHash): string {
  return `scrypt$${h.params.logN}$${h.params.r}$${h.params.p}$${h.salt}$${h.hash}`;
}

/** Hashes a counter PIN (4-8 digits) into the config's text form. */
export async function hashCounterPin(pin: string): Promise<string> {
  if (!COUNTER_PIN_PATTERN.test(pin)) throw new HostError('AUTH_PIN_WEAK', 'a counter PIN is 4 to 8 digits');
  return formatPinHash(await hashPin(pin, DEFAULT_PIN_PARAMS));
}

export interface CounterSession {
  window: string;
  /** ms since epoch */
  expiresAt: number;
}

export interface CounterSignIn extends CounterSession {
  token: string;
}

export interface CounterSessionsOptions {
  /** Read at every sign-in, so an edited config applies without a restart. */
  counters: () => readonly CounterCredential[];
  now?: () => number;
  /** Session lifetime, ms; 5 min..12 h, default 4 h. */
  ttlMs?: number;
  logger?: DriverLogger;
  /** Injected in tests; default verifyPin from main/staff/pin-hash.ts. */
  verify?: (pin: string, stored: PinHash) => Promise<boolean>;
}

interface LockState {
  failed: number;
  locks: number;
  lockedUntil: number | null;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export class CounterSessions {
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly log: DriverLogger;
  private readonly verify: (pin: string, stored: PinHash) => Promise<boolean>;
  private readonly locks = new Map<string, LockState>();
  /** key: hex SHA-256 of the token */
  private readonly sessions = new Map<string, CounterSession>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly options: CounterSessionsOptions) {
    this.now = options.now ?? Date.now;
    this.ttlMs = Math.min(12 * 3_600_000, Math.max(5 * 60_000, options.ttlMs ?? 4 * 3_600_000));
    this.log = options.logger ?? silentLogger;
    this.verify = options.verify ?? verifyPin;
  }

  /** Windows that have a PIN configured (the page offers only these). */
  windows(): string[] {
    return this.options.counters().map((c) => c.window);
  }

  /** Resolves with a session or throws AUTH_NOT_CONFIGURED, AUTH_LOCKED, AUTH_WRONG_PIN or BAD_REQUEST. */
  signIn(window: string, pin: string, origin: string): Promise<CounterSignIn> {
    const previous = this.queues.get(window) ?? Promise.resolve();
    const run = previous.then(
      () => this.attempt(window, pin, origin),
      () => this.attempt(window, pin, origin),
    );
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(window, settled);
    void settled.then(() => {
      if (this.queues.get(window) === settled) this.queues.delete(window);
    });
    return run;
  }

  /** The live session of a presented token, or undefined (unknown or expired). */
  resolve(token: string): CounterSession | undefined {
    const key = digest(token).toString('hex');
    const s = this.sessions.get(key);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return s;
  }

  signOut(token: string): boolean {
    return this.sessions.delete(digest(token).toString('hex'));
  }

  /** Seconds left of a window's lock, or 0. */
  lockedFor(window: string): number {
    const until = this.locks.get(window)?.lockedUntil ?? null;
    return until === null ? 0 : Math.max(0, Math.ceil((until - this.now()) / 1000));
  }

  private async attempt(window: string, pin: string, origin: string): Promise<CounterSignIn> {
    const entry = this.options.counters().find((c) => c.window === window);
    if (!entry) {
      this.log.warn({ window, origin, outcome: 'not-configured' }, 'counter sign-in refused');
      throw new HostError('AUTH_NOT_CONFIGURED', `window ${window} has no counter PIN configured`);
    }
    const state = this.locks.get(window) ?? { failed: 0, locks: 0, lockedUntil: null };
    this.locks.set(window, state);
    const now = this.now();
    if (state.lockedUntil !== null && state.lockedUntil > now) {
      this.log.warn({ window, origin, outcome: 'locked', lockedUntil: state.lockedUntil }, 'counter sign-in refused');
      throw new HostError('AUTH_LOCKED', `window ${window} is locked after wrong PINs; try again in ${Math.ceil((state.lockedUntil - now) / 60_000)} minute(s)`, {
        detail: { lockedUntil: state.lockedUntil },
      });
    }
    // Malformed input counts as a wrong PIN: it is still a guess.
    const ok = COUNTER_PIN_PATTERN.test(pin) && (await this.verify(pin, parsePinHash(entry.pinHash)));
    if (ok) {
      state.failed = 0;
      state.locks = 0;
      state.lockedUntil = null;
      const token = randomBytes(24).toString('base64url');
      const session: CounterSession = { window, expiresAt: this.now() + this.ttlMs };
      this.prune();
      this.sessions.set(digest(token).toString('hex'), session);
      this.log.info({ window, origin, outcome: 'ok', expiresAt: session.expiresAt }, 'counter signed in');
      return { token, ...session };
    }
    state.failed += 1;
    if (state.failed >= COUNTER_MAX_FAILED) {
      state.failed = 0;
      state.locks += 1;
      const minutes = counterLockMinutes(state.locks);
      state.lockedUntil = now + minutes * 60_000;
      this.log.warn({ window, origin, outcome: 'locked', lockNumber: state.locks, minutes }, 'counter window locked after wrong PINs');
      throw new HostError('AUTH_LOCKED', `wrong PIN; window ${window} is locked for ${minutes} minute(s)`, { detail: { lockedUntil: state.lockedUntil } });
    }
    const left = COUNTER_MAX_FAILED - state.failed;
    this.log.warn({ window, origin, outcome: 'wrong-pin', attemptsLeft: left }, 'counter sign-in refused');
    throw new HostError('AUTH_WRONG_PIN', `wrong PIN; ${left} attempt(s) left before window ${window} is locked`, { detail: { attemptsLeft: left } });
  }

  private prune(): void {
    const now = this.now();
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
  }
}

// ---------------------------------------------------------------- HTTP gate (used by main/lan/server.ts)

export const CounterSignInBody = z.strictObject({
  window: z.string().regex(/^[0-9A-Za-z-]{1,8}$/, 'must be 1-8 letters, digits or dashes'),
  pin: z.string().max(32),
});

export interface CounterSessionGate {
  /** Internal per-window counter tokens to add to the queue API's token list. */
  apiTokens(): ApiToken[];
  /**
   * Handles `POST /api/v1/counter-sessions` (sign in, no bearer: the PIN is the credential),
   * `GET /api/v1/counter-sessions` (the windows that can sign in) and `DELETE /api/v1/counter-sessions` (sign out,
   * bearer = session). Returns false for any other request.
   */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /**
   * If the request carries a live session token (Authorization or `?token=` on the stream), replaces it with the
   * window's internal token so the queue API accepts it with that window only. Expired sessions are answered by the
   * API's own 401 (the token is left as it is).
   */
  translate(req: http.IncomingMessage): void;
  /** The session of the request's bearer token, if any. */
  sessionOf(req: http.IncomingMessage): CounterSession | undefined;
}

export function presentedToken(req: http.IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  if (m) return m[1];
  const url = new URL(req.url ?? '/', 'http://lan.local');
  return url.pathname === '/api/v1/stream' ? (url.searchParams.get('token') ?? undefined) : undefined;
}

export function createCounterSessionGate(sessions: CounterSessions, logger: DriverLogger = silentLogger): CounterSessionGate {
  const internal = new Map<string, ApiToken>();
  const internalFor = (window: string): ApiToken => {
    let t = internal.get(window);
    if (!t) {
      t = { token: `cs-${randomBytes(32).toString('base64url')}`, role: 'counter', deviceId: `counter-window-${window}`, windows: [window] };
      internal.set(window, t);
    }
    return t;
  };

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function fail(res: http.ServerResponse, e: unknown): void {
    if (isHostError(e)) {
      const statuses: Record<string, number> = { AUTH_WRONG_PIN: 401, AUTH_LOCKED: 403, AUTH_NOT_CONFIGURED: 404, AUTH_REQUIRED: 401, BAD_REQUEST: 400 };
      const status = statuses[e.code] ?? 500;
      send(res, status, { ok: false, error: { code: e.code, message: e.message, ...(e.detail ? { detail: e.detail } : {}) } });
      return;
    }
    logger.error({ err: e }, 'counter session request failed');
    send(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
  }

  function sessionOf(req: http.IncomingMessage): CounterSession | undefined {
    const t = presentedToken(req);
    return t ? sessions.resolve(t) : undefined;
  }

  return {
    apiTokens: () => sessions.windows().map(internalFor),
    sessionOf,
    translate(req) {
      const t = presentedToken(req);
      const s = t ? sessions.resolve(t) : undefined;
      if (!s) return;
      const inner = internalFor(s.window).token;
      if (req.headers.authorization) req.headers.authorization = `Bearer ${inner}`;
      else {
        const url = new URL(req.url ?? '/', 'http://lan.local');
        url.searchParams.set('token', inner);
        req.url = url.pathname + url.search;
      }
    },
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://lan.local');
      if (url.pathname !== '/api/v1/counter-sessions') return false;
      const origin = req.socket.remoteAddress ?? '';
      if (req.method === 'GET') {
        send(res, 200, { ok: true, value: { windows: sessions.windows() } });
        return true;
      }
      if (req.method === 'DELETE') {
        const t = presentedToken(req);
        const s = t ? sessions.resolve(t) : undefined;
        if (!t || !s) {
          send(res, 401, { ok: false, error: { code: 'AUTH_REQUIRED', message: 'no live counter session' } });
          return true;
        }
        sessions.signOut(t);
        logger.info({ window: s.window, origin }, 'counter signed out');
        send(res, 200, { ok: true, value: { signedOut: true } });
        return true;
      }
      if (req.method !== 'POST') {
        send(res, 404, { ok: false, error: { code: 'UNKNOWN_REQUEST', message: `no route ${req.method ?? ''} ${url.pathname}` } });
        return true;
      }
      readJsonBody(req, 1024)
        .then((json) => {
          const r = CounterSignInBody.safeParse(json);
          if (!r.success) {
            throw new HostError('BAD_REQUEST', r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
          }
          return sessions.signIn(r.data.window, r.data.pin, origin);
        })
        .then((s) => send(res, 200, { ok: true, value: { token: s.token, window: s.window, expiresAt: new Date(s.expiresAt).toISOString() } }))
        .catch((e: unknown) => {
          req.resume();
          fail(res, e);
        });
      return true;
    },
  };
}

/** Constant-time check of a presented token against configured API tokens (for the LAN server's own routes). */
export function matchApiToken(presented: string | undefined, tokens: readonly { token: string; role: ApiToken['role']; deviceId: string }[]): ApiToken | undefined {
  if (!presented) return undefined;
  const d = digest(presented);
  let found: ApiToken | undefined;
  for (const t of tokens) if (timingSafeEqual(d, digest(t.token))) found = { token: t.token, role: t.role, deviceId: t.deviceId };
  return found;
}
