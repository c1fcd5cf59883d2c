// Mutation sweep of the Electron host's protections: removes one protection at a time and runs the host's tests;
// a protection whose removal leaves every test green is unguarded. Works on a copy of the sources in a temporary
// folder (node_modules linked), so the shared work tree is never modified.
//   node build/checks/mutation-sweep.mjs            the tests of main/electron and the browser host's CSP test
//   node build/checks/mutation-sweep.mjs --git-tests HEAD   the same protections against the host tests of a commit
//                                                         (how many an older suite guarded)
// Exit 1 when a mutant survives. Takes a few minutes (one vitest run per protection).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const W = 'main/electron/wiring.ts';
const P = 'main/electron/preload.ts';
const S = 'main/browser-host/server.ts';

/** [name, file, exact text, replacement]. Each text must occur exactly once in its file. */
export const PROTECTIONS = [
  ['contextIsolation', W, '      contextIsolation: true,\n', ''],
  ['sandbox', W, '      sandbox: true,\n', ''],
  ['nodeIntegration off', W, '      nodeIntegration: false,\n', '      nodeIntegration: true,\n'],
  ['nodeIntegrationInWorker off', W, '      nodeIntegrationInWorker: false,\n', ''],
  ['nodeIntegrationInSubFrames off', W, '      nodeIntegrationInSubFrames: false,\n', ''],
  ['webSecurity', W, '      webSecurity: true,\n', ''],
  ['allowRunningInsecureContent off', W, '      allowRunningInsecureContent: false,\n', ''],
  ['DevTools off in production', W, '      devTools: o.development,\n', ''],
  ['webviewTag off', W, '      webviewTag: false,\n', ''],
  ['navigateOnDragDrop off', W, '      navigateOnDragDrop: false,\n', ''],
  ['kiosk mode', W, '    kiosk: !o.development,\n', ''],
  ['window.open denied', W, "  wc.setWindowOpenHandler(() => ({ action: 'deny' }));\n", ''],
  ['will-navigate guard', W, "  wc.on('will-navigate', (e, url) => {\n    if (!isOwnUrl(url)) e.preventDefault();", "  wc.on('will-navigate', (e, url) => {\n    void e; void url;"],
  ['will-frame-navigate guard', W, '    if (!isOwnUrl(details.url)) details.preventDefault();\n', ''],
  ['will-redirect guard', W, "  wc.on('will-redirect', (e, url) => {\n    if (!isOwnUrl(url)) e.preventDefault();", "  wc.on('will-redirect', (e, url) => {\n    void e; void url;"],
  ['webview attach denied', W, "  wc.on('will-attach-webview', (e) => e.preventDefault());\n", ''],
  ['shortcut filter', W, '      if (isBlockedShortcut(input)) e.preventDefault();\n', ''],
  ['F12 blocked', W, "'f11', 'f12'];", "'f11'];"],
  ['F5 blocked', W, "'f3', 'f5', ", "'f3', "],
  ['Ctrl+W blocked', W, "['r', 'w', 'q', 'p',", "['r', 'q', 'p',"],
  ['Ctrl+Q blocked', W, "['r', 'w', 'q', 'p',", "['r', 'w', 'p',"],
  ['Ctrl+P blocked', W, "['r', 'w', 'q', 'p',", "['r', 'w', 'q',"],
  ['Ctrl+N blocked', W, "'p', 'n', 't',", "'p', 't',"],
  ['Ctrl+Shift+I blocked', W, "['i', 'j', 'c',", "['j', 'c',"],
  ['Alt+F4 blocked', W, "key === 'f4' || ", ''],
  ['app:// secure', W, 'secure: true,', 'secure: false,'],
  ['app:// never bypasses CSP', W, 'bypassCSP: false', 'bypassCSP: true'],
  ['app:// containment', W, "    if (!file.startsWith(path.resolve(rendererDir) + path.sep)) return new Response('forbidden', { status: 403 });\n", ''],
  ['app:// host check', W, "    if (url.host !== 'kiosk') return new Response('not found', { status: 404 });\n", ''],
  ['CSP on app://', W, "    headers.set('Content-Security-Policy', contentSecurityPolicy(''));\n", ''],
  ['application menu removed', W, '  electron.Menu.setApplicationMenu(null);\n', ''],
  ['webview denied in every web contents', W, "    contents.on('will-attach-webview', (e) => e.preventDefault());\n", ''],
  ['permission requests denied', W, '  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));\n', ''],
  ['permission checks denied', W, '  ses.setPermissionCheckHandler(() => false);\n', ''],
  ['device permissions denied', W, '  ses.setDevicePermissionHandler(() => false);\n', ''],
  ['IPC only from the kiosk main frame', W, "!isOwnUrl(frameUrl) || event.senderFrame !== event.sender.mainFrame", 'false'],
  ['preload: contract requests only', P, '      if (!isRequestName(name)) {', '      if (false) {'],
  ['preload: contract events only', P, '      if (!isEventName(name)) return () => undefined;\n', ''],
  ['preload: dropped files ignored', P, '  ignoreDrops(globalThis as unknown as EventTarget);\n', ''],
  ['CSP in the browser host', S, "      'Content-Security-Policy': contentSecurityPolicy(origin.replace(/^http/, 'ws')),\n", ''],
];

function copyTree() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mutation-sweep-'));
  for (const d of ['main', 'drivers', 'kiosk-config', 'build', 'renderer']) cpSync(path.join(root, d), path.join(dir, d), { recursive: true, filter: (s) => !s.split(path.sep).includes('dist') });
  for (const f of ['package.json', 'vitest.config.ts', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.tests.json']) cpSync(path.join(root, f), path.join(dir, f));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function runTests(dir, tests, { verbose = false } = {}) {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...tests], { cwd: dir, encoding: 'utf8' });
  if (verbose && r.status !== 0) console.error(`${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n'));
  return r.status === 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const gi = process.argv.indexOf('--git-tests');
  let tests = ['main/electron', 'main/browser-host/csp.test.ts'];
  const dir = copyTree();
  try {
    if (gi >= 0) {
      // Swap the host's tests for those of the given commit (the sources under test stay the current ones).
      const rev = process.argv[gi + 1];
      for (const f of readdirSync(path.join(dir, 'main', 'electron'))) if (f.endsWith('.test.ts')) rmSync(path.join(dir, 'main', 'electron', f));
      rmSync(path.join(dir, 'main', 'browser-host', 'csp.test.ts'), { force: true });
      const listed = spawnSync('git', ['ls-tree', '-r', '--name-only', rev, 'main/electron', 'main/browser-host'], { cwd: root, encoding: 'utf8' }).stdout.split('\n');
      tests = listed.filter((f) => /^main\/(electron\/.*|browser-host\/csp)\.test\.ts$/.test(f));
      for (const f of tests) writeFileSync(path.join(dir, f), spawnSync('git', ['show', `${rev}:${f}`], { cwd: root, encoding: 'utf8' }).stdout);
      console.log(`mutation-sweep: tests of ${rev}: ${tests.join(', ')}`);
    }
    if (!runTests(dir, tests, { verbose: true })) {
      console.error(`mutation-sweep: the tests fail without any mutation (${tests.join(' ')}); fix them first`);
      process.exit(2);
    }
    const survivors = [];
    for (const [name, file, find, replace] of PROTECTIONS) {
      const p = path.join(dir, file);
      const original = readFileSync(p, 'utf8');
      const count = original.split(find).length - 1;
      if (count !== 1) throw new Error(`mutation-sweep: "${name}": expected the text once in ${file}, found it ${count} times (update PROTECTIONS)`);
      writeFileSync(p, original.replace(find, replace));
      const killed = !runTests(dir, tests);
      writeFileSync(p, original);
      console.log(`${killed ? 'caught  ' : 'SURVIVED'} ${name}`);
      if (!killed) survivors.push(name);
    }
    console.log(`mutation-sweep: ${PROTECTIONS.length - survivors.length} of ${PROTECTIONS.length} protections guarded by a test; unguarded: ${survivors.join(', ') || 'none'}`);
    process.exitCode = survivors.length > 0 ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
