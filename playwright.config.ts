import { defineConfig } from '@playwright/test';

/** Debian's Chromium by default; NETWRIGHT_CHROMIUM points elsewhere. */
const executablePath = process.env.NETWRIGHT_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  workers: 1,
  // A stray test.only would silently skip the rest of the suite: refuse it everywhere, CI or not.
  forbidOnly: true,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '.playwright-results.json' }]],
  use: {
    headless: true,
    actionTimeout: 10_000,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath,
      // Without these Chromium keeps calling home, and this machine's closed network refuses it.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
