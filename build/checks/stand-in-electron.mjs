// A stand-in for Electron's Linux distribution folder, for packaging smoke runs on machines that cannot download
// Electron (electron-builder `-c.electronDist=<folder>`). It is NOT a runnable Electron: `electron` is a shell script
// that says so and exits 1. It does carry Electron's fuse wire (the sentinel @electron/fuses looks for, wire
// version 1, and Electron's factory states), so electron-builder's `electronFuses` step flips real bytes and the
// package check can read back what a real binary would have been given.
//   node build/checks/stand-in-electron.mjs <dir>
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/**
 * Electron's factory fuse states, in @electron/fuses FuseV1Options order: RunAsNode on, EnableCookieEncryption off,
 * EnableNodeOptionsEnvironmentVariable on, EnableNodeCliInspectArguments on, EnableEmbeddedAsarIntegrityValidation
 * off, OnlyLoadAppFromAsar off, LoadBrowserProcessSpecificV8Snapshot off, GrantFileProtocolExtraPrivileges on.
 */
export const FACTORY_FUSES = '10110001';

export function makeStandInElectronDist(dir, version = '45.4.1') {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const script = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for Electron (packaging smoke test only); this package cannot run" >&2\nexit 1\n# fuse wire: '),
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, FACTORY_FUSES.length]),
    Buffer.from(FACTORY_FUSES, 'latin1'),
    Buffer.from('\n'),
  ]);
  writeFileSync(path.join(dir, 'electron'), script);
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'version'), version);
  writeFileSync(path.join(dir, 'LICENSE'), 'stand-in\n');
  writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>\n');
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node build/checks/stand-in-electron.mjs <dir>');
    process.exit(2);
  }
  makeStandInElectronDist(path.resolve(dir));
  console.log(`stand-in Electron distribution in ${path.resolve(dir)}`);
}
