// Lint: correctness rules plus the process boundaries of STYLE.md §1, checked by tooling rather than by review.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeModules = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'stream', 'events'];
const hostOnly = ['better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'electron', 'ws', 'pdfkit'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'artifacts/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Build scripts, the CI helpers and tests run in Node; the renderer's globals come from its tsconfig (DOM).
    files: ['build/**/*.{js,mjs}', 'e2e/**/*.ts', '**/*.test.{ts,tsx}', '**/*.bench.ts', '*.config.{js,ts}', 'renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // React's rules of hooks for the touch UI.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The renderer runs in a sandboxed page: no Node, no Electron, no drivers, no host-side storage.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}', 'renderer/vite.config.ts', 'renderer/**/*.bench.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...nodeModules, ...hostOnly], message: 'The renderer may not import Node, Electron or host-only modules.' },
          { group: ['**/drivers/**', '**/drivers'], message: 'The renderer talks to hardware only through window.kiosk (main/contract).' },
          { group: ['**/main/*', '!**/main/contract', '!**/main/contract/**'], message: 'The renderer may import only main/contract from main/.' },
        ],
      }],
    },
  },
  {
    // The contract and the config schemas are pure: shared by host and renderer.
    files: ['main/contract/**/*.ts', 'kiosk-config/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...nodeModules, ...hostOnly, 'react', 'react-dom'], message: 'Contract and config schemas must stay pure (no Node, no DOM, no Electron).' },
          { group: ['**/drivers/**', '**/renderer/**'], message: 'Contract and config schemas must not depend on drivers or the renderer.' },
        ],
      }],
    },
  },
  {
    // Drivers: Node only. No Electron, no React, nothing from the host.
    files: ['drivers/**/*.ts'],
    ignores: ['drivers/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'react', 'react-dom', 'better-sqlite3'], message: 'Drivers run in plain Node and do not use Electron, React or storage.' },
          { group: ['**/main/**', '**/renderer/**'], message: 'Drivers do not depend on the host or the renderer.' },
        ],
      }],
    },
  },
  {
    // Production host code may not reach simulators; only main/simulation/ wires them in (STYLE.md §1).
    files: ['main/**/*.ts'],
    ignores: ['main/**/*.test.ts', 'main/simulation/**', 'main/contract/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/simulator', '**/simulator.js', '**/*-simulator', '**/*-simulator.js', '**/drivers/sim', '**/drivers/sim.js'], message: 'Simulators are wired only in main/simulation/.' },
        ],
      }],
    },
  },
);
