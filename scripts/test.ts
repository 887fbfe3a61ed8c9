// `npm test`: every check, failing on the first that fails: type check, lint and format check side by
// side, then unit + GraphQL tests on PGlite (and on PostgreSQL when TEST_DATABASE_URL is set),
// the production build, then Playwright against it in Chromium.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
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

/**
 * Runs checks side by side (each is single-threaded; together they use both cores), printing each
 * one's output when it ends; stops after them if any failed.
 */
async function runTogether(checks: { title: string; command: string; args: string[] }[]): Promise<void> {
  const outcomes = await Promise.all(
    checks.map(
      ({ title, command, args }) =>
        new Promise<{ title: string; ok: boolean; output: string; seconds: number }>((resolve) => {
          const started = Date.now();
          const child = spawn(command, args, { cwd: root, env: process.env });
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
          child.on('close', (code) => resolve({ title, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
        }),
    ),
  );
  for (const { title, ok, output, seconds } of outcomes) {
    console.log(`\n▶ ${title}\n${output.trimEnd()}`);
    console.log(`  ${title}: ${ok ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s`);
  }
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  if (failed > 0) {
    console.log(`\n${counts.passed} passed, ${failed} failed`);
    process.exit(1);
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

await runTogether([
  { title: 'type check', command: 'npm', args: ['run', 'typecheck'] },
  { title: 'lint', command: 'npm', args: ['run', 'lint'] },
  { title: 'format (check)', command: 'npx', args: ['prettier', '--check', '.'] },
]);

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
// Screenshots in the light scheme only: nobody looks at CI's, and the layout they check is the same in dark.
run('Playwright in Chromium', 'npx', ['playwright', 'test'], { env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport, E2E_SCREENSHOTS: 'light' } });
const e2e = JSON.parse(fs.readFileSync(e2eReport, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number } };
counts.passed += e2e.stats.expected + e2e.stats.flaky;
counts.failed += e2e.stats.unexpected;

console.log(`\n${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed === 0 ? 0 : 1);
