// Builds what both hosts run: the host process bundles (esbuild) and the renderer (Vite).
//   node build/build.mjs             full build
//   node build/build.mjs --if-stale  only when a source file is newer than the last build (npm start, test:e2e)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preloadBuildOptions, sandboxedPreloadProblems } from './preload.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const sources = Math.max(...['main', 'renderer', 'drivers', 'kiosk-config', 'build'].map((d) => newest(path.join(root, d))), statSync(path.join(root, 'package.json')).mtimeMs);
  if (statSync(stamp).mtimeMs >= sources) process.exit(0);
}

const started = Date.now();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
};
await build({
  ...common,
  entryPoints: { start: 'main/start.ts', diag: 'main/diag/diag.ts', 'fleet-console': 'main/fleet-console/cli.ts' },
  outdir: path.join(dist, 'main'),
  format: 'esm',
  absWorkingDir: root,
});
// Electron loads a CommonJS main script (Node: the banner gives it import.meta.url).
const cjsMeta = { banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" }, define: { ...common.define, 'import.meta.url': '__importMetaUrl' } };
await build({ ...common, ...cjsMeta, entryPoints: { 'electron-main': 'main/electron/main.ts' }, outdir: path.join(dist, 'main'), outExtension: { '.js': '.cjs' }, format: 'cjs', external: ['electron'], absWorkingDir: root });
// The preload runs in Electron's sandboxed preload runner, which is not Node: no banner, see build/preload.mjs.
await build({ ...preloadBuildOptions(root, path.join(dist, 'main')), define: common.define });
const preloadProblems = sandboxedPreloadProblems(readFileSync(path.join(dist, 'main', 'preload.cjs'), 'utf8'));
if (preloadProblems.length > 0) throw new Error(`build: dist/main/preload.cjs cannot run in Electron's sandboxed preload: ${preloadProblems.join('; ')}`);
console.log(`build: host bundles in ${Date.now() - started} ms`);

execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
console.log(`build: renderer done in ${Date.now() - started} ms`);

const voiceScript = path.join(root, 'build', 'voice', 'generate-clips.mjs');
// Voice clips depend only on the clip table and the script: regenerate when either is newer than the manifest.
const voiceOut = path.join(dist, 'voice');
const voiceTable = path.join(root, 'drivers', 'call-display', 'voice-clips.json');
const voiceManifest = path.join(voiceOut, 'manifest.json');
const voiceStale = !existsSync(voiceManifest) || statSync(voiceManifest).mtimeMs < Math.max(statSync(voiceTable).mtimeMs, statSync(voiceScript).mtimeMs);
if (existsSync(voiceScript) && voiceStale) {
  try {
    execFileSync(process.execPath, [voiceScript, '--out', voiceOut], { cwd: root, stdio: 'inherit' });
  } catch (e) {
    // Voice clips need espeak-ng; without them calls are still shown as text. Say so, do not fail the build.
    console.warn(`build: voice clips not generated (${e.message.split('\n')[0]}); calls will be shown as text only`);
  }
}
mkdirSync(dist, { recursive: true });
writeFileSync(stamp, new Date().toISOString() + '\n');
console.log(`build: done in ${Date.now() - started} ms`);
