#!/usr/bin/env node
// Per-kiosk configuration and secrets for a whole hall from one hall file and a list of kiosks.
//
//   node build/deploy/provision-fleet.mjs --hall hall.json --kiosks kiosks.csv --out fleet/ [--lan-port 8788]
//
// kiosks.csv (header line required; no quoting):   kiosk_id,role,lan_address[,orientation]
//   conghua-01,host,192.168.10.21,portrait       exactly one `host`: it runs the hall's queue and LAN API
//   conghua-02,client,192.168.10.22               every other kiosk takes tickets from the host
//
// For each kiosk it writes fleet/<kiosk_id>/data/ — hall.json (0600), kiosk.db with hashed staff PINs,
// installation.key (0600) — by running `diag provision` (main/diag/provision.ts, the one-kiosk provisioning) on a
// per-kiosk variant of the hall file:
//   host:   kiosk.id and orientation from the CSV; the hall's apiTokens (counters, displays, managers) plus one `kiosk`
//           token per client kiosk; every token and counter PIN fresh.
//   client: kiosk.id and orientation; network.queue = client of http://<host lan_address>:<lan port> with its own
//           token taken from the host's freshly provisioned hall.json; no apiTokens or counters of its own.
// Copy fleet/<kiosk_id>/data/ to the kiosk's data dir (/var/lib/hall-kiosk) before running
// build/deploy/linux/install.sh there. fleet/manifest.csv lists what was made (no secrets).
// The new PINs and tokens are printed once, on stdout: pipe them into the hall's password store or an encrypted
// file (e.g. `| gpg -e -r ops@example.org > fleet-secrets.gpg`); they are written nowhere in the clear.
// Needs a build (dist/main/diag.js) and node_modules (better-sqlite3): run it on the provisioning laptop.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ID = /^[a-z0-9][a-z0-9-]{1,40}$/;

/** Parses and checks kiosks.csv. Throws one Error listing every problem with its line number. */
export function parseKioskList(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const header = lines.shift()?.split(',').map((h) => h.trim());
  const problems = [];
  if (!header || header[0] !== 'kiosk_id' || header[1] !== 'role' || header[2] !== 'lan_address') {
    throw new Error('kiosks.csv: the first line must be the header kiosk_id,role,lan_address[,orientation]');
  }
  const kiosks = [];
  lines.forEach((line, i) => {
    if (!line || line.startsWith('#')) return;
    const n = i + 2;
    if (line.includes('"')) return problems.push(`line ${n}: quotes are not supported`);
    const [id = '', role = '', lanAddress = '', orientation = ''] = line.split(',').map((f) => f.trim());
    if (!ID.test(id)) problems.push(`line ${n}: kiosk_id "${id}" must be 2-41 lowercase letters, digits or dashes`);
    if (role !== 'host' && role !== 'client') problems.push(`line ${n}: role must be host or client, got "${role}"`);
    if (!/^[0-9a-zA-Z.:-]+$/.test(lanAddress)) problems.push(`line ${n}: lan_address "${lanAddress}" is not an address or host name`);
    if (orientation && orientation !== 'portrait' && orientation !== 'landscape') problems.push(`line ${n}: orientation must be portrait or landscape`);
    if (kiosks.some((k) => k.id === id)) problems.push(`line ${n}: kiosk_id ${id} appears twice`);
    kiosks.push({ id, role, lanAddress, orientation: orientation || undefined });
  });
  const hosts = kiosks.filter((k) => k.role === 'host');
  if (hosts.length !== 1) problems.push(`exactly one kiosk must have role host, found ${hosts.length}`);
  if (problems.length) throw new Error(`kiosks.csv:\n  ${problems.join('\n  ')}`);
  return kiosks;
}

/** The hall file variant for one kiosk (before `diag provision` replaces tokens and PINs). */
export function kioskHallConfig(hall, kiosk, kiosks, clientQueue) {
  const config = structuredClone(hall);
  config.kiosk = { ...config.kiosk, id: kiosk.id, ...(kiosk.orientation ? { orientation: kiosk.orientation } : {}) };
  config.network = { ...(config.network ?? {}) };
  if (kiosk.role === 'host') {
    config.network.queue = { role: 'host' };
    const devices = (config.network.apiTokens ?? []).filter((t) => t.role !== 'kiosk');
    const clients = kiosks.filter((k) => k.role === 'client').map((k) => ({ deviceId: k.id, role: 'kiosk', token: 'replaced-by-provision' }));
    config.network.apiTokens = [...devices, ...clients];
  } else {
    config.network.queue = { role: 'client', url: clientQueue.url, token: clientQueue.token };
    config.network.apiTokens = [];
    config.network.counters = [];
  }
  return config;
}

function provisionOne(sourceFile, dataDir) {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'main', 'diag.js'), 'provision', '--config', sourceFile, '--data-dir', dataDir], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`diag provision failed for ${dataDir} (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function main() {
  const { values } = parseArgs({ options: { hall: { type: 'string' }, kiosks: { type: 'string' }, out: { type: 'string' }, 'lan-port': { type: 'string', default: '8788' } } });
  if (!values.hall || !values.kiosks || !values.out) {
    console.error('usage: node build/deploy/provision-fleet.mjs --hall hall.json --kiosks kiosks.csv --out <dir> [--lan-port 8788]');
    return 2;
  }
  if (!existsSync(path.join(root, 'dist', 'main', 'diag.js'))) {
    console.error('provision-fleet: dist/main/diag.js is missing: run npm run build first');
    return 1;
  }
  const hall = JSON.parse(readFileSync(values.hall, 'utf8'));
  let kiosks;
  try {
    kiosks = parseKioskList(readFileSync(values.kiosks, 'utf8'));
  } catch (e) {
    console.error(e.message);
    return 1;
  }
  const out = path.resolve(values.out);
  const taken = kiosks.filter((k) => existsSync(path.join(out, k.id)));
  if (taken.length) {
    console.error(`provision-fleet: ${taken.map((k) => path.join(out, k.id)).join(', ')} exist already; use a new --out directory`);
    return 1;
  }
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const host = kiosks.find((k) => k.role === 'host');
  const ordered = [host, ...kiosks.filter((k) => k.role === 'client')];
  const manifest = ['kiosk_id,role,lan_address,data_dir,hall_json_sha256'];
  let clientTokens = new Map();
  for (const kiosk of ordered) {
    const dir = path.join(out, kiosk.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const source = path.join(dir, 'hall.source.json');
    const queue = kiosk.role === 'client' ? { url: `http://${host.lanAddress}:${values['lan-port']}`, token: clientTokens.get(kiosk.id) } : undefined;
    writeFileSync(source, JSON.stringify(kioskHallConfig(hall, kiosk, kiosks, queue), null, 2), { mode: 0o600 });
    let stdout;
    try {
      stdout = provisionOne(source, path.join(dir, 'data'));
    } finally {
      rmSync(source, { force: true });
    }
    const hallJson = readFileSync(path.join(dir, 'data', 'hall.json'));
    if (kiosk.role === 'host') {
      const provisioned = JSON.parse(String(hallJson));
      clientTokens = new Map(provisioned.network.apiTokens.filter((t) => t.role === 'kiosk').map((t) => [t.deviceId, t.token]));
    }
    console.log(`== kiosk ${kiosk.id} (${kiosk.role}, ${kiosk.lanAddress})`);
    process.stdout.write(stdout);
    manifest.push([kiosk.id, kiosk.role, kiosk.lanAddress, path.join(kiosk.id, 'data'), createHash('sha256').update(hallJson).digest('hex')].join(','));
  }
  writeFileSync(path.join(out, 'manifest.csv'), `${manifest.join('\n')}\n`);
  console.log(`provision-fleet: ${ordered.length} kiosks in ${out} (manifest.csv); copy each <kiosk_id>/data/ to that kiosk's /var/lib/hall-kiosk`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
