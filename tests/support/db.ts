import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Migrator } from 'kysely';
import { migrateToLatest, openDatabase, type DB, type QueryListener } from '../../server/db/database.js';
import { migrations } from '../../server/db/migrations/index.js';

/** Which database the suite runs on: `TEST_DB=postgres` (with TEST_DATABASE_URL) or embedded PGlite. */
export const onPostgres = process.env.TEST_DB === 'postgres';

/** Migrates to the latest migration, or only up to `until` (for tests of a migration's data changes). */
async function migrate(db: DB, until: string | undefined): Promise<void> {
  if (until === undefined) return migrateToLatest(db);
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(until);
  if (error) throw error;
}

/**
 * A fresh, migrated database of its own: in-memory PGlite, or a new database on the test server
 * (`url` names it, for a test that starts the server on it).
 */
export async function freshDatabase(onQuery?: QueryListener, until?: string): Promise<{ db: DB; drop: () => Promise<void>; url?: string }> {
  if (!onPostgres) {
    const db = await openDatabase({ kind: 'pglite', dataDir: undefined }, onQuery);
    await migrate(db, until);
    return { db, drop: () => db.destroy() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `registry_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: target.toString() }, onQuery);
  await migrate(db, until);
  return {
    db,
    url: target.toString(),
    drop: async () => {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
