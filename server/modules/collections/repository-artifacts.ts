import { sql } from 'kysely';
import { type Alias, type Artifact, type Collection, type Entity, type Project } from '../../db/tables.js';
import { type DB } from '../../db/database.js';
import { aliasFromJson, artifactFromJson, collectionFromJson, entityFromJson, projectFromJson } from '../../db/rows.js';
export async function collectionsByIds(db: DB, ids: readonly number[]): Promise<Collection[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('collections').selectAll().where('id', 'in', ids).execute();
}

/** Collections by id with their projects and owners: one statement returning one `json` value. */
export async function collectionRowsByIds(
  db: DB,
  ids: readonly number[],
): Promise<{ collections: Collection[]; projects: Project[]; entities: Entity[] }> {
  if (ids.length === 0) return { collections: [], projects: [], entities: [] };
  const row = await sql<{ r: [unknown[] | null, unknown[] | null, unknown[] | null] }>`
    with page_collections as (select * from collections where id in (${sql.join(ids)})),
      page_projects as (select * from projects where id = any(array(select project_id from page_collections)))
    select json_build_array(
      (select json_agg(page_collections) from page_collections),
      (select json_agg(page_projects) from page_projects),
      (select json_agg(e) from entities e where e.id = any(array(select entity_id from page_projects)))) as r`.execute(db);
  const [collections, projects, entities] = row.rows[0]!.r;
  return {
    collections: (collections ?? []).map(collectionFromJson),
    projects: (projects ?? []).map(projectFromJson),
    entities: (entities ?? []).map(entityFromJson),
  };
}

/** A team project's artifact types: the distinct types of its collections, by name. */
export async function projectTypeNames(
  db: DB,
  projectId: number,
  after: string | undefined,
  limit: number,
): Promise<{ name: string; createdAt: Date }[]> {
  let query = db
    .selectFrom('collections')
    .select(['type_name as name', sql<Date>`min(created_at)`.as('createdAt')])
    .where('project_id', '=', projectId)
    .groupBy('type_name')
    .orderBy('type_name')
    .limit(limit);
  if (after !== undefined) query = query.where('type_name', '>', after);
  return query.execute();
}

export async function projectTypeNamed(db: DB, projectId: number, name: string): Promise<{ name: string; createdAt: Date } | undefined> {
  const row = await db
    .selectFrom('collections')
    .select(sql<Date | null>`min(created_at)`.as('createdAt'))
    .where('project_id', '=', projectId)
    .where('type_name', '=', name)
    .executeTakeFirst();
  return row?.createdAt ? { name, createdAt: row.createdAt } : undefined;
}

// ---- artifacts

export async function artifactsByIds(db: DB, ids: readonly number[]): Promise<Artifact[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('artifacts').selectAll().where('id', 'in', ids).execute();
}

/** A version's place in a registry collection: the link's id, the collection and its N of `vN` there. */
export interface VersionLink {
  artifactId: number;
  membershipId: number;
  collectionId: number;
  versionIndex: number;
  createdAt: Date;
}

/** Source versions with what their fields show, for the per-request loaders to keep. */
export interface ArtifactRows {
  artifacts: Artifact[];
  tags: { artifact_id: number; tag: string }[];
  /** Every alias each version holds, in any collection. */
  aliases: { artifactId: number; alias: Alias }[];
  /** Their links into registry collections (the `vN` each has there). */
  links: VersionLink[];
  /** Their sequences and the collections of their aliases and links, with projects and owners. */
  collections: Collection[];
  projects: Project[];
  entities: Entity[];
}

/** A link as the page statements give it: `json_build_array(artifact_id, id, collection_id, version_index, created_at)`. */
export type LinkJson = [artifactId: number, membershipId: number, collectionId: number, versionIndex: number, createdAt: string];

export const linkFromJson = ([artifactId, membershipId, collectionId, versionIndex, createdAt]: LinkJson): VersionLink => ({
  artifactId,
  membershipId,
  collectionId,
  versionIndex,
  createdAt: new Date(createdAt),
});

/** The registry links of these versions, oldest first (when no page read them with the versions). */
export async function linksOfArtifacts(db: DB, artifactIds: readonly number[]): Promise<VersionLink[]> {
  if (artifactIds.length === 0) return [];
  return db
    .selectFrom('memberships')
    .select([
      'artifact_id as artifactId',
      'id as membershipId',
      'collection_id as collectionId',
      'version_index as versionIndex',
      'created_at as createdAt',
    ])
    .where('artifact_id', 'in', artifactIds)
    .where('is_link', '=', true)
    .orderBy('id')
    .execute();
}

/**
 * Source versions by id with their sequences, projects, owners, tags and every alias (with its
 * collection): one statement returning one `json` value, instead of one statement per kind of row
 * when a document reads a version by id and then its sequence, project, owner and aliases.
 */
export async function artifactRowsByIds(db: DB, ids: readonly number[]): Promise<ArtifactRows> {
  if (ids.length === 0) return { artifacts: [], tags: [], aliases: [], links: [], collections: [], projects: [], entities: [] };
  const row = await sql<{
    r: [
      unknown[] | null,
      ArtifactRows['tags'] | null,
      [number, unknown][] | null,
      unknown[] | null,
      unknown[] | null,
      unknown[] | null,
      LinkJson[] | null,
    ];
  }>`
    with page_artifacts as (select * from artifacts where id in (${sql.join(ids)})),
      page_aliases as (select am.artifact_id, al as alias from aliases al join memberships am on am.id = al.membership_id
        where am.artifact_id = any(array(select id from page_artifacts))),
      page_links as (select m.artifact_id, m.id, m.collection_id, m.version_index, m.created_at from memberships m
        where m.artifact_id = any(array(select id from page_artifacts)) and m.is_link),
      page_collections as (select * from collections where id = any(array(
        select sequence_id from page_artifacts union select (alias).collection_id from page_aliases
        union select collection_id from page_links))),
      page_projects as (select * from projects where id = any(array(select project_id from page_collections)))
    select json_build_array(
      (select json_agg(page_artifacts) from page_artifacts),
      (select json_agg(t order by t.tag) from artifact_tags t where t.artifact_id = any(array(select id from page_artifacts))),
      (select json_agg(json_build_array(artifact_id, row_to_json(alias)) order by (alias).id) from page_aliases),
      (select json_agg(page_collections) from page_collections),
      (select json_agg(page_projects) from page_projects),
      (select json_agg(e) from entities e where e.id = any(array(select entity_id from page_projects))),
      (select json_agg(json_build_array(artifact_id, id, collection_id, version_index, created_at) order by id) from page_links)) as r`.execute(
    db,
  );
  const [artifacts, tags, aliases, collections, projects, entities, links] = row.rows[0]!.r;
  return {
    artifacts: (artifacts ?? []).map(artifactFromJson),
    tags: tags ?? [],
    aliases: (aliases ?? []).map(([artifactId, alias]) => ({ artifactId, alias: aliasFromJson(alias) })),
    links: (links ?? []).map(linkFromJson),
    collections: (collections ?? []).map(collectionFromJson),
    projects: (projects ?? []).map(projectFromJson),
    entities: (entities ?? []).map(entityFromJson),
  };
}

export async function tagsByArtifactIds(db: DB, ids: readonly number[]): Promise<{ artifact_id: number; tag: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('artifact_tags').select(['artifact_id', 'tag']).where('artifact_id', 'in', ids).orderBy('tag').execute();
}

/** Every alias on these versions, in any collection. */
export async function aliasesOfArtifacts(db: DB, artifactIds: readonly number[]) {
  if (artifactIds.length === 0) return [];
  return db
    .selectFrom('aliases as al')
    .innerJoin('memberships as m', 'm.id', 'al.membership_id')
    .selectAll('al')
    .select('m.artifact_id')
    .where('m.artifact_id', 'in', artifactIds)
    .orderBy('al.id')
    .execute();
}
