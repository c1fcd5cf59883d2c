// Checks that every native module (`*.node`) of a packaged app can load in the Electron it ships with.
//   node build/checks/native-abi.mjs <dir> [--abi <NODE_MODULE_VERSION>]   (default: node_modules/electron's ABI)
// Exit 0 when all pass, 1 with one line per refused file otherwise.
//
// Why: a module compiled against Node's headers exports node_register_module_v<Node's ABI> and Electron refuses to
// load it ("was compiled against a different Node.js version") — the kiosk then dies on its first real launch. The
// trap seen on the build machines: `~/.npmrc` with `nodedir=/usr` makes node-gyp build against the system Node's
// headers even when told to target Electron, and the result claims Electron but exports node_register_module_v115.
// So the version is read from the binary itself, never from what the rebuild said it did.
//   - Node-API modules (exporting napi_register_module_v1, or registering through napi_module_register) are
//     ABI-stable across Node and Electron and pass.
//   - Modules exporting node_register_module_vNNN pass only when NNN is Electron's NODE_MODULE_VERSION.
//   - Anything else (no recognisable registration) is refused: we cannot tell, so it is not shipped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** NODE_MODULE_VERSION of the installed Electron (node_modules/electron/abi_version, cross-checked with node-abi). */
export function electronAbi(root) {
  const electronDir = path.join(root, 'node_modules', 'electron');
  const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  let abi;
  try {
    abi = Number(readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim());
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  const registryFile = path.join(root, 'node_modules', 'node-abi', 'abi_registry.json');
  let fromRegistry;
  try {
    const major = version.split('.')[0];
    const entry = JSON.parse(readFileSync(registryFile, 'utf8')).find((r) => r.runtime === 'electron' && r.target.split('.')[0] === major);
    fromRegistry = entry ? Number(entry.abi) : undefined;
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  if (abi === undefined) abi = fromRegistry;
  if (!Number.isInteger(abi)) throw new Error(`cannot tell the NODE_MODULE_VERSION of electron ${version}: no abi_version file and no node-abi entry`);
  if (fromRegistry !== undefined && fromRegistry !== abi) {
    throw new Error(`electron ${version}: abi_version says ${abi} but node-abi says ${fromRegistry}`);
  }
  return { version, abi };
}

/** The binary's container and CPU, from its header. */
export function binaryFormat(buf) {
  if (buf.length >= 20 && buf.readUInt32BE(0) === 0x7f454c46) {
    const machine = buf[5] === 2 ? buf.readUInt16BE(18) : buf.readUInt16LE(18);
    const cpu = { 3: 'ia32', 40: 'arm', 62: 'x64', 183: 'arm64' }[machine] ?? `machine-${machine}`;
    return `linux-${cpu}`;
  }
  if (buf.length >= 2 && buf[0] === 0x4d && buf[1] === 0x5a) return 'win32';
  if (buf.length >= 4) {
    const magic = buf.readUInt32BE(0);
    if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return 'darwin';
  }
  return 'unknown';
}

/** How the module registers with its runtime: { kind: 'napi' } | { kind: 'abi', versions } | { kind: 'unknown' }. */
export function moduleRegistration(buf) {
  const text = buf.toString('latin1');
  const versions = [...new Set([...text.matchAll(/node_register_module_v(\d+)/g)].map((m) => Number(m[1])))];
  if (versions.length > 0) return { kind: 'abi', versions };
  if (/napi_register_module_v1|napi_module_register|node_api_module_get_api_version_v1/.test(text)) return { kind: 'napi' };
  return { kind: 'unknown' };
}

/** Verdict for one file: { ok, registration, format, reason? }. */
export function checkNativeModule(file, abi, platform) {
  const buf = readFileSync(file);
  const registration = moduleRegistration(buf);
  const format = binaryFormat(buf);
  const verdict = { file, registration, format, ok: true };
  if (platform && format !== platform) {
    return { ...verdict, ok: false, reason: `built for ${format}, the package is for ${platform}` };
  }
  switch (registration.kind) {
    case 'napi':
      return verdict;
    case 'abi':
      if (registration.versions.length === 1 && registration.versions[0] === abi) return verdict;
      return {
        ...verdict,
        ok: false,
        reason:
          `exports node_register_module_v${registration.versions.join('/v')} but Electron needs v${abi}` +
          (registration.versions.includes(Number(process.versions.modules)) ? ` (v${process.versions.modules} is this machine's Node: it was built against Node's headers, e.g. nodedir=/usr in ~/.npmrc)` : ''),
      };
    case 'unknown':
      return { ...verdict, ok: false, reason: 'neither a Node-API module nor one that names its NODE_MODULE_VERSION' };
    default:
      throw new Error(`unhandled registration ${JSON.stringify(registration)}`);
  }
}

export function findNativeModules(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.node') && statSync(p).isFile()) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Checks every `.node` below `dir`; returns all verdicts (refused ones have ok: false). */
export function checkNativeModules(dir, abi, platform) {
  return findNativeModules(dir).map((f) => checkNativeModule(f, abi, platform));
}

/** One verdict as a report line: `ok     <name>: abi v123, elf-x64` or `REFUSED <name>: … — <reason>`. */
export function formatVerdict(v, name) {
  const versions = v.registration.versions ? ' v' + v.registration.versions.join('/') : '';
  return `${v.ok ? 'ok     ' : 'REFUSED'} ${name}: ${v.registration.kind}${versions}, ${v.format}${v.reason ? ' — ' + v.reason : ''}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: node build/checks/native-abi.mjs <dir> [--abi N] [--platform linux-x64]');
    process.exit(2);
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const abiArg = args.indexOf('--abi');
  const platformArg = args.indexOf('--platform');
  const abi = abiArg >= 0 ? Number(args[abiArg + 1]) : electronAbi(root).abi;
  const platform = platformArg >= 0 ? args[platformArg + 1] : undefined;
  const verdicts = checkNativeModules(dir, abi, platform);
  for (const v of verdicts) console.log(formatVerdict(v, path.relative(dir, v.file)));
  const refused = verdicts.filter((v) => !v.ok);
  console.log(`native-abi: ${verdicts.length} native modules, ${refused.length} refused (Electron NODE_MODULE_VERSION ${abi})`);
  process.exit(refused.length > 0 ? 1 : 0);
}
