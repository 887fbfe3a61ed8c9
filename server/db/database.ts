import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type KyselyConfig, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import { pglitePool } from './pglite-pool.js';
import { preparedPool } from './postgres-pool.js';
import type { Database } from './tables.js';
import { log as serverLog } from '../observability/log.js';

export type DB = Kysely<Database>;

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  /**
   * `dataDir` undefined keeps the database in memory (tests); `loadDataDir` starts it from a dumped
   * data directory (tests clone one migrated database instead of migrating each).
   */
  | { kind: 'pglite'; dataDir: string | undefined; loadDataDir?: Blob };

/** Called after every SQL statement (benchmarks count statements per request with it). */
export type QueryListener = (sql: string, parameters: readonly unknown[], durationMs: number) => void;

const inProcess = new WeakSet<DB>();

/**
 * Whether the database runs inside this process (PGlite): one statement at a time, holding the event
 * loop while it runs, so long work must leave gaps for other requests.
 */
export function runsInProcess(db: DB): boolean {
  return inProcess.has(db);
}

const pools = new WeakMap<DB, pg.Pool>();
/** Where a database's notifications come from: the embedded instance, or a PostgreSQL URL to listen on. */
const notifiers = new WeakMap<DB, PGlite | string>();

/** The PostgreSQL pool's connections and waiting queries (for metrics); undefined on the embedded database. */
export function poolStats(db: DB): { total: number; idle: number; waiting: number } | undefined {
  const pool = pools.get(db);
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** The one place the SQL dialect is chosen: PostgreSQL when a URL is given, embedded PGlite otherwise. */
export async function openDatabase(target: DatabaseTarget, onQuery?: QueryListener): Promise<DB> {
  const log: KyselyConfig['log'] = onQuery
    ? (event) => onQuery(event.query.sql, event.query.parameters, event.queryDurationMillis)
    : undefined;
  if (target.kind === 'postgres') {
    // bigint (sizes, counts) as numbers on both drivers: every size we store fits in 2^53.
    pg.types.setTypeParser(pg.types.builtins.INT8, Number);
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on next use.
    pool.on('error', (error) => serverLog.warn({ err: error }, 'PostgreSQL connection lost'));
    // Statements run prepared (postgres-pool.ts) under PostgreSQL's own plan_cache_mode (auto), which
    // keeps a generic plan only where it costs no more: forcing generic plans, as on PGlite, once made
    // the alias-filtered versions page 12 times slower at 1 000 000 versions (docs/performance.md).
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparedPool(pool) }), log });
    pools.set(db, pool);
    notifiers.set(db, target.url);
    return db;
  }
  if (target.dataDir) await fs.mkdir(path.dirname(target.dataDir), { recursive: true });
  const lite = await PGlite.create(target.dataDir, { parsers: { 20: Number }, loadDataDir: target.loadDataDir });
  // Statements run prepared (pglite-pool.ts); planning a page query cost as much as running it, and
  // with a LIMIT parameter PostgreSQL's own choice keeps re-planning every execution for ever.
  await lite.exec('set plan_cache_mode = force_generic_plan');
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(lite) }), log });
  inProcess.add(db);
  notifiers.set(db, lite);
  return db;
}

const LISTEN_RETRY_MS = 1000;

/**
 * Calls `onNotify` each time a transaction that sent NOTIFY on `channel` commits (from any server on
 * the database), and once more after each reconnection, since notifications sent while disconnected
 * are lost. On PostgreSQL it holds a connection of its own (the pool's are shared); on PGlite the one
 * session listens and the callback runs in-process. Returns the function that stops listening.
 */
export async function listenForNotifications(db: DB, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
  const source = notifiers.get(db);
  if (!source) throw new Error('listenForNotifications: a database opened by openDatabase is needed');
  const statement = (verb: 'listen' | 'unlisten') => `${verb} ${pg.escapeIdentifier(channel)}`;
  if (typeof source !== 'string') {
    const off = source.onNotification((name) => {
      if (name === channel) onNotify();
    });
    // Through Kysely's pool, so it never lands inside a transaction another caller holds.
    await sql.raw(statement('listen')).execute(db);
    return async () => {
      off();
      await sql.raw(statement('unlisten')).execute(db);
    };
  }
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const current = new pg.Client({ connectionString: source });
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      if (client === current) client = undefined;
      current.end().catch(() => undefined);
      if (stopped) return;
      serverLog.warn({ err: error }, `LISTEN ${channel}: connection lost; reconnecting`);
      retry = setTimeout(() => void connect(), LISTEN_RETRY_MS);
    };
    current.on('error', fail);
    current.on('end', () => fail(new Error('the connection ended')));
    current.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    try {
      await current.connect();
      await current.query(statement('listen'));
    } catch (error) {
      fail(error);
      return;
    }
    if (stopped) {
      failed = true;
      await current.end();
      return;
    }
    client = current;
    onNotify();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const last = client;
    client = undefined;
    await last?.end();
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: DB): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
