import { sql } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Entity, Project, Run, RunFile, RunState, RunStream } from '../../db/tables.js';

// Plain functions over the run tables; `db` may be a transaction (Transaction extends Kysely).

export interface RunFields {
  displayName: string | null;
  config: string | null;
  summary: string | null;
  state: RunState | null;
  host: string | null;
  program: string | null;
  jobType: string | null;
  notes: string | null;
}

/** Inserts the run or updates the fields given (null keeps what is stored); `inserted` tells which. */
export async function upsertRunFields(
  db: DB,
  input: { projectId: number; name: string; userId: number; fields: RunFields },
): Promise<{ run: Run; inserted: boolean }> {
  const f = input.fields;
  const inserted = await db
    .insertInto('runs')
    .values({
      project_id: input.projectId,
      name: input.name,
      created_by: input.userId,
      display_name: f.displayName,
      ...(f.config !== null ? { config: f.config } : {}),
      ...(f.summary !== null ? { summary: f.summary } : {}),
      ...(f.state !== null ? { state: f.state } : {}),
      host: f.host,
      program: f.program,
      job_type: f.jobType,
      notes: f.notes,
    })
    .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { run: inserted, inserted: true };
  const run = await db
    .updateTable('runs')
    .where('project_id', '=', input.projectId)
    .where('name', '=', input.name)
    .set({
      updated_at: sql<Date>`now()`,
      ...(f.displayName !== null ? { display_name: f.displayName } : {}),
      ...(f.config !== null ? { config: f.config } : {}),
      ...(f.summary !== null ? { summary: f.summary } : {}),
      ...(f.state !== null ? { state: f.state } : {}),
      ...(f.host !== null ? { host: f.host } : {}),
      ...(f.program !== null ? { program: f.program } : {}),
      ...(f.jobType !== null ? { job_type: f.jobType } : {}),
      ...(f.notes !== null ? { notes: f.notes } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { run, inserted: false };
}

/** A run by its entity, project and run names, with its project and owner: one statement. */
export async function findRunByPath(
  db: DB,
  entityName: string,
  projectName: string,
  runName: string,
): Promise<{ run: Run; project: Project; entity: Entity } | undefined> {
  const row = await db
    .selectFrom('runs as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .innerJoin('entities as e', 'e.id', 'p.entity_id')
    .where('e.name', '=', entityName)
    .where('p.name', '=', projectName)
    .where('r.name', '=', runName)
    .select((eb) => [
      eb.fn<Run>('to_jsonb', [sql.ref('r')]).as('run'),
      eb.fn<Project>('to_jsonb', [sql.ref('p')]).as('project'),
      eb.fn<Entity>('to_jsonb', [sql.ref('e')]).as('entity'),
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  const dates = <T extends object>(value: T, keys: readonly string[]): T => {
    const copy = { ...value } as Record<string, unknown>;
    for (const key of keys) if (typeof copy[key] === 'string') copy[key] = new Date(copy[key] as string);
    return copy as T;
  };
  return {
    run: dates(row.run, ['created_at', 'updated_at', 'heartbeat_at']),
    project: dates(row.project, ['created_at', 'updated_at']),
    entity: dates(row.entity, ['created_at', 'updated_at']),
  };
}

/**
 * Stores lines at their offsets; a line already stored at an offset stays (a resent chunk changes
 * nothing). One statement whatever the number of lines.
 */
export async function insertLines(db: DB, runId: number, stream: RunStream, offset: number, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  await db
    .insertInto('run_lines')
    .values(lines.map((content, i) => ({ run_id: runId, stream, line: offset + i, content })))
    .onConflict((oc) => oc.columns(['run_id', 'stream', 'line']).doNothing())
    .execute();
}

export interface StreamUpdate {
  /** The end offset (line count) each stream reached in this request. */
  ends: Partial<Record<RunStream, number>>;
  summary: string | null;
  state: RunState | null;
  exitcode: number | null;
}

/** Bumps the line counts (never down), summary, state and heartbeat after a file_stream request. */
export async function updateRunAfterStream(db: DB, runId: number, update: StreamUpdate): Promise<void> {
  const greatest = (column: 'history_line_count' | 'events_line_count' | 'output_line_count', end: number | undefined) =>
    end === undefined ? {} : { [column]: sql<number>`greatest(${sql.ref(column)}, ${end})` };
  await db
    .updateTable('runs')
    .where('id', '=', runId)
    .set({
      heartbeat_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
      ...greatest('history_line_count', update.ends.history),
      ...greatest('events_line_count', update.ends.events),
      ...greatest('output_line_count', update.ends.output),
      ...(update.summary !== null ? { summary: update.summary } : {}),
      ...(update.state !== null ? { state: update.state } : {}),
      ...(update.exitcode !== null ? { exitcode: update.exitcode } : {}),
    })
    .execute();
}

/** Every `every`-th line of a stream from `from` on (plus the last one), at most `limit`. */
export async function sampledLines(
  db: DB,
  runId: number,
  stream: RunStream,
  options: { every: number; last: number; limit: number },
): Promise<{ line: number; content: string }[]> {
  return db
    .selectFrom('run_lines')
    .select(['line', 'content'])
    .where('run_id', '=', runId)
    .where('stream', '=', stream)
    .where((eb) => eb.or([eb(sql<number>`line % ${options.every}`, '=', 0), eb('line', '=', options.last)]))
    .orderBy('line')
    .limit(options.limit)
    .execute();
}

/** A page of a stream's lines after `afterLine`, in order. */
export async function pageOfLines(
  db: DB,
  runId: number,
  stream: RunStream,
  afterLine: number,
  limit: number,
): Promise<{ line: number; content: string }[]> {
  return db
    .selectFrom('run_lines')
    .select(['line', 'content'])
    .where('run_id', '=', runId)
    .where('stream', '=', stream)
    .where('line', '>', afterLine)
    .orderBy('line')
    .limit(limit)
    .execute();
}

// ---- files

/** Gives each named file a fresh upload token (creating its row), in one statement. */
export async function issueUploadTokens(db: DB, runId: number, files: readonly { name: string; token: string }[]): Promise<RunFile[]> {
  if (files.length === 0) return [];
  return db
    .insertInto('run_files')
    .values(files.map((f) => ({ run_id: runId, name: f.name, upload_token: f.token })))
    .onConflict((oc) => oc.columns(['run_id', 'name']).doUpdateSet((eb) => ({ upload_token: eb.ref('excluded.upload_token') })))
    .returningAll()
    .execute();
}

export async function runFileByUploadToken(db: DB, token: string): Promise<RunFile | undefined> {
  return db.selectFrom('run_files').selectAll().where('upload_token', '=', token).executeTakeFirst();
}

/** The upload arrived: the file now has this content, and its URL is spent. */
export async function markRunFileStored(
  db: DB,
  fileId: number,
  token: string,
  stored: { md5: string; blob: string; size: number },
): Promise<boolean> {
  const row = await db
    .updateTable('run_files')
    .where('id', '=', fileId)
    .where('upload_token', '=', token)
    .set({ md5: stored.md5, blob: stored.blob, size: stored.size, upload_token: null, updated_at: sql<Date>`now()` })
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function runFileById(db: DB, runId: number, fileId: number): Promise<RunFile | undefined> {
  return db.selectFrom('run_files').selectAll().where('run_id', '=', runId).where('id', '=', fileId).executeTakeFirst();
}

/** A page of a run's uploaded files by name (only those given, when `names` is set). */
export async function listRunFiles(
  db: DB,
  input: { runId: number; names: readonly string[] | null; afterName: string | null; first: number },
): Promise<RunFile[]> {
  let query = db.selectFrom('run_files').selectAll().where('run_id', '=', input.runId).where('blob', 'is not', null);
  if (input.names) query = query.where('name', 'in', input.names.length > 0 ? input.names : ['']);
  if (input.afterName !== null) query = query.where('name', '>', input.afterName);
  return query
    .orderBy('name')
    .limit(input.first + 1)
    .execute();
}
