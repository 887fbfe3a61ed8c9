import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM without an "exports" map: Node (and so the server's libraries) loads the
    // CJS build, so tests must too, or GraphQLError from two copies would fail instanceof checks.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // One migrated template database for the run, which each test file clones (tests/support/db.ts).
    globalSetup: ['tests/support/global-setup.ts'],
    // Each file starts its own embedded database (a few seconds on PGlite).
    hookTimeout: 60_000,
    testTimeout: 30_000,
    pool: 'forks',
    // Request logs of in-process servers would bury the test report; a test that reads logs sets its own.
    env: { LOG_LEVEL: 'silent' },
    // Vitest's default leaves one core to itself, which on a 2-core machine runs the files one at a time
    // while that core idles (the runner does little; each file waits on its own database). Two at least.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
