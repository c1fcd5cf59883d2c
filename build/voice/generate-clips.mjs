// Renders every voice clip of drivers/call-display/voice-clips.json with espeak-ng into <out>/<lang>/<id>.wav,
// plus <out>/manifest.json. Deterministic and offline; run at build time (CI needs the apt package espeak-ng).
//
//   node build/voice/generate-clips.mjs [--out dist/voice] [--lang zh|en|all] [--only zh:qing,zh:3] [--speed 150]
//
// zh uses the `cmn-latn-pinyin` voice, whose input is pinyin with tone numbers (`qing3`); plain `cmn` would read the
// tone digits in English. Exit codes: 0 ok, 1 espeak-ng failed or missing, 2 usage error.
import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tablePath = path.join(root, 'drivers', 'call-display', 'voice-clips.json');

function usage(message) {
  console.error(`generate-clips: ${message}`);
  console.error('usage: node build/voice/generate-clips.mjs [--out DIR] [--lang zh|en|all] [--only lang:id,...] [--speed WPM]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { out: path.join(root, 'dist', 'voice'), lang: 'all', only: undefined, speed: 150 };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${key} needs a value`);
    if (key === '--out') opts.out = path.resolve(value());
    else if (key === '--lang') opts.lang = value();
    else if (key === '--only') opts.only = new Set(value().split(',').filter(Boolean));
    else if (key === '--speed') opts.speed = Number(value());
    else usage(`unknown argument ${argv[i]}`);
  }
  if (!Number.isFinite(opts.speed) || opts.speed < 80 || opts.speed > 450) usage('--speed must be 80..450 words per minute');
  return opts;
}

async function espeakVersion() {
  try {
    const { stdout } = await run('espeak-ng', ['--version']);
    return stdout.trim();
  } catch (e) {
    console.error(`generate-clips: espeak-ng is not available (apt-get install espeak-ng): ${e.message}`);
    process.exit(1);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const table = JSON.parse(await readFile(tablePath, 'utf8'));
  const langs = opts.lang === 'all' ? Object.keys(table.clips) : [opts.lang];
  for (const lang of langs) if (!table.clips[lang]) usage(`unknown language ${lang}`);
  const version = await espeakVersion();

  const jobs = [];
  for (const lang of langs) {
    for (const [id, text] of Object.entries(table.clips[lang])) {
      if (opts.only && !opts.only.has(`${lang}:${id}`)) continue;
      jobs.push({ lang, id, text, voice: table.voices[lang], file: path.join(opts.out, lang, `${id}.wav`) });
    }
  }
  if (opts.only) {
    const known = new Set(jobs.map((j) => `${j.lang}:${j.id}`));
    for (const want of opts.only) if (!known.has(want)) usage(`--only names an unknown clip ${want}`);
  }
  for (const lang of langs) await mkdir(path.join(opts.out, lang), { recursive: true });

  // Two at a time: build machines are shared.
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      try {
        await run('espeak-ng', ['-v', job.voice, '-s', String(opts.speed), '-w', job.file, '--', job.text]);
      } catch (e) {
        throw new Error(`espeak-ng failed for ${job.lang}:${job.id} (${job.text}): ${e.stderr || e.message}`);
      }
      const { size } = await stat(job.file);
      results.push({ lang: job.lang, id: job.id, text: job.text, voice: job.voice, bytes: size });
    }
  };
  await Promise.all([worker(), worker()]);
  results.sort((a, b) => (a.lang + a.id).localeCompare(b.lang + b.id));
  const manifest = { generator: 'build/voice/generate-clips.mjs', espeak: version, speed: opts.speed, clips: results };
  await writeFile(path.join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`generate-clips: ${results.length} clips written to ${opts.out}`);
}

main().catch((e) => {
  console.error(`generate-clips: ${e.message}`);
  process.exit(1);
});
