import type { KeyObject } from 'node:crypto';
import { validateKioskConfig } from '../../kiosk-config/validate.js';
import type { FleetAnswer } from '../contract/fleet.js';
import type { KioskControl } from './kiosk-port.js';
import { verifyConfig } from './signing.js';

/**
 * A config pushed by the fleet: what it may change and how it is checked.
 * - It must carry an Ed25519 signature over `{config, version}` (signing.ts) made with the fleet's key; the kiosk
 *   holds the public key. Unsigned, badly signed, older than the last accepted version: refused, nothing changes.
 * - `config` holds top-level sections (announcements, queue, kiosk, openingHours, …). The kiosk's own identity and
 *   local sections stay as they run: `kiosk.id`, `devices`, `network` (tokens, counters) and `fleet` (broker,
 *   credentials, the public key itself) are never taken from a push. A push naming another hall is refused.
 * - The merged config is validated with the same schema as a file, stored as a new version (origin "fleet") and
 *   applied live. Then the kiosk checks itself; if that fails it rolls back to the version it ran before and says so.
 */
export interface ConfigApplyResult {
  versionId: number;
  fleetVersion: number;
  restartNeededFor: string[];
}

export type RolledBack = { rolledBack: true; fromVersionId: number; toVersionId: number; problems: string[] };

const LOCAL_SECTIONS = ['devices', 'network', 'fleet'] as const;

export async function applySignedConfig(
  control: KioskControl,
  publicKey: KeyObject | null,
  push: { config: unknown; version: number; signature?: string | undefined },
  onRollback: (r: RolledBack) => void,
): Promise<FleetAnswer<ConfigApplyResult>> {
  if (!push.signature) return fail('FLEET_CONFIG_UNSIGNED', 'the config is not signed; nothing changed');
  if (!publicKey) return fail('FLEET_CONFIG_NO_KEY', 'this kiosk holds no fleet public key (fleet.publicKey); nothing changed');
  let good = false;
  try {
    good = verifyConfig(publicKey, push.config, push.version, push.signature);
  } catch (e) {
    return fail('FLEET_CONFIG_BAD_SIGNATURE', `the signature could not be checked (${e instanceof Error ? e.message : String(e)}); nothing changed`);
  }
  if (!good) return fail('FLEET_CONFIG_BAD_SIGNATURE', 'the signature does not match the fleet key; nothing changed');
  const last = control.lastFleetVersion();
  if (last !== null && push.version <= last) {
    return fail('FLEET_CONFIG_STALE', `fleet version ${push.version} is not newer than the running fleet version ${last}; nothing changed`);
  }
  if (push.config === null || typeof push.config !== 'object' || Array.isArray(push.config)) {
    return fail('FLEET_CONFIG_INVALID', 'config must be an object of configuration sections; nothing changed');
  }
  const current = control.currentConfig();
  const pushed = push.config as Record<string, unknown>;
  const pushedHall = pushed.hall as { id?: unknown } | undefined;
  if (pushedHall && typeof pushedHall === 'object' && pushedHall.id !== undefined && pushedHall.id !== current.hall.id) {
    return fail('FLEET_CONFIG_WRONG_TARGET', `the config is for hall ${String(pushedHall.id)}, this kiosk is in ${current.hall.id}; nothing changed`);
  }
  const merged: Record<string, unknown> = { ...structuredClone(current), ...structuredClone(pushed) };
  for (const k of LOCAL_SECTIONS) {
    if (current[k] === undefined) delete merged[k];
    else merged[k] = structuredClone(current[k]);
  }
  const kiosk = merged.kiosk;
  if (kiosk && typeof kiosk === 'object' && !Array.isArray(kiosk)) merged.kiosk = { ...(kiosk as object), id: current.kiosk.id };
  const r = validateKioskConfig(merged);
  if (!r.ok) return fail('FLEET_CONFIG_INVALID', `${r.problems.map((p) => p.sentence).join(' ')} Nothing changed.`);

  let applied: ReturnType<KioskControl['applyFleetConfig']>;
  try {
    applied = control.applyFleetConfig(r.config, { fleetVersion: push.version, comment: `fleet version ${push.version}` });
  } catch (e) {
    return fail('FLEET_CONFIG_APPLY_FAILED', `the config could not be applied: ${e instanceof Error ? e.message : String(e)}`);
  }
  let check: { ok: boolean; problems: string[] };
  try {
    check = await control.selfCheck();
  } catch (e) {
    check = { ok: false, problems: [`self-check threw: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (!check.ok) {
    if (applied.previousVersionId === null) {
      return fail('FLEET_CONFIG_SELF_CHECK_FAILED', `self-check failed (${check.problems.join('; ')}) and there is no earlier version to return to`);
    }
    const back = control.rollback(applied.previousVersionId, `self-check failed after fleet version ${push.version}`);
    onRollback({ rolledBack: true, fromVersionId: applied.versionId, toVersionId: back.versionId, problems: check.problems });
    return fail(
      'FLEET_CONFIG_SELF_CHECK_FAILED',
      `self-check failed after applying fleet version ${push.version} (${check.problems.join('; ')}); rolled back to version ${applied.previousVersionId} (stored as ${back.versionId})`,
    );
  }
  return { ok: true, value: { versionId: applied.versionId, fleetVersion: push.version, restartNeededFor: applied.restartNeededFor } };
}

function fail(code: string, message: string): { ok: false; error: { code: string; message: string } } {
  return { ok: false, error: { code, message } };
}
