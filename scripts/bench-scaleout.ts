// Scale-out in the benchmark (BENCH_ONLY=scaleout runs only this part): one PostgreSQL database
// (BENCH_DATABASE_URL, which this part wipes) loaded with a registry of BENCH_SCALEOUT_VERSIONS linked
// versions (100 000), two server processes started on it as `npm start` starts the server, and the
// SDK's RegistryVersions sent by 8 concurrent clients for a fixed time, to one process and then spread
// round-robin over both, alternated. Figures: requests per second, median and p99 latency, and the CPU
// each process, this load generator and the PostgreSQL backends serving them used (PostgreSQL on the
// same machine: on a machine of few cores they all share it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { bootstrap } from '../server/modules/organization/bootstrap.js';
import { sdkDocument } from '../seed/sdk-operations.js';
import { loadBenchData } from './bench-data.js';
import { cpuSecondsOf, startBenchServer, type BenchServer } from './bench-servers.js';

const KEY = 's'.repeat(40);
const CLIENTS = 8;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** BENCH_DATABASE_URL, refused unless it names a database meant for the benchmark (it is wiped). */
export function benchDatabaseUrl(value: string | undefined): string {
  if (!value) {
    throw new Error(
      'The scale-out benchmark needs BENCH_DATABASE_URL: a PostgreSQL database it may wipe, whose name contains "bench" ' +
        '(e.g. createdb bench_registry; BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_registry).',
    );
  }
  let name = '';
  try {
    const url = new URL(value);
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') name = decodeURIComponent(url.pathname.slice(1));
  } catch {
    name = '';
  }
  if (!name.includes('bench')) {
    throw new Error(
      `BENCH_DATABASE_URL must be a postgres:// URL of a database whose name contains "bench" (the benchmark wipes it), got "${value}".`,
    );
  }
  return value;
}

/** An empty schema, migrated, with the organization and the large registry. */
async function load(url: string, versions: number) {
  const db = await openDatabase({ kind: 'postgres', url });
  try {
    await sql`drop schema public cascade`.execute(db);
    await sql`create schema public`.execute(db);
    await migrateToLatest(db);
    await bootstrap(db, { orgName: 'bench', adminUser: 'admin', adminPassword: 'bench-password', adminApiKey: KEY });
    const admin = await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const started = performance.now();
    await loadBenchData(db, { collections: Math.max(1, Math.round(versions / 100)), versionsPer: 100, userId: admin.id });
    await sql`analyze`.execute(db);
    return +((performance.now() - started) / 1000).toFixed(1);
  } finally {
    await db.destroy();
  }
}

/** The CPU time so far of each PostgreSQL backend connected to the benchmark's database (same machine), by pid. */
async function backendCpu(admin: pg.Client): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  return new Map(rows.map(({ pid }) => [pid, cpuSecondsOf(pid)]));
}

/** `CLIENTS` loops sending RegistryVersions round-robin over `servers`; latencies counted after the warm-up. */
async function drive(servers: BenchServer[], admin: pg.Client, warmupMs: number, measureMs: number) {
  const body = JSON.stringify({
    query: sdkDocument('RegistryVersions'),
    variables: { organization: 'bench', registryFilter: JSON.stringify({ name: 'wandb-registry-model' }), perPage: 50 },
  });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
  let turn = 0;
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + measureMs;
  let cpuBefore: number[] = [];
  let ownBefore = process.cpuUsage();
  let backendsBefore = new Map<number, number>();
  const marked = new Promise<void>((resolve) =>
    setTimeout(() => {
      cpuBefore = servers.map((s) => s.cpuSeconds());
      ownBefore = process.cpuUsage();
      void backendCpu(admin).then((cpu) => {
        backendsBefore = cpu;
        resolve();
      });
    }, warmupMs),
  );
  const client = async () => {
    for (;;) {
      const sent = performance.now();
      if (sent >= end) return;
      const server = servers[turn++ % servers.length]!;
      const response = await fetch(`${server.base}/graphql`, { method: 'POST', headers, body });
      const text = await response.text();
      if (response.status !== 200 || text.includes('"errors"')) throw new Error(text.slice(0, 300));
      const done = performance.now();
      if (sent >= measureFrom && done <= end) latencies.push(done - sent);
    }
  };
  await Promise.all([marked, ...Array.from({ length: CLIENTS }, client)]);
  const own = process.cpuUsage(ownBefore);
  let backends = 0;
  for (const [pid, cpu] of await backendCpu(admin)) backends += cpu - (backendsBefore.get(pid) ?? 0);
  latencies.sort((a, b) => a - b);
  const seconds = measureMs / 1000;
  return {
    requestsPerSecond: +(latencies.length / seconds).toFixed(1),
    medianMs: +percentile(latencies, 50).toFixed(2),
    p99Ms: +percentile(latencies, 99).toFixed(2),
    // CPU cores busy on average: each server process, and this process (the 8 clients).
    serverCores: servers.map((s, i) => +((s.cpuSeconds() - (cpuBefore[i] ?? 0)) / seconds).toFixed(2)),
    clientCores: +((own.user + own.system) / 1e6 / seconds).toFixed(2),
    postgresCores: +(backends / seconds).toFixed(2),
    loadAverage: +(os.loadavg()[0] ?? 0).toFixed(2),
  };
}

export async function measureScaleOut(options: { versions?: number; rounds?: number; warmupMs?: number; measureMs?: number } = {}) {
  const url = benchDatabaseUrl(process.env.BENCH_DATABASE_URL);
  const versions =
    options.versions ?? (Number(process.env.BENCH_SCALEOUT_VERSIONS) > 0 ? Number(process.env.BENCH_SCALEOUT_VERSIONS) : 100_000);
  const rounds = options.rounds ?? 3;
  const warmupMs = options.warmupMs ?? 3000;
  const measureMs = options.measureMs ?? 15_000;
  console.log(`Loading ${versions} linked versions into PostgreSQL…`);
  const loadSeconds = await load(url, versions);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-bench-scaleout-'));
  const env = {
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    REGISTRY_ORG: 'bench',
    REGISTRY_ADMIN_PASSWORD: 'bench-password',
    REGISTRY_ADMIN_API_KEY: KEY,
    SECRETS_KEY: 'ab'.repeat(32),
  };
  const servers: BenchServer[] = [];
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    servers.push(await startBenchServer(env));
    servers.push(await startBenchServer(env));
    const one: Awaited<ReturnType<typeof drive>>[] = [];
    const two: Awaited<ReturnType<typeof drive>>[] = [];
    // Alternated, so a slow moment of the machine weighs on both alike.
    for (let round = 0; round < rounds; round++) {
      one.push(await drive(servers.slice(0, 1), admin, warmupMs, measureMs));
      two.push(await drive(servers, admin, warmupMs, measureMs));
    }
    // The round of median throughput.
    const middle = (results: typeof one) =>
      [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(results.length / 2)]!;
    const oneMedian = middle(one);
    const twoMedian = middle(two);
    return {
      linkedVersions: versions,
      loadSeconds,
      clients: CLIENTS,
      secondsPerRound: measureMs / 1000,
      cpus: os.cpus().length,
      oneProcess: { median: oneMedian, rounds: one },
      twoProcesses: { median: twoMedian, rounds: two },
      twoVsOne: +(twoMedian.requestsPerSecond / oneMedian.requestsPerSecond).toFixed(2),
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
