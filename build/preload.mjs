// The Electron preload bundle, built for Electron's sandboxed preload runner (webPreferences.sandbox: true).
// That runner is not Node: it gives the script only `require` (of 'electron', 'events', 'timers', 'url'),
// `process`, `Buffer`, `global`, `exports` and `module` — no `__filename`, no `import.meta`, no `node:*` modules.
// So the preload gets no banner, no import.meta shim, and the bundle is checked for anything else it would require.
// Used by build/build.mjs and by main/electron/preload-sandbox.test.ts (which runs the built file in a `vm`
// emulation of that runner).

/** What Electron's sandboxed preload runner lets a preload `require`. */
export const SANDBOX_REQUIRABLE = ['electron', 'events', 'timers', 'url'];

/** esbuild options for dist/main/preload.cjs. */
export function preloadBuildOptions(root, outdir) {
  return {
    bundle: true,
    // 'browser' makes esbuild refuse node:* imports and pick browser builds of dependencies.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    sourcemap: true,
    logLevel: 'warning',
    entryPoints: { preload: 'main/electron/preload.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
    absWorkingDir: root,
  };
}

/**
 * Reasons why `code` cannot run in the sandboxed preload runner (empty when it can). A cheap static guard that
 * the build applies; the vm test is the real proof.
 */
export function sandboxedPreloadProblems(code) {
  const problems = [];
  for (const m of code.matchAll(/\brequire\((["'`])([^"'`]+)\1\)/g)) {
    if (!SANDBOX_REQUIRABLE.includes(m[2])) problems.push(`requires "${m[2]}" (the sandbox allows only ${SANDBOX_REQUIRABLE.join(', ')})`);
  }
  if (/\b__filename\b/.test(code)) problems.push('uses __filename (undefined in the sandbox)');
  if (/\b__dirname\b/.test(code)) problems.push('uses __dirname (undefined in the sandbox)');
  if (/\bimport\.meta\b/.test(code)) problems.push('uses import.meta (not available to a CommonJS preload)');
  return problems;
}
