import { sql } from 'kysely';
import { type DB } from '../../db/database.js';
import type { Artifact, Collection, Project } from '../../db/tables.js';
import { findCollection } from '../collections/repository.js';
import { versionIndexOf } from '../../../shared/names.js';

// Plain functions over the artifact tables; `db` may be a transaction (Transaction extends Kysely).

export async function urlSigningSecret(db: DB): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'url_signing_secret').executeTakeFirstOrThrow();
  return row.value;
}

// ---- projects, runs, collections

/** The sequence, created when missing; `created` tells whether this call created it (for its event). */
export async function ensureSequence(
  db: DB,
  input: { projectId: number; name: string; typeName: string; userId: number },
): Promise<{ collection: Collection; created: boolean }> {
  const inserted = await db
    .insertInto('collections')
    .values({ project_id: input.projectId, kind: 'SEQUENCE', name: input.name, type_name: input.typeName, created_by: input.userId })
    .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { collection: inserted, created: true };
  const found = await findCollection(db, input.projectId, input.name);
  if (!found) throw new Error('collection vanished after insert');
  return { collection: found, created: false };
}

export async function findCommittedByDigest(db: DB, sequenceId: number, digest: string): Promise<Artifact | undefined> {
  return db
    .selectFrom('artifacts')
    .selectAll()
    .where('sequence_id', '=', sequenceId)
    .where('digest', '=', digest)
    .where('state', '=', 'COMMITTED')
    .orderBy('version_index', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertArtifact(
  db: DB,
  input: {
    sequenceId: number;
    digest: string;
    description: string | null;
    metadata: string;
    clientId: string | null;
    runId: number | null;
    userId: number;
    pendingAliases: string[];
    ttlDurationSeconds: number | null;
    historyStep: number | null;
  },
): Promise<Artifact> {
  return db
    .insertInto('artifacts')
    .values({
      sequence_id: input.sequenceId,
      state: 'PENDING',
      digest: input.digest,
      description: input.description,
      metadata: input.metadata,
      client_id: input.clientId,
      run_id: input.runId,
      created_by: input.userId,
      pending_aliases: JSON.stringify(input.pendingAliases),
      ttl_duration_seconds: input.ttlDurationSeconds,
      history_step: input.historyStep,
      manifest: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Removes then adds tags of a version; returns the tags each step really changed, in the order given. */
export async function replaceArtifactTags(
  db: DB,
  artifactId: number,
  add: readonly string[],
  remove: readonly string[],
): Promise<{ added: string[]; removed: string[] }> {
  const changed = { added: [] as string[], removed: [] as string[] };
  if (remove.length > 0) {
    const rows = await db
      .deleteFrom('artifact_tags')
      .where('artifact_id', '=', artifactId)
      .where('tag', 'in', remove)
      .returning('tag')
      .execute();
    changed.removed = remove.filter((tag) => rows.some((r) => r.tag === tag));
  }
  if (add.length > 0) {
    const rows = await db
      .insertInto('artifact_tags')
      .values(add.map((tag) => ({ artifact_id: artifactId, tag })))
      .onConflict((oc) => oc.doNothing())
      .returning('tag')
      .execute();
    changed.added = add.filter((tag) => rows.some((r) => r.tag === tag));
  }
  return changed;
}

export async function findArtifactByClientId(db: DB, clientId: string): Promise<Artifact | undefined> {
  return db.selectFrom('artifacts').selectAll().where('client_id', '=', clientId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function updateArtifactFields(
  db: DB,
  id: number,
  fields: { description?: string | null; metadata?: string; ttlDurationSeconds?: number | null },
): Promise<Artifact> {
  return db
    .updateTable('artifacts')
    .set({
      updated_at: new Date(),
      ...(fields.description !== undefined ? { description: fields.description } : {}),
      ...(fields.metadata !== undefined ? { metadata: fields.metadata } : {}),
      ...(fields.ttlDurationSeconds !== undefined ? { ttl_duration_seconds: fields.ttlDurationSeconds } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A version in a project addressed as `collection:vN`, `collection:alias` or `collection` (latest):
 * in a team project the version of that sequence, in a registry the source version that link points to.
 */
export async function findArtifactByName(db: DB, projectId: number, collection: string, version: string): Promise<Artifact | undefined> {
  const index = versionIndexOf(version);
  let query = db
    .selectFrom('collections as c')
    .innerJoin('memberships as m', 'm.collection_id', 'c.id')
    .innerJoin('artifacts as a', 'a.id', 'm.artifact_id')
    .selectAll('a')
    .where('c.project_id', '=', projectId)
    .where('c.name', '=', collection);
  query =
    index !== undefined
      ? query.where('m.version_index', '=', index)
      : query.where((eb) =>
          eb.exists(
            eb.selectFrom('aliases as al').select('al.id').whereRef('al.membership_id', '=', 'm.id').where('al.alias', '=', version),
          ),
        );
  return query.executeTakeFirst();
}

/**
 * Registry links of a version (portfolio memberships), for the delete refusal; with each registry,
 * whose visibility decides what the refusal may name.
 */
export async function linksOfArtifact(
  db: DB,
  artifactId: number,
): Promise<{ project: Project; collection: string; versionIndex: number }[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('collections as c', 'c.id', 'm.collection_id')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .selectAll('p')
    .select(['c.name as link_collection', 'm.version_index as link_version_index'])
    .where('m.artifact_id', '=', artifactId)
    .where('c.kind', '=', 'PORTFOLIO')
    .orderBy('p.name')
    .orderBy('c.name')
    .execute();
  return rows.map(({ link_collection, link_version_index, ...project }) => ({
    project,
    collection: link_collection,
    versionIndex: link_version_index,
  }));
}

/** Registry projects a version is linked into (for read access through a registry). */
export async function registryProjectsLinking(
  db: DB,
  artifactIds: readonly number[],
): Promise<{ artifact_id: number; project: Project }[]> {
  if (artifactIds.length === 0) return [];
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('collections as c', 'c.id', 'm.collection_id')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .selectAll('p')
    .select('m.artifact_id')
    .where('m.artifact_id', 'in', artifactIds)
    .where('c.kind', '=', 'PORTFOLIO')
    .execute();
  return rows.map(({ artifact_id, ...project }) => ({ artifact_id, project }));
}

/**
 * Every collection a version is in, oldest place first: its own sequence, then each registry link;
 * with the collection's and project's names, which its events keep.
 */
export async function placesOfVersion(db: DB, artifactId: number) {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('collections as c', 'c.id', 'm.collection_id')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .select([
      'm.id',
      'm.version_index',
      'c.id as collection_id',
      'c.name as collection_name',
      'p.id as project_id',
      'p.name as project_name',
    ])
    .where('m.artifact_id', '=', artifactId)
    .orderBy('m.id')
    .execute();
  return rows.map((r) => ({
    project: { id: r.project_id, name: r.project_name },
    collection: { id: r.collection_id, name: r.collection_name },
    version: { id: r.id, version_index: r.version_index },
  }));
}

/** Locks a version's row for the rest of the transaction (a delete waits for, or blocks, other writers). */
export async function lockArtifact(db: DB, artifactId: number): Promise<Artifact | undefined> {
  return db.selectFrom('artifacts').selectAll().where('id', '=', artifactId).forUpdate().executeTakeFirst();
}

/**
 * Deletes a version that is in no registry: its place in its own sequence (with that sequence's
 * aliases), then the row (files, tags, inputs cascade). A registry link still references it, so a
 * link made meanwhile makes this fail (ON DELETE RESTRICT) instead of disappearing.
 */
export async function deleteArtifactRows(db: DB, artifact: Artifact): Promise<void> {
  await db.deleteFrom('memberships').where('artifact_id', '=', artifact.id).where('collection_id', '=', artifact.sequence_id).execute();
  await db.deleteFrom('artifacts').where('id', '=', artifact.id).execute();
}

// ---- files

/** Marks the version committed with its index, size and file count from its files. */
export async function markCommitted(db: DB, artifactId: number, versionIndex: number): Promise<Artifact> {
  const totals = await db
    .selectFrom('artifact_files')
    .select([sql<number>`coalesce(sum(size), 0)::bigint`.as('size'), sql<number>`count(*)::int`.as('count')])
    .where('artifact_id', '=', artifactId)
    .executeTakeFirstOrThrow();
  return db
    .updateTable('artifacts')
    .set({
      state: 'COMMITTED',
      version_index: versionIndex,
      size: Number(totals.size),
      file_count: Number(totals.count),
      committed_at: new Date(),
      updated_at: new Date(),
      pending_aliases: null,
    })
    .where('id', '=', artifactId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
