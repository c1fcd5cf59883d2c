// `npm run test:e2e`: the Playwright suites in two runs. First every project but `lockdown`, then `lockdown` alone:
// the lockdown suite installs a managed Chromium policy machine-wide while it runs, which would break any other
// Chromium started meanwhile. Both runs always happen (a failure in the first must not hide the second's results);
// the exit code is non-zero when either failed. Extra arguments go to both runs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'node_modules', '@playwright', 'test', 'cli.js');
const extra = process.argv.slice(2);
let status = 0;
for (const project of ['portrait', 'lockdown']) {
  const run = spawnSync(process.execPath, [cli, 'test', `--project=${project}`, '--pass-with-no-tests', ...extra], { cwd: root, stdio: 'inherit' });
  if (run.error) throw run.error;
  if (run.status !== 0) status = run.status ?? 1;
}
process.exit(status);
