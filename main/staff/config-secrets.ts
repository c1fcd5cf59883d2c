import type { KioskConfig } from '../../kiosk-config/schema.js';

/**
 * The secrets of a kiosk configuration: LAN API bearer tokens and the queue client's token. They never leave the
 * host: the console, exported JSON files, diffs and diagnostic bundles see REDACTED in their place, and a config
 * that comes back with REDACTED gets the running config's secret put back (matched by device id).
 */
/** 16+ characters so that a redacted config still passes the schema in the console's live validation; never stored. */
export const REDACTED = '[redacted-secret]';

/**
 * Counter PIN hashes are secrets too (a 4-digit PIN falls to an offline search of its hash). Their placeholder keeps
 * the hash's shape so a redacted config still passes the schema; no PIN hashes to all zeros.
 */
export const REDACTED_PIN_HASH = `scrypt$15$8$1$${'0'.repeat(32)}$${'0'.repeat(64)}`;

export function withoutSecrets<T extends KioskConfig>(config: T): T {
  const copy = structuredClone(config);
  copy.network.apiTokens = copy.network.apiTokens.map((t) => ({ ...t, token: REDACTED }));
  copy.network.counters = copy.network.counters.map((c) => ({ ...c, pinHash: REDACTED_PIN_HASH }));
  if (copy.network.queue.role === 'client') copy.network.queue = { ...copy.network.queue, token: REDACTED };
  if (copy.fleet?.password !== undefined) copy.fleet = { ...copy.fleet, password: REDACTED };
  return copy;
}

/**
 * Puts the running config's secrets back where `raw` (an edited or imported config, not validated yet) carries the
 * REDACTED placeholder. A token the user typed in is kept as typed.
 */
export function restoreSecrets(raw: unknown, current: KioskConfig): unknown {
  if (raw === null || typeof raw !== 'object') return raw;
  const copy = structuredClone(raw) as { network?: { apiTokens?: unknown; queue?: unknown; counters?: unknown }; fleet?: { password?: unknown } };
  if (copy.fleet && typeof copy.fleet === 'object' && copy.fleet.password === REDACTED && current.fleet?.password !== undefined) {
    copy.fleet = { ...copy.fleet, password: current.fleet.password };
  }
  const net = copy.network;
  if (!net || typeof net !== 'object') return copy;
  if (Array.isArray(net.apiTokens)) {
    net.apiTokens = net.apiTokens.map((t: unknown) => {
      if (t === null || typeof t !== 'object') return t;
      const entry = t as { deviceId?: unknown; token?: unknown };
      if (entry.token !== REDACTED) return t;
      const known = current.network.apiTokens.find((c) => c.deviceId === entry.deviceId);
      return known ? { ...entry, token: known.token } : t;
    });
  }
  if (Array.isArray(net.counters)) {
    net.counters = net.counters.map((c: unknown) => {
      if (c === null || typeof c !== 'object') return c;
      const entry = c as { window?: unknown; pinHash?: unknown };
      if (entry.pinHash !== REDACTED_PIN_HASH) return c;
      const known = current.network.counters.find((k) => k.window === entry.window);
      return known ? { ...entry, pinHash: known.pinHash } : c;
    });
  }
  const q = net.queue as { role?: unknown; token?: unknown } | undefined;
  if (q && q.role === 'client' && q.token === REDACTED && current.network.queue.role === 'client') {
    net.queue = { ...q, token: current.network.queue.token };
  }
  return copy;
}
