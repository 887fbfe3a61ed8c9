import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PREPARED } from '../../server/db/postgres-pool.js';
import { data } from '../../seed/client.js';
import { createTestApp, ADMIN, type TestApp } from '../support/app.js';
import { onPostgres } from '../support/db.js';

// Data statements run prepared, parsed once per connection (server/db/postgres-pool.ts on PostgreSQL,
// pglite-pool.ts on PGlite), and survive a table changing shape under them.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const VIEWER = '{ viewer { username } }';

/** The prepared statements of the connection the next request will use, with how often each ran. */
async function preparedStatements(): Promise<{ statement: string; runs: number }[]> {
  // Requests one after another reuse the pool's most recently released connection: this one.
  return t.db.connection().execute(async (connection) => {
    const { rows } = await sql<{ statement: string; runs: number }>`
      select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements`.execute(connection);
    return rows;
  });
}

describe('prepared statements', () => {
  it('parses a repeated statement once and runs it prepared', async () => {
    for (let i = 0; i < 5; i++) expect(await data(t, VIEWER)).toEqual({ viewer: { username: ADMIN } });
    const byKey = (await preparedStatements()).filter((s) => /^select\b[\s\S]*"api_keys"/.test(s.statement));
    expect(byKey).toHaveLength(1);
    expect(byKey[0]?.runs).toBeGreaterThanOrEqual(5);
  });

  it('prepares a statement again when a table it reads changes shape under it', async () => {
    expect(await data(t, VIEWER)).toEqual({ viewer: { username: ADMIN } });
    // `users.*` now has one more column: the prepared plan's result type no longer matches (0A000).
    await sql`alter table users add column prepared_test_extra int`.execute(t.db);
    try {
      expect(await data(t, VIEWER)).toEqual({ viewer: { username: ADMIN } });
      expect(await data(t, VIEWER)).toEqual({ viewer: { username: ADMIN } });
    } finally {
      await sql`alter table users drop column prepared_test_extra`.execute(t.db);
    }
    expect(await data(t, VIEWER)).toEqual({ viewer: { username: ADMIN } });
  });

  it.runIf(onPostgres)('keeps at most MAX_PREPARED statements per connection, and prepares an evicted one again', async () => {
    await t.db.connection().execute(async (connection) => {
      const distinct = (i: number) => sql<{ n: number }>`select ${sql.raw(String(i))}::int + ${1}::int as n`.execute(connection);
      for (let i = 0; i <= MAX_PREPARED + 10; i++) expect((await distinct(i)).rows).toEqual([{ n: i + 1 }]);
      const { rows } = await sql<{ count: number }>`select count(*)::int as count from pg_prepared_statements`.execute(connection);
      expect(rows[0]?.count).toBeLessThanOrEqual(MAX_PREPARED);
      // The first ones were deallocated: run again, they are prepared afresh.
      expect((await distinct(0)).rows).toEqual([{ n: 1 }]);
      expect((await distinct(1)).rows).toEqual([{ n: 2 }]);
    });
  });

  it.runIf(onPostgres)('prepares a statement again after the session lost it', async () => {
    await t.db.connection().execute(async (connection) => {
      const one = () => sql<{ n: number }>`select ${1}::int as n`.execute(connection);
      expect((await one()).rows).toEqual([{ n: 1 }]);
      await sql`deallocate all`.execute(connection);
      expect((await one()).rows).toEqual([{ n: 1 }]);
    });
  });

  it.runIf(onPostgres)('a transaction that meets a changed table fails once; the next one runs', async () => {
    const read = (db: typeof t.db) => db.selectFrom('users').selectAll().where('username', '=', ADMIN).executeTakeFirstOrThrow();
    await read(t.db);
    await sql`alter table users add column prepared_test_extra2 int`.execute(t.db);
    try {
      // Inside a transaction the error has aborted it; a retry there could only fail again.
      const inTransaction = () => t.db.transaction().execute((trx) => read(trx));
      await inTransaction().catch((error: { code?: string }) => expect(error.code).toBe('0A000'));
      expect((await inTransaction()).username).toBe(ADMIN);
      expect((await read(t.db)).username).toBe(ADMIN);
    } finally {
      await sql`alter table users drop column prepared_test_extra2`.execute(t.db);
    }
  });
});
