// First step of `npm start` and `npm test` (and of .ci/run): install what is missing, do nothing when all is there.
//   node build/ensure-setup.mjs start|test [--dry-run]
// 1. Debian packages (build/system-packages.txt), the CUPS scheduler (tests) and the kiosk browser user: runs
//    build/setup-system.sh as root, or with `sudo -n` when sudo needs no password; otherwise prints the one command
//    to run and, for tests, stops.
// 2. node_modules: `npm ci` when it is missing or differs from package-lock.json.
// Node built-ins only (node_modules may not exist yet). HALL_KIOSK_SKIP_SETUP=1 skips every check.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planSetup, probeMachine } from './setup-plan.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const purpose = process.argv[2];
const dryRun = process.argv.includes('--dry-run');
if (purpose !== 'start' && purpose !== 'test') {
  console.error('usage: node build/ensure-setup.mjs start|test [--dry-run]');
  process.exit(2);
}
if (process.env.HALL_KIOSK_SKIP_SETUP === '1') process.exit(0);

// package.json engines: ^20.19.0 || >=22.12.0 (Debian 12's own nodejs is 18; npm would only warn and tests fail later).
const [major, minor] = process.versions.node.split('.').map(Number);
if (!((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22)) {
  console.error(`hall-kiosk: Node.js ${process.versions.node} is too old: install Node.js 20.19+ or 22.12+ (package.json "engines"), then run this again.`);
  process.exit(1);
}

const started = Date.now();
const plan = planSetup(purpose, probeMachine(root, purpose));
for (const line of plan.advice) console.error(line);
if (plan.fatal) process.exit(1);

for (const step of plan.steps) {
  let command;
  switch (step.kind) {
    case 'system':
      command = step.sudo ? ['sudo', '-n', 'bash', 'build/setup-system.sh'] : ['bash', 'build/setup-system.sh'];
      break;
    case 'npm-ci':
      command = [process.platform === 'win32' ? 'npm.cmd' : 'npm', 'ci', '--no-audit', '--no-fund'];
      break;
    default:
      throw new Error(`unknown setup step ${JSON.stringify(step)}`);
  }
  console.log(`hall-kiosk: ${step.reason}: ${command.join(' ')}`);
  if (dryRun) continue;
  const r = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`hall-kiosk: \`${command.join(' ')}\` failed (exit ${r.status ?? r.signal}); fix the error above and run npm ${purpose} again.`);
    process.exit(1);
  }
}
if (plan.steps.length > 0) console.log(`hall-kiosk: set-up done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
