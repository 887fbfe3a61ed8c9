import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { migrateToLatest, openDatabase, type DB, type QueryListener } from '../../server/db/database.js';
import { migrations } from '../../server/db/migrations/index.js';
import { pglitePool } from '../../server/db/pglite-pool.js';
import type { Database } from '../../server/db/tables.js';

/** Which database the suite runs on: `TEST_DB=postgres` (with TEST_DATABASE_URL) or embedded PGlite. */
export const onPostgres = process.env.TEST_DB === 'postgres';

/**
 * Test files start from one migrated template database instead of migrating their own. The template
 * is named by the migrations' names and code, so a changed migration never reuses an old template.
 */
const migrationsKey = createHash('sha256')
  .update(JSON.stringify(Object.entries(migrations).map(([name, { up, down }]) => [name, String(up), String(down)])))
  .digest('hex')
  .slice(0, 16);

/** A template another checkout or run has not used for this long is dropped. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/** Migrates only up to `until` (for tests of a migration's data changes). */
async function migrateTo(db: DB, until: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(until);
  if (error) throw error;
}

/**
 * A fresh, migrated database of its own: in-memory PGlite, or a new database on the test server
 * (`url` names it, for a test that starts the server on it). Cloned from the migrated template unless
 * `until` asks for an older schema.
 */
export async function freshDatabase(onQuery?: QueryListener, until?: string): Promise<{ db: DB; drop: () => Promise<void>; url?: string }> {
  if (!onPostgres) {
    const loadDataDir = until === undefined ? await pgliteTemplate() : undefined;
    const db = await openDatabase({ kind: 'pglite', dataDir: undefined, loadDataDir }, onQuery);
    if (until !== undefined) await migrateTo(db, until);
    return { db, drop: () => db.destroy() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  const template = until === undefined ? await postgresTemplate(url) : undefined;
  const name = `registry_test_${randomBytes(6).toString('hex')}`;
  await onServer(url, (admin) => admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`));
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl(url, name) }, onQuery);
  if (until !== undefined) await migrateTo(db, until);
  return {
    db,
    url: databaseUrl(url, name),
    drop: async () => {
      await db.destroy();
      await onServer(url, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

function databaseUrl(serverUrl: string, name: string): string {
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  return target.toString();
}

async function onServer<T>(url: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Builds the template the suite's database needs, once before the test files start (Vitest's globalSetup). */
export async function prepareTemplate(): Promise<void> {
  if (!onPostgres) await pgliteTemplate();
  else if (process.env.TEST_DATABASE_URL) await postgresTemplate(process.env.TEST_DATABASE_URL);
}

let pgliteDump: Promise<Blob> | undefined;

/**
 * The migrated PGlite data directory as a tarball, kept in a file: every test process of the run (and
 * later runs) loads it instead of creating and migrating a database, about twice as fast.
 */
function pgliteTemplate(): Promise<Blob> {
  pgliteDump ??= (async () => {
    const folder = path.resolve(import.meta.dirname, '../../node_modules/.cache/test-db');
    const file = path.join(folder, `pglite-${migrationsKey}.tar`);
    const saved = await fs.readFile(file).catch(() => undefined);
    if (saved) return new Blob([saved]);
    const lite = await PGlite.create();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(lite) }) });
    await migrateToLatest(db);
    const dump = await lite.dumpDataDir('none');
    await db.destroy();
    // Written aside and renamed, so a process that reads it meanwhile never sees half a file.
    await fs.mkdir(folder, { recursive: true });
    const partial = `${file}.${process.pid}`;
    await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(partial, file);
    for (const old of await fs.readdir(folder)) {
      if (old.startsWith('pglite-') && !file.endsWith(old)) await fs.rm(path.join(folder, old), { force: true });
    }
    return dump;
  })();
  return pgliteDump;
}

let postgresReady: Promise<string> | undefined;

/**
 * The name of the migrated template database on the test server, built by the first test process that
 * needs it (the others wait on a lock). It accepts no connections, as `create database … template`
 * requires; stale templates (other migrations, unused for an hour) are dropped.
 */
function postgresTemplate(url: string): Promise<string> {
  postgresReady ??= onServer(url, async (admin) => {
    const template = `registry_template_${migrationsKey}`;
    const lock = 'registry_test_template';
    await admin.query('select pg_advisory_lock(hashtext($1))', [lock]);
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [template]);
      if (!rowCount) {
        const building = `${template}_building`;
        await admin.query(`drop database if exists ${building} with (force)`);
        await admin.query(`create database ${building}`);
        const db = await openDatabase({ kind: 'postgres', url: databaseUrl(url, building) });
        try {
          await migrateToLatest(db);
        } finally {
          await db.destroy();
        }
        await admin.query(`alter database ${building} rename to ${template}`);
        await admin.query(`alter database ${template} allow_connections false`);
      }
      // The comment records when the template was last used, for the clean-up below.
      await admin.query(`comment on database ${template} is '${new Date().toISOString()}'`);
      const { rows } = await admin.query<{ name: string; used: string | null }>(
        `select datname as name, shobj_description(oid, 'pg_database') as used from pg_database
          where datname like 'registry\\_template\\_%' and datname <> $1`,
        [template],
      );
      for (const { name, used } of rows) {
        if (!used || Date.now() - Date.parse(used) > STALE_AFTER_MS) await admin.query(`drop database if exists ${name} with (force)`);
      }
      return template;
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [lock]);
    }
  });
  return postgresReady;
}
