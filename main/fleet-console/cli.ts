import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FLEET_ROLES, type FleetRole } from '../contract/fleet.js';
import { projectRoot } from '../config/load.js';
import { createLogger, logSink } from '../core/logger.js';
import { generateFleetKeyPair, loadPrivateKey } from '../fleet/signing.js';
import { openDatabase } from '../storage/database.js';
import { ConsoleAudit } from './audit.js';
import { ConsoleAuth } from './console-auth.js';
import { FleetConsole } from './fleet-console.js';
import { consoleMigrations } from './migrations/index.js';

const USAGE = `npm run fleet -- --broker URL --data-dir DIR [options]

  --broker <url>          mqtt://host:1883 or mqtts://host:8883 (required)
  --data-dir <dir>        history database, bundles, logs (required)
  --port <n>              web page port (default 8790; 0 = any free port)
  --host <addr>           listen address (default 127.0.0.1)
  --username <name>       broker account (default fleet-console)
  --password-file <file>  broker password
  --ca-file <file>        CA certificate for mqtts://
  --topic-prefix <p>      default hk/v1
  --signing-key <file>    the fleet's Ed25519 private key (PEM) that signs config pushes
  --add-user <name:role>  add or change a console user (role viewer|operator|admin); PIN from $FLEET_USER_PIN; then exit
  --make-keys <dir>       write a new fleet key pair (fleet-signing.key, fleet-public.pem) into <dir>; then exit`;

function parse(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') out.help = '1';
    else if (a.startsWith('--') && argv[i + 1] !== undefined) out[a.slice(2)] = argv[++i]!;
    else throw new Error(`unknown or incomplete option ${a}`);
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  let a: Record<string, string>;
  try {
    a = parse(argv);
  } catch (e) {
    console.error(`fleet: ${(e as Error).message} (see --help)`);
    return 2;
  }
  if (a.help) {
    console.log(USAGE);
    return 0;
  }
  if (a['make-keys']) {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const k = generateFleetKeyPair();
    mkdirSync(a['make-keys'], { recursive: true });
    writeFileSync(path.join(a['make-keys'], 'fleet-signing.key'), k.privateKeyPem, { mode: 0o600 });
    writeFileSync(path.join(a['make-keys'], 'fleet-public.pem'), k.publicKeyPem);
    console.log(`fleet: key pair written to ${a['make-keys']} (give fleet-public.pem to the kiosks as fleet.publicKeyFile)`);
    return 0;
  }
  if (a['add-user'] && a['data-dir']) {
    const [name, role] = a['add-user'].split(':');
    if (!name || !(FLEET_ROLES as readonly string[]).includes(role ?? '')) {
      console.error('fleet: --add-user name:role with role viewer, operator or admin');
      return 2;
    }
    const db = openDatabase({ file: path.join(path.resolve(a['data-dir']), 'fleet.db'), migrations: consoleMigrations });
    try {
      await new ConsoleAuth(db).setUser(name, role as FleetRole, process.env.FLEET_USER_PIN ?? '');
      new ConsoleAudit(db).record({ actor: 'cli', action: 'user.set', target: name, outcome: 'ok', detail: { role } });
    } catch (e) {
      console.error(`fleet: ${(e as Error).message}`);
      return 2;
    } finally {
      db.close();
    }
    console.log(`fleet: user ${name} (${role}) saved`);
    return 0;
  }
  if (!a.broker || !a['data-dir']) {
    console.error('fleet: --broker and --data-dir are required (see --help)');
    return 2;
  }
  const dataDir = path.resolve(a['data-dir']);
  logSink.toFile(path.join(dataDir, 'logs'));
  const logger = createLogger('fleet-console');
  const port = a.port === undefined ? 8790 : Number(a.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`fleet: --port ${a.port} is not a port number`);
    return 2;
  }
  const fc = new FleetConsole({
    brokerUrl: a.broker,
    username: a.username ?? 'fleet-console',
    password: a['password-file'] ? readFileSync(a['password-file'], 'utf8').trim() : undefined,
    ca: a['ca-file'] ? readFileSync(a['ca-file']) : undefined,
    topicPrefix: a['topic-prefix'] ?? 'hk/v1',
    dataDir,
    port,
    ...(a.host ? { host: a.host } : {}),
    rendererDir: path.join(projectRoot(), 'dist', 'renderer'),
    signingKey: a['signing-key'] ? loadPrivateKey(readFileSync(a['signing-key'], 'utf8')) : null,
    logger,
  });
  if (!fc.auth.hasUsers()) console.log('fleet: no console users yet: add one with FLEET_USER_PIN=… npm run fleet -- --data-dir DIR --broker URL --add-user admin:admin');
  const listening = await fc.listen();
  console.log(`fleet: console on http://${a.host ?? '127.0.0.1'}:${listening}/ ; broker ${a.broker}; data in ${dataDir}`);
  if (!a['signing-key']) console.log('fleet: no --signing-key: config roll-outs are disabled');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await fc.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`fleet: failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
