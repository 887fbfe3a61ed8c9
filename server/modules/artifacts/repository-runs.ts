import { sql } from 'kysely';
import { type Artifact, type Run } from '../../db/tables.js';
import { type DB } from '../../db/database.js';
export async function findRun(db: DB, projectId: number, name: string): Promise<Run | undefined> {
  return db.selectFrom('runs').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
}

export async function runsByIds(db: DB, ids: readonly number[]): Promise<Run[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('runs').selectAll().where('id', 'in', ids).execute();
}

/** Inserts the run or updates its display name; `inserted` tells which. */
export async function upsertRun(
  db: DB,
  input: { projectId: number; name: string; displayName: string | null; userId: number },
): Promise<{ run: Run; inserted: boolean }> {
  const inserted = await db
    .insertInto('runs')
    .values({ project_id: input.projectId, name: input.name, display_name: input.displayName, created_by: input.userId })
    .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { run: inserted, inserted: true };
  let query = db.updateTable('runs').where('project_id', '=', input.projectId).where('name', '=', input.name);
  if (input.displayName !== null) query = query.set({ display_name: input.displayName });
  else query = query.set({ name: input.name });
  const run = await query.returningAll().executeTakeFirstOrThrow();
  return { run, inserted: false };
}

export async function recordRunInput(db: DB, runId: number, artifactId: number, usedAs: string | null): Promise<void> {
  await db
    .insertInto('run_inputs')
    .values({ run_id: runId, artifact_id: artifactId, used_as: usedAs })
    .onConflict((oc) => oc.columns(['run_id', 'artifact_id']).doUpdateSet({ used_as: usedAs }))
    .execute();
}

/** A page of a run's output (or input) versions by id. */
export async function runArtifacts(
  db: DB,
  input: { runId: number; direction: 'output' | 'input'; afterId: number | undefined; first: number },
): Promise<Artifact[]> {
  let query = db
    .selectFrom('artifacts as a')
    .selectAll('a')
    .where('a.state', '=', 'COMMITTED')
    .orderBy('a.id')
    .limit(input.first + 1);
  query =
    input.direction === 'output'
      ? query.where('a.run_id', '=', input.runId)
      : query.where('a.id', 'in', (eb) => eb.selectFrom('run_inputs').select('artifact_id').where('run_id', '=', input.runId));
  if (input.afterId !== undefined) query = query.where('a.id', '>', input.afterId);
  return query.execute();
}

export async function countRunArtifacts(db: DB, runId: number, direction: 'output' | 'input'): Promise<number> {
  let query = db
    .selectFrom('artifacts as a')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('a.state', '=', 'COMMITTED');
  query =
    direction === 'output'
      ? query.where('a.run_id', '=', runId)
      : query.where('a.id', 'in', (eb) => eb.selectFrom('run_inputs').select('artifact_id').where('run_id', '=', runId));
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function runsUsing(db: DB, artifactId: number): Promise<Run[]> {
  return db
    .selectFrom('runs as r')
    .innerJoin('run_inputs as i', 'i.run_id', 'r.id')
    .selectAll('r')
    .where('i.artifact_id', '=', artifactId)
    .orderBy('r.id')
    .limit(1000)
    .execute();
}
