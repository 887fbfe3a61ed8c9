// Compares ways of running statements on a PostgreSQL database that
// `BENCH_ONLY=api BENCH_DATABASE_URL=… npm run bench` has loaded (`tsx scripts/bench-postgres.ts <url>`):
//  1. whole SDK requests in-process, each served by one app per variant (statements unnamed as node-pg
//     sends them, or prepared under each `plan_cache_mode`), alternated request by request so the
//     machine's other work weighs on every variant alike;
//  2. each page's own statement alone from a client, unnamed and prepared under each mode, alternated.
import './quiet-logs.js';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../server/app.js';
import { openDatabase } from '../server/db/database.js';
import { preparedPool } from '../server/db/postgres-pool.js';
import type { Database } from '../server/db/tables.js';
import { sdkDocument } from '../seed/sdk-operations.js';

const url = process.argv[2] ?? process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('give the URL of a database the bench has loaded');
const KEY = 'b'.repeat(40);
const ROUNDS = Number(process.env.ROUNDS ?? 200);
const modes = ['unnamed', 'auto', 'force_generic_plan', 'force_custom_plan'] as const;
type Mode = (typeof modes)[number];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)] ?? NaN;

let captured: { sql: string; parameters: readonly unknown[] }[] = [];
// Opened first: it sets the bigint parser every variant shares.
const reference = await openDatabase({ kind: 'postgres', url }, (text, parameters) => captured.push({ sql: text, parameters }));
const apps = Object.fromEntries(
  modes.map((mode) => {
    const pool = new pg.Pool({ connectionString: url, max: 10, options: mode === 'unnamed' ? undefined : `-c plan_cache_mode=${mode}` });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: mode === 'unnamed' ? pool : preparedPool(pool) }) });
    return [mode, { db, app: createApp(db, { maxBodyBytes: 1024 * 1024, webDir: 'dist' }) }];
  }),
) as Record<Mode, { db: Kysely<Database>; app: ReturnType<typeof createApp> }>;

async function send(app: ReturnType<typeof createApp>, query: string, variables: Record<string, unknown>) {
  const response = await app.fetch(
    new Request('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query, variables }),
    }),
  );
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) throw new Error(text.slice(0, 300));
}

const registryFilter = JSON.stringify({ name: 'wandb-registry-model' });
const reads: [string, string, Record<string, unknown>][] = [
  ['RegistryCollections', sdkDocument('RegistryCollections'), { organization: 'bench', registryFilter, perPage: 50 }],
  ['RegistryVersions', sdkDocument('RegistryVersions'), { organization: 'bench', registryFilter, perPage: 50 }],
  [
    'RegistryVersions by alias',
    sdkDocument('RegistryVersions'),
    { organization: 'bench', registryFilter, artifactFilter: JSON.stringify({ alias: 'production' }), perPage: 50 },
  ],
  [
    'ArtifactMembershipByName',
    sdkDocument('ArtifactMembershipByName'),
    { entity: 'bench', project: 'wandb-registry-model', name: 'model-7:latest' },
  ],
];

// 1. Whole requests.
const requests: Record<string, Record<Mode, string>> = {};
const unlinked = (
  await sql<{ id: number }>`
    select a.id from artifacts a join collections c on c.id = a.sequence_id
    where c.name = 'link-source' and not exists (select 1 from memberships m where m.artifact_id = a.id and m.is_link)
    order by a.id`.execute(reference)
).rows.map((r) => r.id);
const linkRounds = Math.floor(unlinked.length / modes.length);
const link = (id: number) => ({
  input: {
    artifactID: Buffer.from(`Artifact:${id}`).toString('base64'),
    artifactPortfolioName: 'link-target',
    entityName: 'bench',
    projectName: 'wandb-registry-model',
    aliases: [],
  },
});
const work: [string, number, (round: number, index: number) => [string, Record<string, unknown>]][] = [
  ...reads.map(([label, query, variables]) => [label, ROUNDS, () => [query, variables]] as (typeof work)[number]),
  ['LinkArtifact', linkRounds, (round, index) => [sdkDocument('LinkArtifact'), link(unlinked[round * modes.length + index] ?? 0)]],
];
for (const [label, rounds, request] of work) {
  const times = Object.fromEntries(modes.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  for (let round = -Math.min(20, Math.floor(rounds / 5)); round < rounds; round++) {
    for (const [index, mode] of modes.entries()) {
      const [query, variables] = request(Math.max(round, 0), index);
      if (round < 0 && label === 'LinkArtifact') continue;
      const started = performance.now();
      await send(apps[mode].app, query, variables);
      if (round >= 0) times[mode].push(performance.now() - started);
    }
  }
  requests[label] = Object.fromEntries(modes.map((m) => [m, `${median(times[m]).toFixed(2)} (p99 ${p99(times[m]).toFixed(1)})`])) as Record<
    Mode,
    string
  >;
}

// 2. Statements alone.
const clients = await Promise.all(
  modes.map(async (mode) => {
    const client = new pg.Client({ connectionString: url, options: mode === 'unnamed' ? undefined : `-c plan_cache_mode=${mode}` });
    await client.connect();
    return { mode, client };
  }),
);
const statements: Record<string, Record<Mode, number>> = {};
for (const [index, [label, query, variables]] of reads.entries()) {
  captured = [];
  await send(createApp(reference, { maxBodyBytes: 1024 * 1024, webDir: 'dist' }), query, variables);
  // The document's last statement is its page (or version) statement; the first is the API key.
  const statement = captured.at(-1);
  if (!statement) throw new Error(`${label}: no statement`);
  const times = Object.fromEntries(modes.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const { mode, client } of clients) {
      const values = [...statement.parameters];
      const started = performance.now();
      await client.query(mode === 'unnamed' ? { text: statement.sql, values } : { name: `page${index}`, text: statement.sql, values });
      times[mode].push(performance.now() - started);
    }
  }
  statements[`${label} (${statement.sql.length} characters)`] = Object.fromEntries(
    modes.map((m) => [m, +median(times[m]).toFixed(3)]),
  ) as Record<Mode, number>;
}
for (const { client } of clients) await client.end();
for (const { db } of Object.values(apps)) await db.destroy();
await reference.destroy();
console.log(JSON.stringify({ rounds: ROUNDS, linkRounds, requestsMs: requests, statementsAloneMedianMs: statements }, null, 2));
