import { defineConfig } from '@playwright/test';

// End-to-end tests drive the real UI in Debian's Chromium (no browser download) against the browser host running on
// simulators with a temporary data dir (see e2e/harness.ts). Screenshots, traces and host logs are kept on failure.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  // The lockdown suite installs a managed Chromium policy machine-wide for its run (it would close the DevTools pipe of
  // any other Chromium started meanwhile, Playwright's own included), so it is its own project, run by its own
  // `playwright test --project=lockdown` after the rest (package.json `test:e2e`).
  projects: [
    { name: 'portrait', testIgnore: /lockdown\.spec\.ts$/, use: { viewport: { width: 1080, height: 1920 }, hasTouch: true } },
    { name: 'lockdown', testMatch: /lockdown\.spec\.ts$/ },
  ],
});
