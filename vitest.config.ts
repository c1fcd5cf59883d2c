import { defineConfig } from 'vitest/config';

// Unit and integration tests sit next to the code they test (`*.test.ts`). End-to-end tests (Playwright) live in
// e2e/ and are run by `npm run test:e2e`. Renderer tests that need a DOM declare `// @vitest-environment jsdom`.
export default defineConfig({
  test: {
    include: ['{main,renderer,drivers,kiosk-config,build}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
