import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Artifact, Collection, Database, Entity, Project } from '../../db/tables.js';
import { collectionFromJson, projectFromJson } from '../../db/rows.js';

type Trx = Transaction<Database>;

export interface SourceVersion {
  artifact: Artifact;
  sequence: Collection;
  project: Project;
  entity: Entity;
}

/** A source version with its sequence, project and owner (one statement). */
export async function findSourceVersion(db: DB, by: { id: number } | { clientId: string }): Promise<SourceVersion | undefined> {
  let query = db
    .selectFrom('artifacts')
    .innerJoin('collections', 'collections.id', 'artifacts.sequence_id')
    .innerJoin('projects', 'projects.id', 'collections.project_id')
    .innerJoin('entities', 'entities.id', 'projects.entity_id')
    .selectAll('artifacts')
    .select([
      sql<Collection>`to_jsonb(collections)`.as('sequence_json'),
      sql<Project>`to_jsonb(projects)`.as('project_json'),
      sql<Entity>`to_jsonb(entities)`.as('entity_json'),
    ]);
  query = 'id' in by ? query.where('artifacts.id', '=', by.id) : query.where('artifacts.client_id', '=', by.clientId);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { sequence_json, project_json, entity_json, ...artifact } = row;
  return {
    artifact: artifact as Artifact,
    sequence: collectionFromJson(sequence_json),
    project: projectFromJson(project_json),
    entity: { ...entity_json, created_at: new Date(String(entity_json.created_at)) },
  };
}

export async function registryTypeNames(db: DB, projectId: number): Promise<string[]> {
  const rows = await db.selectFrom('registry_types').select('type_name').where('project_id', '=', projectId).orderBy('type_name').execute();
  return rows.map((r) => r.type_name);
}

export async function protectedAliases(db: DB, projectId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('protected_aliases').select('alias').where('project_id', '=', projectId).execute();
  return new Set(rows.map((r) => r.alias));
}

/** The collection, created (with this type) when missing; safe when several links create it at once. */
export async function ensurePortfolio(
  trx: Trx,
  input: { projectId: number; name: string; typeName: string; userId: number; description?: string },
): Promise<{ collection: Collection; created: boolean }> {
  const inserted = await trx
    .insertInto('collections')
    .values({
      project_id: input.projectId,
      kind: 'PORTFOLIO',
      name: input.name,
      type_name: input.typeName,
      description: input.description ?? '',
      created_by: input.userId,
    })
    .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { collection: inserted, created: true };
  const existing = await trx
    .selectFrom('collections')
    .selectAll()
    .where('project_id', '=', input.projectId)
    .where('name', '=', input.name)
    .executeTakeFirstOrThrow();
  return { collection: existing, created: false };
}

export async function versionIndexOfMembership(trx: Trx, membershipId: number): Promise<number | null> {
  const row = await trx.selectFrom('memberships').select('version_index').where('id', '=', membershipId).executeTakeFirst();
  return row?.version_index ?? null;
}

export async function membershipOfArtifact(db: DB | Trx, collectionId: number, artifactId: number) {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('collection_id', '=', collectionId)
    .where('artifact_id', '=', artifactId)
    .executeTakeFirst();
}

export async function aliasNamesOfMembership(db: DB, membershipId: number): Promise<string[]> {
  const rows = await db.selectFrom('aliases').select('alias').where('membership_id', '=', membershipId).execute();
  return rows.map((r) => r.alias);
}

/** Locks the collection row so index and alias changes in it are serialized. */
export async function lockCollection(trx: Trx, collectionId: number): Promise<Collection | undefined> {
  return trx.selectFrom('collections').selectAll().where('id', '=', collectionId).forUpdate().executeTakeFirst();
}

export async function deleteMembership(trx: Trx, membershipId: number): Promise<void> {
  await trx.deleteFrom('memberships').where('id', '=', membershipId).execute();
}

export async function deleteAlias(trx: Trx, collectionId: number, membershipId: number, alias: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('aliases')
    .where('collection_id', '=', collectionId)
    .where('membership_id', '=', membershipId)
    .where('alias', '=', alias)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Registry collections and versions that link to any version of this source sequence (the first 100),
 * with each registry, whose visibility decides what a refusal may name.
 */
export async function linksOf(db: DB, sequenceId: number): Promise<{ project: Project; collection: string; versionIndex: number }[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('collections', 'collections.id', 'memberships.collection_id')
    .innerJoin('projects', 'projects.id', 'collections.project_id')
    .innerJoin('artifacts', 'artifacts.id', 'memberships.artifact_id')
    .selectAll('projects')
    .select(['collections.name as collection_name', 'memberships.version_index as link_version_index'])
    .where('collections.kind', '=', 'PORTFOLIO')
    .where('artifacts.sequence_id', '=', sequenceId)
    .orderBy('projects.name')
    .orderBy('collections.name')
    .orderBy('memberships.version_index')
    .limit(100)
    .execute();
  return rows.map(({ collection_name, link_version_index, ...project }) => ({
    project,
    collection: collection_name,
    versionIndex: link_version_index,
  }));
}

export async function collectionHasProtectedAlias(db: DB, collectionId: number, projectId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('aliases')
    .innerJoin('protected_aliases', (join) =>
      join.onRef('protected_aliases.alias', '=', 'aliases.alias').on('protected_aliases.project_id', '=', projectId),
    )
    .select('aliases.alias')
    .where('aliases.collection_id', '=', collectionId)
    .executeTakeFirst();
  return row?.alias;
}

/** Deletes a source sequence and everything of its versions (only called when none is linked anywhere). */
export async function deleteSequence(trx: Trx, sequenceId: number): Promise<void> {
  const artifactIds = trx.selectFrom('artifacts').select('id').where('sequence_id', '=', sequenceId);
  await trx.deleteFrom('memberships').where('artifact_id', 'in', artifactIds).execute();
  await trx.deleteFrom('artifacts').where('sequence_id', '=', sequenceId).execute();
  await trx.deleteFrom('collections').where('id', '=', sequenceId).execute();
}

export async function deletePortfolio(trx: Trx, collectionId: number): Promise<void> {
  // Memberships, aliases, tags and history go with the collection (ON DELETE CASCADE); sources stay.
  await trx.deleteFrom('collections').where('id', '=', collectionId).execute();
}

export async function updateCollection(trx: Trx, id: number, changes: { name?: string; description?: string; type_name?: string }) {
  return trx
    .updateTable('collections')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addCollectionTags(trx: Trx, collectionId: number, tags: readonly string[]): Promise<string[]> {
  if (tags.length === 0) return [];
  const rows = await trx
    .insertInto('collection_tags')
    .values(tags.map((tag) => ({ collection_id: collectionId, tag })))
    .onConflict((oc) => oc.columns(['collection_id', 'tag']).doNothing())
    .returning('tag')
    .execute();
  return rows.map((r) => r.tag);
}

export async function removeCollectionTags(trx: Trx, collectionId: number, tags: readonly string[]): Promise<string[]> {
  if (tags.length === 0) return [];
  const rows = await trx
    .deleteFrom('collection_tags')
    .where('collection_id', '=', collectionId)
    .where('tag', 'in', tags)
    .returning('tag')
    .execute();
  return rows.map((r) => r.tag);
}
