import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { E2E_ADMIN, E2E_API_KEY, E2E_ORIGIN, E2E_PORT as port } from './e2e/support/constants';

// Debian's Chromium where it is installed (Playwright cannot download browsers everywhere);
// Playwright's own browsers elsewhere.
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : 'list',
  use: {
    baseURL: E2E_ORIGIN,
    trace: 'retain-on-failure',
    launchOptions: systemChromium
      ? {
          executablePath: systemChromium,
          args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        }
      : {},
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    // The production build on a fresh data directory, exactly as `npm start` serves it.
    command: 'npx tsx e2e/support/fresh-server.ts',
    url: `http://127.0.0.1:${port}/graphql?query=%7B__typename%7D`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      // One data directory per port, so two suites on two ports never share a database.
      DATA_DIR: `.e2e-data/${port}`,
      REGISTRY_ORG: 'acme',
      REGISTRY_ADMIN_USER: E2E_ADMIN.username,
      REGISTRY_ADMIN_PASSWORD: E2E_ADMIN.password,
      REGISTRY_ADMIN_API_KEY: E2E_API_KEY,
      // The automations spec's webhook receiver listens on loopback, inside the test.
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      // One line per request would bury the test report; warnings and errors still show.
      LOG_LEVEL: 'warn',
    },
  },
});
