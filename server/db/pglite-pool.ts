import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];
const COMMANDS = new Set<string>(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'SELECT']);

function commandOf(sql: string): Command {
  // Kysely only needs the command to decide whether `rowCount` means "affected rows".
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT';
  return (COMMANDS.has(word) ? word : 'SELECT') as Command;
}

/** How many prepared statements one PGlite session keeps (least recently used ones are closed). */
const MAX_PREPARED = 500;
/** Only data statements are worth preparing; DDL (migrations) runs once. */
const PREPARABLE = /^\s*(?:select|insert|update|delete|with)\b/i;
/** "cached plan must not change result type": a table a prepared statement reads changed shape. */
const STALE_PLAN = '0A000';

interface Prepared {
  name: string;
  /** Parameter type OIDs, to serialize values the way PGlite's own `query` does. */
  types: number[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * Runs statements as named prepared statements, one protocol round trip each. PGlite's `query` parses,
 * analyses and plans every statement again in five round trips into the WebAssembly backend; a page
 * query spent more time there than executing. A statement text is parsed once per session (a few
 * hundred distinct texts at most, kept in an LRU), and PostgreSQL reuses its plan when a generic one
 * is as good.
 */
function preparedRunner(pg: PGlite) {
  const statements = new Map<string, Prepared>();
  let counter = 0;

  async function prepare(sql: string): Promise<Prepared> {
    const name = `k${++counter}`;
    const { messages } = await pg.execProtocol(
      concat([protocol.serialize.parse({ name, text: sql }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]),
      { syncToFs: false },
    );
    const prepared = { name, types: parse.parseDescribeStatementResults(messages) };
    statements.set(sql, prepared);
    if (statements.size > MAX_PREPARED) {
      const [oldestSql, oldest] = statements.entries().next().value as [string, Prepared];
      statements.delete(oldestSql);
      await pg.execProtocol(concat([protocol.serialize.close({ type: 'S', name: oldest.name }), protocol.serialize.sync()]), {
        syncToFs: false,
      });
    }
    return prepared;
  }

  async function execute<R>(prepared: Prepared, parameters: readonly unknown[]) {
    const values = parameters.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = prepared.types[i];
      const serializer = type === undefined ? undefined : pg.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    const { messages } = await pg.execProtocol(
      concat([
        protocol.serialize.bind({ statement: prepared.name, values }),
        protocol.serialize.describe({ type: 'P' }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
    );
    const [result] = parse.parseResults(messages, pg.parsers);
    return { rows: (result?.rows ?? []) as R[], affectedRows: result?.affectedRows };
  }

  return async function query<R>(sql: string, parameters: readonly unknown[]) {
    if (!PREPARABLE.test(sql)) {
      const result = await pg.query<R>(sql, [...parameters]);
      return { rows: result.rows, affectedRows: result.affectedRows };
    }
    return pg.runExclusive(async () => {
      let prepared = statements.get(sql);
      if (prepared) {
        // Most recently used last, so eviction takes the stalest.
        statements.delete(sql);
        statements.set(sql, prepared);
      } else {
        prepared = await prepare(sql);
      }
      try {
        return await execute<R>(prepared, parameters);
      } catch (error) {
        if ((error as { code?: string }).code !== STALE_PLAN) throw error;
        statements.delete(sql);
        return execute<R>(await prepare(sql), parameters);
      }
    });
  };
}

/**
 * Presents one PGlite instance as a `pg`-style pool for Kysely's PostgreSQL dialect.
 * PGlite runs a single session, so the pool hands out one client at a time: a transaction
 * holds it until commit, and other queries wait instead of interleaving with it.
 */
export function pglitePool(pg: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();
  const query = preparedRunner(pg);
  return {
    async connect(): Promise<PostgresPoolClient> {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => (release = resolve));
      await previous;
      const client = {
        async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          const result = await query<R>(sql, parameters);
          return { command: commandOf(sql), rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
        },
        release,
      };
      return client as PostgresPoolClient;
    },
    async end() {
      await tail;
      await pg.close();
    },
  };
}
