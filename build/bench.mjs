// `npm run bench [filter]`: bundles every `*.bench.ts` under drivers/, main/, renderer/ with esbuild and runs each in
// plain Node, one after another. Each bench prints its own figures (latency percentiles, throughput, memory).
// Benchmarks are not tests: they assert nothing about speed; they measure and print.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2] ?? '';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.bench.ts') && p.includes(filter)) out.push(p);
  }
  return out;
}

const files = ['drivers', 'main', 'renderer', 'e2e'].flatMap((d) => find(path.join(root, d)));
if (files.length === 0) {
  console.error(`no benchmarks match "${filter}"`);
  process.exit(1);
}
let failed = 0;
for (const file of files.sort()) {
  const rel = path.relative(root, file);
  const outfile = path.join(root, 'dist', 'bench', rel.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [file], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', sourcemap: 'inline', logLevel: 'warning',
  });
  console.log(`\n=== ${rel}`);
  const r = spawnSync(process.execPath, [outfile], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench ${rel} exited with ${r.status}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
