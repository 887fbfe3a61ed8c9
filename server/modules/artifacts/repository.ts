import { sql } from 'kysely';
import { runsInProcess, type DB } from '../../db/database.js';
import type { Alias, Artifact, ArtifactFile, Collection, Entity, Project, Run } from '../../db/tables.js';
import type { CursorValue } from '../../graphql/cursor.js';
import { aliasFromJson, artifactFromJson, collectionFromJson, entityFromJson, projectFromJson } from '../collections/repository.js';
import { versionIndexOf } from '../collections/names.js';
import type { ManifestEntry } from './manifest.js';

// Plain functions over the artifact tables; `db` may be a transaction (Transaction extends Kysely).

export async function urlSigningSecret(db: DB): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'url_signing_secret').executeTakeFirstOrThrow();
  return row.value;
}

// ---- projects, runs, collections

export async function projectsByIds(db: DB, ids: readonly number[]): Promise<Project[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('projects').selectAll().where('id', 'in', ids).execute();
}

/** The team project, created when missing (concurrent creators end up with the same row). */
export async function ensureProject(db: DB, entityId: number, name: string): Promise<Project> {
  await db
    .insertInto('projects')
    .values({ entity_id: entityId, name, access: 'PRIVATE' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return db.selectFrom('projects').selectAll().where('entity_id', '=', entityId).where('name', '=', name).executeTakeFirstOrThrow();
}

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

export async function findCollection(db: DB, projectId: number, name: string): Promise<Collection | undefined> {
  return db.selectFrom('collections').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
}

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

export async function tagsByArtifactIds(db: DB, ids: readonly number[]): Promise<{ artifact_id: number; tag: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('artifact_tags').select(['artifact_id', 'tag']).where('artifact_id', 'in', ids).orderBy('tag').execute();
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

export interface FileSpec {
  name: string;
  digest: string;
  mimetype: string | null;
  uploadToken: string | null;
  /** Content the file may reuse without upload (content.ts decides), or null: it gets an upload URL. */
  content: StoredContent | null;
}

/** Stored bytes, by the SHA-256 the server computed while receiving them, with their size. */
export interface StoredContent {
  sha256: string;
  size: number;
}

/**
 * Adds or refreshes file rows of a pending artifact (the SDK may ask twice for the same file). A file
 * already bound to content keeps it while its declared MD5 stays the same.
 */
export async function upsertFileSpecs(db: DB, artifactId: number, specs: readonly FileSpec[]): Promise<ArtifactFile[]> {
  if (specs.length === 0) return [];
  const keep = sql<boolean>`artifact_files.digest = excluded.digest and artifact_files.sha256 is not null`;
  return db
    .insertInto('artifact_files')
    .values(
      specs.map((s) => ({
        artifact_id: artifactId,
        name: s.name,
        digest: s.digest,
        mimetype: s.mimetype,
        upload_token: s.content ? null : s.uploadToken,
        sha256: s.content?.sha256 ?? null,
        size: s.content?.size ?? 0,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['artifact_id', 'name']).doUpdateSet((eb) => ({
        digest: eb.ref('excluded.digest'),
        mimetype: eb.ref('excluded.mimetype'),
        upload_token: sql`case when ${keep} then null else excluded.upload_token end`,
        sha256: sql`case when ${keep} then artifact_files.sha256 else excluded.sha256 end`,
        size: sql`case when ${keep} then artifact_files.size else excluded.size end`,
      })),
    )
    .returningAll()
    .execute();
}

export async function fileByUploadToken(db: DB, token: string): Promise<(ArtifactFile & { state: Artifact['state'] }) | undefined> {
  return db
    .selectFrom('artifact_files as f')
    .innerJoin('artifacts as a', 'a.id', 'f.artifact_id')
    .selectAll('f')
    .select('a.state')
    .where('f.upload_token', '=', token)
    .executeTakeFirst();
}

/**
 * After a verified upload: binds the file whose URL it was, and every other unbound file of the same
 * pending version declaring the same MD5, to the received content, and retires their upload URLs.
 * One statement, conditional on the URL still being live, so an upload racing a commit binds nothing
 * (0) instead of changing a committed version.
 */
export async function bindUploadedContent(db: DB, fileId: number, token: string, content: StoredContent): Promise<number> {
  const result = await sql`
    with target as (
      select f.artifact_id, f.digest from artifact_files f join artifacts a on a.id = f.artifact_id
      where f.id = ${fileId} and f.upload_token = ${token} and f.sha256 is null and a.state = 'PENDING')
    update artifact_files f set sha256 = ${content.sha256}, size = ${content.size}, upload_token = null
    from target t
    where f.artifact_id = t.artifact_id and f.digest = t.digest and f.sha256 is null and f.ref is null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** A committed file bound to content with a declared MD5: a candidate for reuse, if its reader may download it. */
export interface ContentHolder extends StoredContent {
  digest: string;
  artifact_id: number;
}

/**
 * Committed files bound to content with these (base64) MD5s, per MD5: those of the latest versions of
 * `sequenceId` (the usual reuse: the next version of the same artifact) and the newest holders anywhere.
 * Bounded per MD5 (an index walk, never every holder of a common file); missing a holder only means
 * an upload.
 */
export async function committedHolders(db: DB, sequenceId: number, digests: readonly string[]): Promise<ContentHolder[]> {
  if (digests.length === 0) return [];
  const result = await sql<ContentHolder>`
    with recent as (select id from artifacts where sequence_id = ${sequenceId} and state = 'COMMITTED' order by version_index desc limit 3)
    select d.digest, c.sha256, c.size, c.artifact_id
    from (values ${sql.join(digests.map((d) => sql`(${d})`))}) d(digest)
    cross join lateral (
      (select f.sha256, f.size, f.artifact_id from artifact_files f
        where f.digest = d.digest and f.sha256 is not null and f.artifact_id = any(array(select id from recent)))
      union
      (select f.sha256, f.size, f.artifact_id from artifact_files f join artifacts a on a.id = f.artifact_id and a.state = 'COMMITTED'
        where f.digest = d.digest and f.sha256 is not null order by f.artifact_id desc limit 10)
    ) c
    order by c.artifact_id desc`.execute(db);
  return result.rows.map((r) => ({ ...r, size: Number(r.size) }));
}

/** Files of a version with no content yet (references have none to have). */
export async function unboundFiles(db: DB, artifactId: number): Promise<{ id: number; digest: string; size: number }[]> {
  return db
    .selectFrom('artifact_files')
    .select(['id', 'digest', 'size'])
    .where('artifact_id', '=', artifactId)
    .where('sha256', 'is', null)
    .where('ref', 'is', null)
    .execute();
}

/**
 * Binds unbound files of a version to content another of its files with the same MD5 and size holds
 * (the uploader sent those bytes for this very version). In short statements with a pause between
 * them, so a commit of many thousand files does not hold other requests (PGlite runs one statement at
 * a time, in process).
 */
export async function bindWithinVersion(db: DB, artifactId: number): Promise<void> {
  const range = await db
    .selectFrom('artifact_files')
    .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
    .where('artifact_id', '=', artifactId)
    .executeTakeFirst();
  if (range?.first == null || range.last == null) return;
  const size = manifestBatch(db);
  // By ranges of ids (a version's files are written in runs of ids), so no list of them is read.
  for (let lo = Number(range.first); lo <= Number(range.last); lo += size) {
    const started = performance.now();
    const hi = lo + size;
    // One bound holder per distinct content of the batch, found through the bound-digest index.
    await sql`update artifact_files f set sha256 = s.sha256, upload_token = null
      from (select d.digest, d.size, (select b.sha256 from artifact_files b
          where b.digest = d.digest and b.artifact_id = ${artifactId} and b.sha256 is not null and b.size = d.size limit 1) as sha256
        from (select distinct digest, size from artifact_files
          where artifact_id = ${artifactId} and id >= ${lo} and id < ${hi} and sha256 is null and ref is null) d) s
      where f.id >= ${lo} and f.id < ${hi} and f.artifact_id = ${artifactId}
        and f.sha256 is null and f.ref is null and s.sha256 is not null and f.digest = s.digest and f.size = s.size`.execute(db);
    await giveWay(db, started);
  }
}

/** Binds files (still unbound) of a version to reusable content, in short statements with pauses between. */
export async function bindFiles(db: DB, artifactId: number, bindings: readonly ({ id: number } & StoredContent)[]): Promise<void> {
  const size = manifestBatch(db);
  for (let i = 0; i < bindings.length; i += size) {
    const started = performance.now();
    const batch = bindings.slice(i, i + size);
    await sql`update artifact_files f set sha256 = v.sha256, size = v.size, upload_token = null
      from unnest(${batch.map((b) => b.id)}::int[], ${batch.map((b) => b.sha256)}::text[], ${batch.map((b) => b.size)}::bigint[]) v(id, sha256, size)
      where f.id = v.id and f.artifact_id = ${artifactId} and f.sha256 is null`.execute(db);
    await giveWay(db, started);
  }
}

/** A committed version's upload URLs never work again, whatever they were handed out for. */
export async function retireUploadTokens(db: DB, artifactId: number): Promise<void> {
  await db
    .updateTable('artifact_files')
    .set({ upload_token: null })
    .where('artifact_id', '=', artifactId)
    .where('upload_token', 'is not', null)
    .execute();
}

/** MD5 names of content stored before SHA-256 keys that some file still points at, in order, a page at a time. */
export async function legacyBlobNames(db: DB, after: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('artifact_files')
    .select('blob')
    .distinct()
    .where('blob', 'is not', null)
    .where('sha256', 'is', null)
    .where('blob', '>', after)
    .orderBy('blob')
    .limit(limit)
    .execute();
  return rows.map((r) => r.blob ?? '');
}

/** Binds every file stored under the old MD5 name to that content's SHA-256 (the backfill's one write). */
export async function bindLegacyBlob(db: DB, md5hex: string, content: StoredContent): Promise<void> {
  await db
    .updateTable('artifact_files')
    .set({ sha256: content.sha256, size: content.size, blob: null })
    .where('blob', '=', md5hex)
    .where('sha256', 'is', null)
    .execute();
}

export async function artifactByManifestToken(db: DB, token: string): Promise<Artifact | undefined> {
  return db.selectFrom('artifacts').selectAll().where('manifest_upload_token', '=', token).executeTakeFirst();
}

export async function setManifestUploadToken(db: DB, artifactId: number, token: string): Promise<void> {
  await db.updateTable('artifacts').set({ manifest_upload_token: token }).where('id', '=', artifactId).execute();
}

/**
 * Rows written per statement while a manifest is stored: each batch is a short transaction of its
 * own. Smaller in process (PGlite), where a statement holds every other request while it runs.
 */
const manifestBatch = (db: DB) => (runsInProcess(db) ? 250 : 1000);
/** Characters of manifest text per stored part (one statement each). */
const MANIFEST_PART_CHARS = 256 * 1024;

/** The text in parts of about `size` characters, never splitting a surrogate pair. */
function textParts(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

/**
 * Takes a manifest upload URL (it works once): the version has no manifest until this upload's rows
 * are all written, so it cannot be committed half-way; `claim` marks the upload that holds it.
 */
export async function claimManifestUpload(db: DB, token: string, claim: string): Promise<Artifact | undefined> {
  return db
    .updateTable('artifacts')
    .set({ manifest: null, manifest_upload_token: claim, updated_at: new Date() })
    .where('manifest_upload_token', '=', token)
    .where('state', '=', 'PENDING')
    .returningAll()
    .executeTakeFirst();
}

/**
 * Runs `write` in a transaction of its own while the upload `claim` still holds the pending version,
 * which is locked meanwhile: a newer upload or a commit waits for it, and afterwards this one stops.
 */
async function whileClaimed(db: DB, artifactId: number, claim: string, write: (trx: DB) => Promise<void>): Promise<boolean> {
  const started = performance.now();
  const held = await db.transaction().execute(async (trx) => {
    const held = await trx
      .selectFrom('artifacts')
      .select('id')
      .where('id', '=', artifactId)
      .where('manifest_upload_token', '=', claim)
      .where('state', '=', 'PENDING')
      .forUpdate()
      .executeTakeFirst();
    if (!held) return false;
    await write(trx);
    return true;
  });
  await giveWay(db, started);
  return held;
}

/**
 * Lets other requests run between batches. PGlite runs one statement at a time, first come first
 * served, inside this process: back-to-back batches would hold the event loop and let a waiting
 * request (which needs several statements in a row) advance one statement per batch, so there the
 * writer pauses as long as its batch took (at most 100 ms). PostgreSQL serves others on other
 * connections meanwhile: one turn of the event loop is enough.
 */
async function giveWay(db: DB, started: number): Promise<void> {
  const pause = runsInProcess(db) ? Math.min(performance.now() - started, 100) : 0;
  await new Promise((resolve) => setTimeout(resolve, pause));
}

/**
 * Stores the manifest (its text as uploaded, and `header`: the manifest without its contents) and
 * makes its contents the artifact's files: rows for new paths, digests and sizes from the manifest,
 * rows no longer listed removed. Written in batches of short
 * transactions, so other requests run in between (PGlite has one connection); the version shows a
 * manifest only once all is written. False when a newer upload took the version meanwhile.
 */
export async function saveManifest(
  db: DB,
  artifactId: number,
  claim: string,
  manifest: { text: string; header: string },
  entries: readonly ManifestEntry[],
): Promise<boolean> {
  const cleared = await whileClaimed(db, artifactId, claim, async (trx) => {
    await trx.deleteFrom('artifact_manifest_parts').where('artifact_id', '=', artifactId).execute();
  });
  if (!cleared) return false;
  const listed = new Set(entries.map((e) => e.path));
  for (let after = 0; ;) {
    const started = performance.now();
    const page = await db
      .selectFrom('artifact_files')
      .select(['id', 'name'])
      .where('artifact_id', '=', artifactId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(manifestBatch(db))
      .execute();
    await giveWay(db, started);
    if (page.length === 0) break;
    after = page.at(-1)?.id ?? after;
    const removed = page.filter((f) => !listed.has(f.name)).map((f) => f.id);
    if (
      removed.length > 0 &&
      !(await whileClaimed(db, artifactId, claim, (trx) =>
        trx
          .deleteFrom('artifact_files')
          .where('id', 'in', removed)
          .execute()
          .then(() => undefined),
      ))
    ) {
      return false;
    }
  }
  const size = manifestBatch(db);
  for (let i = 0; i < entries.length; i += size) {
    const batch = entries.slice(i, i + size);
    const written = await whileClaimed(db, artifactId, claim, async (trx) => {
      const existing = await trx
        .selectFrom('artifact_files')
        .selectAll()
        .where('artifact_id', '=', artifactId)
        .where(
          'name',
          'in',
          batch.map((e) => e.path),
        )
        .execute();
      const byName = new Map(existing.map((f) => [f.name, f]));
      const rows = batch.map((e) => {
        const current = byName.get(e.path);
        // A file keeps its content only while its MD5 and size stay the same; others wait for an
        // upload or, at commit, for content their committer may reuse (content.ts).
        const sameContent = current !== undefined && current.digest === e.digest;
        const sha256 = e.ref ? null : sameContent && current.sha256 && Number(current.size) === e.size ? current.sha256 : null;
        return {
          artifact_id: artifactId,
          name: e.path,
          digest: e.digest,
          size: e.size,
          mimetype: current?.mimetype ?? null,
          sha256,
          upload_token: sha256 || e.ref ? null : sameContent ? current.upload_token : null,
          ref: e.ref,
        };
      });
      await trx
        .insertInto('artifact_files')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['artifact_id', 'name']).doUpdateSet((eb) => ({
            digest: eb.ref('excluded.digest'),
            size: eb.ref('excluded.size'),
            sha256: eb.ref('excluded.sha256'),
            upload_token: eb.ref('excluded.upload_token'),
            ref: eb.ref('excluded.ref'),
          })),
        )
        .execute();
    });
    if (!written) return false;
  }
  for (const [part, body] of textParts(manifest.text, MANIFEST_PART_CHARS).entries()) {
    const written = await whileClaimed(db, artifactId, claim, async (trx) => {
      await trx.insertInto('artifact_manifest_parts').values({ artifact_id: artifactId, part, body }).execute();
    });
    if (!written) return false;
  }
  return whileClaimed(db, artifactId, claim, async (trx) => {
    await trx
      .updateTable('artifacts')
      .set({ manifest: manifest.header, manifest_upload_token: null, updated_at: new Date() })
      .where('id', '=', artifactId)
      .execute();
  });
}

/** One part of a version's manifest text (0, 1, …); undefined after the last. */
export async function manifestPart(db: DB, artifactId: number, part: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('artifact_manifest_parts')
    .select('body')
    .where('artifact_id', '=', artifactId)
    .where('part', '=', part)
    .executeTakeFirst();
  return row?.body;
}

/** Files still waiting for content (content.ts binds what may be reused first). */
export async function missingFiles(db: DB, artifactId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('artifact_files')
    .select('name')
    .where('artifact_id', '=', artifactId)
    .where('sha256', 'is', null)
    .where('ref', 'is', null)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

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

export async function fileOfArtifact(db: DB, artifactId: number, fileId: number): Promise<ArtifactFile | undefined> {
  return db.selectFrom('artifact_files').selectAll().where('artifact_id', '=', artifactId).where('id', '=', fileId).executeTakeFirst();
}

/**
 * One page of an artifact's files by name (keyset on name), one extra row to tell if more follow.
 * The rows come as one `json` value: the SDK reads 5 000 a page, and decoding them row by row and
 * column by column costs PGlite twice the time of the whole query.
 */
export async function listFiles(
  db: DB,
  input: { artifactId: number; names: readonly string[] | null; after: CursorValue | undefined; first: number },
): Promise<ArtifactFile[]> {
  let query = db
    .selectFrom('artifact_files')
    .selectAll()
    .where('artifact_id', '=', input.artifactId)
    .orderBy('name')
    .limit(input.first + 1);
  if (input.names) query = input.names.length === 0 ? query.where(sql<boolean>`false`) : query.where('name', 'in', input.names);
  if (input.after) query = query.where('name', '>', String(input.after.v));
  const row = await db
    .selectFrom(query.as('f'))
    .select(sql<(Omit<ArtifactFile, 'created_at'> & { created_at: string })[] | null>`json_agg(f order by f.name)`.as('r'))
    .executeTakeFirstOrThrow();
  return (row.r ?? []).map((f) => ({ ...f, created_at: new Date(f.created_at) }));
}

export async function countFiles(db: DB, artifactId: number, names: readonly string[] | null): Promise<number> {
  let query = db
    .selectFrom('artifact_files')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('artifact_id', '=', artifactId);
  if (names) query = names.length === 0 ? query.where(sql<boolean>`false`) : query.where('name', 'in', names);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

// ---- lineage

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
