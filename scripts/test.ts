// `npm test`: every check, in order, failing on the first that fails:
// type check, lint, format check, unit + GraphQL tests on PGlite (and on PostgreSQL when TEST_DATABASE_URL is set),
// the production build, then Playwright against it in Chromium.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const counts = { passed: 0, failed: 0 };

function run(title: string, command: string, args: string[], options: SpawnSyncOptions = {}): void {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options, env: { ...process.env, ...options.env } });
  console.log(`  ${title}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) {
    console.log(`\n${counts.passed} passed, ${counts.failed + 1} failed`);
    process.exit(result.status ?? 1);
  }
}

function countVitest(file: string): void {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number };
  counts.passed += report.numPassedTests;
  counts.failed += report.numFailedTests;
}

/** Debian's Chromium where apt can install it; Playwright's own browser elsewhere. */
function ensureChromium(): void {
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].some((p) => fs.existsSync(p));
  if (system) return;
  const apt = process.platform === 'linux' && fs.existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;
  if (apt) {
    run('install Chromium (apt)', 'sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium']);
  } else {
    run('install Chromium (Playwright)', 'npx', ['playwright', 'install', 'chromium']);
  }
}

run('type check', 'npm', ['run', 'typecheck']);
run('lint', 'npm', ['run', 'lint']);
run('format (check)', 'npx', ['prettier', '--check', '.']);

const pgliteReport = path.join(results, 'vitest-pglite.json');
run('unit and GraphQL tests on PGlite', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${pgliteReport}`,
]);
countVitest(pgliteReport);

if (process.env.TEST_DATABASE_URL) {
  const pgReport = path.join(results, 'vitest-postgres.json');
  run(
    'unit and GraphQL tests on PostgreSQL',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${pgReport}`],
    {
      env: { TEST_DB: 'postgres' },
    },
  );
  countVitest(pgReport);
} else {
  console.log('\n(TEST_DATABASE_URL is not set: the PostgreSQL run is skipped)');
}

run('production build', 'npm', ['run', 'build']);
fs.writeFileSync(path.join(root, 'dist', '.build-stamp'), new Date().toISOString());
ensureChromium();
const e2eReport = path.join(results, 'playwright.json');
run('Playwright in Chromium', 'npx', ['playwright', 'test'], { env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport } });
const e2e = JSON.parse(fs.readFileSync(e2eReport, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number } };
counts.passed += e2e.stats.expected + e2e.stats.flaky;
counts.failed += e2e.stats.unexpected;

console.log(`\n${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed === 0 ? 0 : 1);
