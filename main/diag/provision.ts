import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR_CONFIG } from '../config/config-source.js';
import { ConfigLoadError, parseConfigText } from '../config/load.js';
import { createLogger } from '../core/logger.js';
import { hashCounterPin } from '../lan/counter-sessions.js';
import { AuditLog } from '../staff/audit.js';
import { pinWeakness, STAFF_ROLES, StaffAuth, type StaffRole } from '../staff/auth.js';
import { openDatabase } from '../storage/database.js';
import { parseOptions, type DiagCommand, type DiagIo } from './command.js';

const USAGE = 'provision --config <hall.json> --data-dir <dir> [--out <file>] [--force]   fresh LAN tokens, counter and staff PINs, installation key';

/** The data dir's secret key file (HMAC key of person keys), as KioskServices reads it. */
const KEY_FILE = 'installation.key';

/** A random PIN of `digits` (6..12) digits that pinWeakness accepts (not one repeated digit, not a run). */
export function randomPin(digits: number): string {
  for (;;) {
    let pin = '';
    for (let i = 0; i < digits; i++) pin += String(randomInt(10));
    if (!pinWeakness(pin)) return pin;
  }
}

/** 32 characters of base64url from 24 random bytes (192 bits). */
function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

interface RawConfig {
  demo?: boolean;
  network?: { apiTokens?: { deviceId: string; role: string; token: string }[]; counters?: { window: string; pinHash: string }[] };
}

/**
 * `npm run diag -- provision --config <hall.json> --data-dir <dir>` turns a hall file into an installation:
 * - every `network.apiTokens[].token` is replaced by a fresh random token, every `network.counters[].pinHash` by the
 *   hash of a fresh random 6-digit counter PIN, and `demo` is set to false;
 * - the result is written (mode 0600) to `--out`, default `<data dir>/hall.json`, which the host starts on by itself;
 * - the manager and technician PINs (8 random digits) are stored as scrypt hashes in `<data dir>/kiosk.db`;
 * - a new installation key is written to `<data dir>/installation.key` (0600).
 * The new secrets are printed once, on stdout only: never logged, never stored in the clear. An existing
 * installation (the output file, the key or stored staff PINs) is refused unless `--force` is given; stop the kiosk
 * first. A forced run invalidates the person keys of earlier tickets (a new installation key).
 */
export const provisionCommand: DiagCommand = {
  name: 'provision',
  usage: USAGE,
  async run(args: string[], io: DiagIo): Promise<number> {
    const parsed = parseOptions(args, { config: 'string', 'data-dir': 'string', out: 'string', force: 'boolean' });
    if (!parsed.ok || typeof parsed.values.config !== 'string' || typeof parsed.values['data-dir'] !== 'string') {
      io.err(`provision: ${parsed.ok ? 'needs --config and --data-dir' : parsed.message}`);
      io.err(`usage: ${USAGE}`);
      return 2;
    }
    const configFile = path.resolve(parsed.values.config);
    const dataDir = path.resolve(parsed.values['data-dir']);
    const out = path.resolve(typeof parsed.values.out === 'string' ? parsed.values.out : path.join(dataDir, DATA_DIR_CONFIG));
    const force = parsed.values.force === true;

    let raw: RawConfig;
    try {
      const text = readFileSync(configFile, 'utf8');
      parseConfigText(text, configFile); // the hall file must be valid before anything is written
      raw = JSON.parse(text) as RawConfig;
    } catch (e) {
      io.err(e instanceof ConfigLoadError ? e.report() : `provision: cannot read ${configFile}: ${(e as Error).message}`);
      return 1;
    }

    const keyFile = path.join(dataDir, KEY_FILE);
    const dbFile = path.join(dataDir, 'kiosk.db');
    const existing: string[] = [];
    if (existsSync(out)) existing.push(out);
    if (existsSync(keyFile)) existing.push(keyFile);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const db = openDatabase({ file: dbFile });
    try {
      const stored = (db.prepare('SELECT COUNT(*) AS n FROM staff_credentials').get() as { n: number }).n;
      if (stored > 0) existing.push(`${stored} staff PIN(s) in ${dbFile}`);
      if (existing.length && !force) {
        io.err(`provision: an installation exists already (${existing.join('; ')}); add --force to replace its secrets`);
        return 1;
      }

      // 1. The hall config with fresh LAN tokens and counter PIN hashes, as an installation.
      raw.demo = false;
      const tokens: { deviceId: string; role: string; token: string }[] = [];
      for (const t of raw.network?.apiTokens ?? []) {
        t.token = randomToken();
        tokens.push({ deviceId: t.deviceId, role: t.role, token: t.token });
      }
      const counterPins: { window: string; pin: string }[] = [];
      for (const c of raw.network?.counters ?? []) {
        const pin = randomPin(6);
        c.pinHash = await hashCounterPin(pin);
        counterPins.push({ window: c.window, pin });
      }
      const text = `${JSON.stringify(raw, null, 2)}\n`;
      parseConfigText(text, out); // what we write must load
      const tmp = `${out}.tmp-${process.pid}`;
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, out);
      chmodSync(out, 0o600);

      // 2. Staff PINs, hashed into the kiosk's database.
      const auth = new StaffAuth({ db, audit: new AuditLog(db, () => new Date()), now: () => new Date(), logger: createLogger('diag/provision') });
      const staffPins = {} as Record<StaffRole, string>;
      for (const role of STAFF_ROLES) {
        staffPins[role] = randomPin(8);
        await auth.provisionPin(role, staffPins[role]);
      }

      // 3. A new installation key.
      writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
      chmodSync(keyFile, 0o600);

      // 4. The secrets, once. Nothing above logged them.
      io.out(`provisioned ${path.basename(configFile)} → ${out}${force && existing.length ? ' (replaced the previous secrets)' : ''}`);
      io.out('New secrets — shown only now; hand them over and do not store this output:');
      for (const role of STAFF_ROLES) io.out(`  ${role} PIN: ${staffPins[role]}`);
      for (const c of counterPins) io.out(`  counter window ${c.window} PIN: ${c.pin}`);
      for (const t of tokens) io.out(`  LAN token ${t.deviceId} (${t.role}): ${t.token}`);
      if (!tokens.length) io.out('  (no network.apiTokens in this hall file: no LAN tokens)');
      io.out(`Installation key: new, in ${keyFile}. Start the kiosk with --data-dir ${dataDir}; it runs on ${out}.`);
      return 0;
    } finally {
      db.close();
    }
  },
};
