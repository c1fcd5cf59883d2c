// Type-checks each tsconfig project on its own, so that a renderer file cannot see Node types and a driver file
// cannot see the DOM or Electron. Exits non-zero on the first project with errors, naming it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projects = ['kiosk-config/tsconfig.json', 'drivers/tsconfig.json', 'main/tsconfig.json', 'renderer/tsconfig.json', 'tsconfig.tests.json'];
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let failed = 0;
for (const project of projects) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [tsc, '-p', project, '--pretty'], { cwd: root, stdio: 'inherit' });
  console.log(`typecheck ${project}: ${r.status === 0 ? 'ok' : 'FAILED'} (${Date.now() - started} ms)`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
