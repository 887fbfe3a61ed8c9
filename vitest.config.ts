import os from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Files that hold the server to wall-clock bounds (a pause in small queries while a big manifest
 * commits, sign-in taking as long for a missing user as for a wrong password). They run after the
 * rest, one at a time, so another test file's CPU never counts against them.
 */
const timed = ['tests/http/manifest-load.test.ts', 'tests/http/sign-in-timing.test.ts'];

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM without an "exports" map: Node (and so the server's libraries) loads the
    // CJS build, so tests must too, or GraphQLError from two copies would fail instanceof checks.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    // One migrated template database for the run, which each test file clones (tests/support/db.ts).
    globalSetup: ['tests/support/global-setup.ts'],
    // Each file starts its own embedded database (a few seconds on PGlite).
    hookTimeout: 60_000,
    testTimeout: 30_000,
    pool: 'forks',
    // Request logs of in-process servers would bury the test report; a test that reads logs sets its own.
    env: { LOG_LEVEL: 'silent' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['tests/**/*.test.ts'],
          exclude: timed,
          sequence: { groupOrder: 0 },
          // Vitest's default leaves one core to itself, which on a 2-core machine runs the files one at a
          // time while that core idles (the runner does little; each file waits on its own database).
          maxWorkers: Math.max(2, os.availableParallelism() - 1),
          // A worker's files share its modules instead of importing the server afresh each (1.6 s a file,
          // 110 s a pass): no test replaces a module, and each file makes its own app and database.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'timed', include: timed, sequence: { groupOrder: 1 }, maxWorkers: 1 } },
    ],
  },
});
