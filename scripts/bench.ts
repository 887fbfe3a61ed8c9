// `npm run bench`: measures what docs/performance.md records. A benchmark, not a test: it prints figures.
//  1. gzipped JavaScript a browser loads for /registry (production build, real Chromium);
//  2. median / p99 latency and SQL statements per request of the SDK's registry documents, in-process,
//     on the bootstrap data and on a registry with 100 000 linked versions (BENCH_SCALE=1m: 1 000 000),
//     a 5 000-file page of download URLs of a version of 20 000 files,
//     and file_stream throughput: history rows per second into one run, in chunks of 100;
//  3. the largest contentful paint (real Chromium) of collection pages of 1 000, 2 000 and 10 linked
//     versions and of the sign-in page, alternated;
//  4. webhook automations: a link's cost with one matching automation against none, and the time from
//     a link's commit to the receiver's 200 on loopback (BENCH_ONLY=automations runs this part alone);
//  5. a 1 GiB upload with S3 storage: the SDK's multipart upload against one PUT to the same S3
//     server, and the server process's CPU time meanwhile (BENCH_ONLY=transfer; BENCH_TRANSFER_MB);
//  6. RegistryVersions requests per second from 8 clients with one and with two server processes on
//     one PostgreSQL database (BENCH_ONLY=scaleout; needs BENCH_DATABASE_URL, else it is skipped).
// BENCH_ONLY=api runs part 2 alone (no build, no browser, no automations, no server processes);
// BENCH_ONLY=web runs parts 1 to 3 (with BENCH_SCALE=small, the browser's figures in a few minutes).
// BENCH_DATABASE_URL runs part 2 on that PostgreSQL database instead of in-memory PGlite, and part 6
// on it afterwards. The bench drops and recreates its `public` schema, so it refuses any database
// whose name does not start with `bench` (e.g. `createdb bench_registry`).
import './quiet-logs.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { createServerAdapter } from '@whatwg-node/server';
import { createApp } from '../server/app.js';
import { migrateToLatest, openDatabase, type DatabaseTarget } from '../server/db/database.js';
import { bootstrap } from '../server/modules/organization/bootstrap.js';
import { sdkDocument } from '../seed/sdk-operations.js';
import { loadBenchCollection, loadBenchData, loadBenchFiles, unlinkedBenchVersions } from './bench-data.js';
import { measureFileStream } from './bench-file-stream.js';
import { measureAutomations } from './bench-automations.js';
import { measureScaleOut } from './bench-scaleout.js';
import { measureTransfer } from './bench-transfer.js';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const ADMIN = { username: 'admin', password: 'bench-password' };
const KEY = 'b'.repeat(40);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// One part alone: BENCH_ONLY=automations, transfer or scaleout (api and web: below).
const parts = { automations: measureAutomations, transfer: measureTransfer, scaleout: measureScaleOut } as const;
const only = process.env.BENCH_ONLY;
if (only && only !== 'api' && only !== 'web') {
  if (!(only in parts)) throw new Error(`BENCH_ONLY must be api, web or one of ${Object.keys(parts).join(', ')}, got "${only}".`);
  const figures = await parts[only as keyof typeof parts]();
  console.log(JSON.stringify({ date: new Date().toISOString().slice(0, 10), [only]: figures }, null, 2));
  process.exit(0);
}

const onlyApi = only === 'api';
/** Parts 4 to 6 start servers and services of their own; `api` and `web` leave them out. */
const withServers = !only;
const databaseUrl = process.env.BENCH_DATABASE_URL;

/** An empty PostgreSQL database to load: only one named `bench…`, since its whole schema is dropped. */
async function emptiedPostgres(url: string): Promise<DatabaseTarget> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.startsWith('bench')) {
    throw new Error(`BENCH_DATABASE_URL names the database "${name}": the bench empties it, so use one whose name starts with "bench"`);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('drop schema if exists public cascade; create schema public');
  } finally {
    await client.end();
  }
  return { kind: 'postgres', url };
}

if (!onlyApi) {
  console.log('Building the web app…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

let statements = 0;
const target: DatabaseTarget = databaseUrl ? await emptiedPostgres(databaseUrl) : { kind: 'pglite', dataDir: undefined };
const db = await openDatabase(target, () => statements++);
await migrateToLatest(db);
await bootstrap(db, { orgName: 'bench', adminUser: ADMIN.username, adminPassword: ADMIN.password, adminApiKey: KEY });
const app = createApp(db, { maxBodyBytes: 1024 * 1024, webDir: dist });

// 1. JavaScript loaded by /registry.
const server = http.createServer(createServerAdapter(app.fetch));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const browser = onlyApi ? undefined : await chromium.launch(systemChromium ? { executablePath: systemChromium } : {});
const scripts = new Set<string>();
let gzipped = 0;
if (browser) {
  const page = await browser.newPage({ baseURL: `http://127.0.0.1:${port}` });
  await page.request.post('/api/auth/login', { data: ADMIN, headers: { 'x-registry-csrf': '1', origin: `http://127.0.0.1:${port}` } });
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
  });
  await page.goto('/registry');
  await page.getByRole('article', { name: 'Models', exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  for (const script of scripts) gzipped += gzipSync(fs.readFileSync(path.join(dist, script))).byteLength;
}

/** The largest contentful paint of `pathname`, loaded afresh, once `ready` is visible. */
async function paintOf(browser: Browser, pathname: string, ready: (p: Page) => Promise<void>): Promise<number> {
  const fresh = await browser.newPage({ baseURL: `http://127.0.0.1:${port}` });
  await fresh.request.post('/api/auth/login', { data: ADMIN, headers: { 'x-registry-csrf': '1', origin: `http://127.0.0.1:${port}` } });
  await fresh.goto(pathname);
  await ready(fresh);
  const paint = await fresh.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => resolve(list.getEntries().at(-1)?.startTime ?? NaN)).observe({
          type: 'largest-contentful-paint',
          buffered: true,
        });
      }),
  );
  await fresh.close();
  return paint;
}

// 2. GraphQL requests as the SDK sends them, in-process: latency and SQL statements per request.
async function measure(document: string, variables: Record<string, unknown> | (() => Record<string, unknown>), runs: number) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
  const send = async () => {
    const vars = typeof variables === 'function' ? variables() : variables;
    const response = await app.fetch(
      new Request('http://bench/graphql', { method: 'POST', headers, body: JSON.stringify({ query: document, variables: vars }) }),
    );
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"')) throw new Error(text.slice(0, 500));
  };
  const warmup = Math.min(50, Math.ceil(runs / 5));
  for (let i = 0; i < warmup; i++) await send();
  const times: number[] = [];
  statements = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await send();
    times.push(performance.now() - started);
  }
  const { user, system } = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return {
    runs,
    // This process's CPU per request: less swayed than wall time by other work on a shared machine.
    cpuMsPerRequest: +((user + system) / 1000 / runs).toFixed(3),
    medianMs: +percentile(times, 50).toFixed(3),
    p99Ms: +percentile(times, 99).toFixed(3),
    sqlStatementsPerRequest: +(statements / runs).toFixed(2),
  };
}

const fetchRegistries = await measure(sdkDocument('FetchRegistries'), { organization: 'bench', perPage: 50 }, 2000);
// The floor every request pays: authentication (one statement) and the GraphQL pipeline.
const viewerOnly = await measure('{ viewer { username } }', {}, 2000);
// A run's history streamed as the SDK does (file_stream), on the same embedded database.
const fileStream = await measureFileStream(app, KEY);

// 3. A large registry: every version of `collections` × `versionsPer` linked into the Models registry.
// BENCH_SCALE=1m: 1 000 000 linked versions; =small: 2 000, for the browser figures alone in a few minutes.
const scales = { '1m': { collections: 10_000, versionsPer: 100 }, small: { collections: 20, versionsPer: 100 } } as const;
const scale = scales[process.env.BENCH_SCALE as keyof typeof scales] ?? { collections: 1_000, versionsPer: 100 };
const linked = scale.collections * scale.versionsPer;
console.log(`Loading ${linked} linked versions…`);
const admin = await db.selectFrom('users').select('id').where('username', '=', ADMIN.username).executeTakeFirstOrThrow();
const loadStarted = performance.now();
await loadBenchData(db, { ...scale, userId: admin.id });
const loadSeconds = +((performance.now() - loadStarted) / 1000).toFixed(1);
const large: Record<string, unknown> = { linkedVersions: linked, loadSeconds };
const registryFilter = JSON.stringify({ name: 'wandb-registry-model' });
const attempts: [string, () => Promise<unknown>][] = [
  [
    'RegistryCollections (50 per page)',
    () => measure(sdkDocument('RegistryCollections'), { organization: 'bench', registryFilter, perPage: 50 }, 300),
  ],
  [
    'RegistryVersions (50 per page)',
    () => measure(sdkDocument('RegistryVersions'), { organization: 'bench', registryFilter, perPage: 50 }, 300),
  ],
  [
    'RegistryVersions filtered by alias (50 per page)',
    () =>
      measure(
        sdkDocument('RegistryVersions'),
        { organization: 'bench', registryFilter, artifactFilter: JSON.stringify({ alias: 'production' }), perPage: 50 },
        300,
      ),
  ],
  [
    'ArtifactMembershipByName (coll:latest)',
    () =>
      measure(sdkDocument('ArtifactMembershipByName'), { entity: 'bench', project: 'wandb-registry-model', name: 'model-7:latest' }, 300),
  ],
];
// download() of a version of 20 000 files: its signed URLs, 5 000 a page (the SDK's page size), each
// page after the first through the cursor of the one before.
const manyFiles = Buffer.from(`Artifact:${await loadBenchFiles(db, { files: 20_000, userId: admin.id })}`).toString('base64');
const fileCursors: (string | null)[] = [null];
for (let i = 0; i < 3; i++) {
  const response = await app.fetch(
    new Request('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({
        query: sdkDocument('ArtifactFileURLs'),
        variables: { id: manyFiles, cursor: fileCursors.at(-1), perPage: 5000 },
      }),
    }),
  );
  const body = (await response.json()) as { data: { artifact: { files: { pageInfo: { endCursor: string } } } } };
  fileCursors.push(body.data.artifact.files.pageInfo.endCursor);
}
let filePage = 0;
attempts.push([
  'ArtifactFileURLs (5 000 signed URLs a page, 20 000 files)',
  () => measure(sdkDocument('ArtifactFileURLs'), () => ({ id: manyFiles, cursor: fileCursors[filePage++ % 4], perPage: 5000 }), 40),
]);
const unlinked = await unlinkedBenchVersions(db);
let next = 0;
attempts.push([
  'LinkArtifact (a new version into a collection)',
  () =>
    measure(
      sdkDocument('LinkArtifact'),
      () => ({
        input: {
          artifactID: Buffer.from(`Artifact:${unlinked[next++ % unlinked.length]}`).toString('base64'),
          artifactPortfolioName: 'link-target',
          entityName: 'bench',
          projectName: 'wandb-registry-model',
          aliases: [],
        },
      }),
      500,
    ),
]);
for (const [name, run] of attempts) {
  try {
    large[name] = await run();
  } catch (error) {
    large[name] = `not measured: ${(error as Error).message.slice(0, 200)}`;
  }
}

/** 3. Largest contentful paints in the browser (not with BENCH_ONLY=api). */
async function measurePaints(browser: Browser) {
  // The collection the link benchmark filled, topped up to 1 000 linked versions, in the browser.
  const linkDocument = sdkDocument('LinkArtifact');
  for (; next < 1000; next++) {
    const input = {
      artifactID: Buffer.from(`Artifact:${unlinked[next]}`).toString('base64'),
      artifactPortfolioName: 'link-target',
      entityName: 'bench',
      projectName: 'wandb-registry-model',
      aliases: [],
    };
    const response = await app.fetch(
      new Request('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ query: linkDocument, variables: { input } }),
      }),
    );
    if (response.status !== 200) throw new Error(await response.text());
  }
  // The 2 000- and 10-version collections: a page of a large collection against one of a small one.
  await loadBenchCollection(db, { name: 'two-thousand', versions: 2000, userId: admin.id });
  await loadBenchCollection(db, { name: 'ten', versions: 10, userId: admin.id });
  const collectionPage = (name: string, rows: number) =>
    [
      `/registry/model/${name}`,
      (p: Page) =>
        p
          .getByRole('table', { name: `Versions of ${name}` })
          .getByRole('row')
          .nth(rows)
          .waitFor(),
    ] as const;
  const pages = {
    // The floor: a page of the same app that asks for no data (the sign-in form), from the same server.
    signIn: ['/login', (p: Page) => p.getByRole('button', { name: 'Sign in' }).waitFor()] as const,
    versions1000: collectionPage('link-target', 50),
    versions2000: collectionPage('two-thousand', 50),
    versions10: collectionPage('ten', 10),
  };
  // Alternated, one of each in turn, so a slow moment of the machine weighs on every page alike.
  const paints: Record<keyof typeof pages, number[]> = { signIn: [], versions1000: [], versions2000: [], versions10: [] };
  for (let run = 0; run < 7; run++) {
    for (const [name, [pathname, ready]] of Object.entries(pages) as [keyof typeof pages, (typeof pages)[keyof typeof pages]][]) {
      paints[name].push(await paintOf(browser, pathname, ready));
    }
  }
  const median = (values: number[]) =>
    +percentile(
      [...values].sort((a, b) => a - b),
      50,
    ).toFixed(0);
  const lcp = Object.fromEntries(Object.entries(paints).map(([name, values]) => [name, median(values)])) as Record<
    keyof typeof pages,
    number
  >;
  return {
    runs: paints.signIn.length,
    mediansMs: lcp,
    allMs: paints,
    versions1000VsSignIn: { ratio: +(lcp.versions1000 / lcp.signIn).toFixed(2), goal: 1.2 },
    versions2000VsVersions10: { ratio: +(lcp.versions2000 / lcp.versions10).toFixed(2), goal: 1.1 },
  };
}

const largestContentfulPaint = browser ? await measurePaints(browser) : undefined;
await browser?.close();
server.close();
await db.destroy();

// 4. Webhook automations, on a database of their own.
const automations = withServers ? await measureAutomations() : undefined;
// 5. and 6. Real server processes: a large upload with S3 storage, and one against two processes.
const transfer = withServers ? await measureTransfer() : undefined;
const scaleOut = !withServers ? undefined : databaseUrl ? await measureScaleOut() : 'not measured: set BENCH_DATABASE_URL';

const figures = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  loadAverage: os.loadavg().map((n) => +n.toFixed(2)),
  database: databaseUrl ? 'PostgreSQL' : 'PGlite (in memory)',
  registryPageJs: onlyApi ? undefined : { files: scripts.size, gzippedKB: +(gzipped / 1024).toFixed(1), goalKB: 100 },
  fetchRegistries,
  viewerOnly,
  fileStream,
  large,
  largestContentfulPaint,
  automations,
  transfer,
  scaleOut,
};
console.log(JSON.stringify(figures, null, 2));
