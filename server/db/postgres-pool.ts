import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * How many prepared statements one connection keeps (least recently used ones are deallocated). The
 * app has a few hundred distinct statement texts; each keeps its parse tree and plans in the backend.
 */
export const MAX_PREPARED = 200;
/** Only data statements are worth preparing; DDL (migrations) and transaction control run as sent. */
const PREPARABLE = /^\s*(?:select|insert|update|delete|with)\b/i;
/** "cached plan must not change result type": a table a prepared statement reads changed shape. */
const STALE_PLAN = '0A000';
/** "prepared statement … does not exist": the session lost it (DEALLOCATE ALL, DISCARD ALL). */
const NO_STATEMENT = '26000';
const TRANSACTION_START = /^\s*(?:begin|start\s+transaction)\b/i;
const TRANSACTION_END = /^\s*(?:commit|end|abort|rollback(?!\s+to\b))\b/i;

/**
 * node-pg's record of the statements a connection has parsed: it skips Parse for a name it holds, so a
 * statement deallocated here must leave it too. Not in node-pg's types; checked before use.
 */
type ParsedStatements = Record<string, string | undefined>;

interface Session {
  /** Statement text → name, least recently used first. */
  statements: Map<string, string>;
  parsed: ParsedStatements;
  inTransaction: boolean;
  /** Names to deallocate once the session is out of its (failed) transaction. */
  dropped: string[];
}

const sessions = new WeakMap<pg.PoolClient, Session | null>();

function sessionOf(client: pg.PoolClient): Session | null {
  let session = sessions.get(client);
  if (session === undefined) {
    const parsed = (client as unknown as { connection?: { parsedStatements?: unknown } }).connection?.parsedStatements;
    // Without node-pg's record (another version), statements run unnamed, as before.
    session =
      parsed && typeof parsed === 'object'
        ? { statements: new Map(), parsed: parsed as ParsedStatements, inTransaction: false, dropped: [] }
        : null;
    sessions.set(client, session);
  }
  return session;
}

/** A statement's name: the same text gets the same name on every connection and process. */
function nameOf(sql: string): string {
  return `q${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
}

function forget(session: Session, sql: string, name: string) {
  session.statements.delete(sql);
  delete session.parsed[name];
}

/** Deallocates statements, skipping any the session no longer has (names are ours: letters, digits, - and _). */
async function deallocate(client: pg.PoolClient, names: string[]) {
  if (!names.length) return;
  const each = names.map((name) => `begin execute 'deallocate "${name}"'; exception when invalid_sql_statement_name then null; end;`);
  await client.query(`do $$ begin ${each.join(' ')} end $$`);
}

async function run<R>(client: pg.PoolClient, sql: string, parameters: readonly unknown[]): Promise<pg.QueryResult<R & pg.QueryResultRow>> {
  const session = PREPARABLE.test(sql) ? sessionOf(client) : null;
  if (!session) {
    if (TRANSACTION_START.test(sql)) setTransaction(client, true);
    else if (TRANSACTION_END.test(sql)) setTransaction(client, false);
    return client.query<R & pg.QueryResultRow>(sql, [...parameters]);
  }
  let name = session.statements.get(sql);
  // A name dropped inside a transaction is deallocated before it is prepared again (Parse of a name the
  // session still holds fails).
  if (session.dropped.length && (!session.inTransaction || (!name && session.dropped.includes(nameOf(sql))))) {
    await deallocate(client, session.dropped.splice(0));
  }
  if (name) {
    // Most recently used last, so eviction takes the stalest.
    session.statements.delete(sql);
    session.statements.set(sql, name);
  } else {
    name = nameOf(sql);
    session.statements.set(sql, name);
    if (session.statements.size > MAX_PREPARED) {
      const [oldestSql, oldest] = session.statements.entries().next().value as [string, string];
      forget(session, oldestSql, oldest);
      if (session.inTransaction) session.dropped.push(oldest);
      else await deallocate(client, [oldest]);
    }
  }
  try {
    return await client.query<R & pg.QueryResultRow>({ name, text: sql, values: [...parameters] });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== STALE_PLAN && code !== NO_STATEMENT) throw error;
    forget(session, sql, name);
    // A statement that no longer exists needs no deallocation (others the session lost are found the
    // same way, each on its next use); a stale one is still there.
    if (code === STALE_PLAN) {
      if (session.inTransaction) session.dropped.push(name);
      else await deallocate(client, [name]);
    }
    // In a transaction the error has aborted it: the caller sees it; the next use prepares afresh.
    if (session.inTransaction) throw error;
    session.statements.set(sql, name);
    return client.query<R & pg.QueryResultRow>({ name, text: sql, values: [...parameters] });
  }
}

function setTransaction(client: pg.PoolClient, inTransaction: boolean) {
  const session = sessionOf(client);
  if (session) session.inTransaction = inTransaction;
}

/**
 * Presents a node-pg pool to Kysely with data statements run as named prepared statements, parsed
 * once per connection. node-pg sends every other statement unnamed, so PostgreSQL parses, analyses
 * and plans it again each time: a page statement of a few KB spent about 1 ms planning per request.
 * A statement whose tables change shape under it (a migration by another server) is prepared again.
 */
export function preparedPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          const result = await run<R>(client, sql, parameters);
          return { command: result.command as PostgresQueryResult<R>['command'], rowCount: result.rowCount ?? 0, rows: result.rows };
        },
        release() {
          client.release();
        },
      } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
