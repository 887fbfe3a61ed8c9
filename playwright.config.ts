import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import {
  E2E_ADMIN,
  E2E_API_KEY,
  E2E_BUCKET,
  E2E_BUCKET_CREDENTIALS,
  E2E_BUCKET_ORIGIN,
  E2E_ORIGIN,
  E2E_PORT as port,
  E2E_S3_ORIGIN,
  E2E_S3_PORT as s3Port,
} from './e2e/support/constants';

// Debian's Chromium where it is installed (Playwright cannot download browsers everywhere);
// Playwright's own browsers elsewhere.
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

export default defineConfig({
  testDir: 'e2e',
  // Two spec files at a time, each test of a file in order: the specs make their own uniquely named
  // data, and the browser and the server each keep a core busy while the other waits.
  fullyParallel: false,
  workers: 2,
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
  projects: [
    // Every spec against the server with the local store; `*.s3.spec.ts` against the one with a bucket.
    { name: 'chromium', testIgnore: '**/*.s3.spec.ts', use: { ...devices['Desktop Chrome'] } },
    { name: 'chromium-s3', testMatch: '**/*.s3.spec.ts', use: { ...devices['Desktop Chrome'], baseURL: E2E_S3_ORIGIN } },
  ],
  webServer: [
    {
      // The production build on a fresh data directory, exactly as `npm start` serves it.
      command: 'npx tsx e2e/support/fresh-server.ts',
      url: `http://127.0.0.1:${port}/graphql?query=%7B__typename%7D`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'pipe',
      env: serverEnv(port),
    },
    {
      // The same, with its files in an empty bucket of an S3 service on loopback (started first, by the command).
      command: 'npx tsx e2e/support/fresh-s3-server.ts',
      url: `http://127.0.0.1:${s3Port}/graphql?query=%7B__typename%7D`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'pipe',
      env: {
        ...serverEnv(s3Port),
        S3_BUCKET: E2E_BUCKET,
        S3_ENDPOINT: E2E_BUCKET_ORIGIN,
        S3_FORCE_PATH_STYLE: 'true',
        // Found by the AWS SDK's chain before any profile or role of the machine.
        AWS_ACCESS_KEY_ID: E2E_BUCKET_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: E2E_BUCKET_CREDENTIALS.secretAccessKey,
      },
    },
  ],
});

/** The environment of an e2e server's first start on `port`. */
function serverEnv(serverPort: number): Record<string, string> {
  return {
    PORT: String(serverPort),
    // One data directory per port, so two suites on two ports never share a database.
    DATA_DIR: `.e2e-data/${serverPort}`,
    REGISTRY_ORG: 'acme',
    REGISTRY_ADMIN_USER: E2E_ADMIN.username,
    REGISTRY_ADMIN_PASSWORD: E2E_ADMIN.password,
    REGISTRY_ADMIN_API_KEY: E2E_API_KEY,
    // The automations spec's webhook receiver listens on loopback, inside the test.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    // One line per request would bury the test report; warnings and errors still show.
    LOG_LEVEL: 'warn',
  };
}
