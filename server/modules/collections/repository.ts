import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Alias, Collection, CollectionKind, Entity, Membership, Project } from '../../db/tables.js';
import { groupByKey } from '../../graphql/context-loaders.js';
import { cursorFits, encodeCursor, type CursorValue } from '../../graphql/cursor.js';
import { userError } from '../../graphql/errors.js';
import type { Filter, Order } from '../../graphql/filters.js';
import { type LinkJson, linkFromJson } from './repository-artifacts.js';
import { versionIndexOf } from '../../../shared/names.js';
import { aliasFromJson, artifactFromJson, collectionFromJson, entityFromJson, membershipFromJson, projectFromJson } from '../../db/rows.js';
import { filterSql, type FieldSpec } from '../../db/filter-sql.js';
import { registryField } from '../registries/repository.js';

/** Which registries a user may see: all of them (org admins), or organization-visible ones plus their memberships. */
export type Visibility = 'everyone' | { userId: number };

/** `projects` row condition: the registry is visible to the user (the same rule as listProjects). */
export function visibleRegistry(visibility: Visibility): RawBuilder<boolean> {
  if (visibility === 'everyone') return sql<boolean>`true`;
  const userId = visibility.userId;
  return sql<boolean>`(projects.access = 'PRIVATE' or exists (
    select 1 from registry_members m
    where m.project_id = projects.id
      and (m.user_id = ${userId} or m.team_entity_id in (select team_entity_id from team_members where user_id = ${userId}))))`;
}

export async function findCollection(db: DB, projectId: number, name: string): Promise<Collection | undefined> {
  return db.selectFrom('collections').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
}

export async function tagsByCollectionIds(db: DB, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('collection_tags').select(['collection_id', 'tag']).where('collection_id', 'in', ids).orderBy('tag').execute();
}

export async function aliasesByMembershipIds(db: DB, ids: readonly number[]): Promise<Alias[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('aliases').selectAll().where('membership_id', 'in', ids).orderBy('alias').execute();
}

export async function membershipsByIds(db: DB, ids: readonly number[]): Promise<Membership[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('memberships').selectAll().where('id', 'in', ids).execute();
}

/**
 * A version addressed by name (`collection:v3`, `collection:alias`), with everything a page row
 * brings (aliases, source version, collections, projects, owners): one statement.
 */
export async function findMembershipRowByName(
  db: DB,
  input: { projectId: number; collectionName: string; version: string; withArtifactAliases: boolean },
) {
  const index = versionIndexOf(input.version);
  const page = await listMemberships(db, {
    scope: { projectId: input.projectId, collectionName: input.collectionName },
    where: undefined,
    versionIndex: index,
    alias: index === undefined ? input.version : undefined,
    order: { field: 'created_at', direction: 'desc' },
    after: undefined,
    first: 1,
    withArtifactAliases: input.withArtifactAliases,
  });
  return page.rows[0];
}

/** A version of a collection by `vN` or by alias (`latest` included). */
export async function findMembership(db: DB, collectionId: number, version: string): Promise<Membership | undefined> {
  const index = versionIndexOf(version);
  if (index !== undefined) {
    return db
      .selectFrom('memberships')
      .selectAll()
      .where('collection_id', '=', collectionId)
      .where('version_index', '=', index)
      .executeTakeFirst();
  }
  return db
    .selectFrom('memberships')
    .selectAll('memberships')
    .innerJoin('aliases', 'aliases.membership_id', 'memberships.id')
    .where('aliases.collection_id', '=', collectionId)
    .where('aliases.alias', '=', version)
    .executeTakeFirst();
}

/** Sortable collection fields and their columns. */
export const COLLECTION_ORDER_COLUMNS = {
  name: 'collections.name',
  created_at: 'collections.created_at',
  createdAt: 'collections.created_at',
  updated_at: 'collections.updated_at',
  updatedAt: 'collections.updated_at',
  id: 'collections.id',
} as const;

/** Sortable version fields (a linked version's own creation time is the link time). */
export const MEMBERSHIP_ORDER_COLUMNS = {
  created_at: 'memberships.created_at',
  createdAt: 'memberships.created_at',
  updated_at: 'artifacts.updated_at',
  updatedAt: 'artifacts.updated_at',
  version: 'memberships.version_index',
  versionIndex: 'memberships.version_index',
  id: 'memberships.id',
} as const;

function keyset(column: string, idColumn: string, order: Order, after: CursorValue | undefined): RawBuilder<boolean> | undefined {
  if (!after) return undefined;
  const cmp = sql.raw(order.direction === 'asc' ? '>' : '<');
  // Timestamps travel as PostgreSQL printed them (microseconds), so no row of the same millisecond is skipped.
  const dated = /(created|updated|linked)_at$/.test(column);
  const numeric = /(version_index|\.id)$/.test(column);
  // A cursor of another order (or a forged one) would otherwise reach the database as a type error.
  if (!cursorFits(after.v, dated ? 'date' : numeric ? 'integer' : 'text')) {
    throw userError('BAD_USER_INPUT', 'The cursor is not valid: pass an endCursor returned by this same query, with the same order.');
  }
  const value = dated ? sql`${after.v}::timestamptz` : after.v;
  return sql<boolean>`(${sql.ref(column)}, ${sql.ref(idColumn)}) ${cmp} (${value}, ${after.id})`;
}

function cursorOf(value: unknown, id: number): string {
  return encodeCursor({ v: value instanceof Date ? value.toISOString() : (value as string | number | null), id });
}

export interface CollectionListQuery {
  /** Collections of one project, or of every registry of an org entity the viewer can see. */
  scope: { projectId: number } | { orgEntityId: number; visibility: Visibility; projectWhere: Filter | undefined };
  kinds: readonly CollectionKind[];
  typeName?: string;
  /** A filter over `collectionField`'s fields. */
  where: Filter | undefined;
  order: Order;
  after: CursorValue | undefined;
  first: number;
}

/** `projects` row condition: a registry of the org entity that the viewer can see and the filter keeps. */
function registriesInScope(scope: { orgEntityId: number; visibility: Visibility; projectWhere: Filter | undefined }) {
  return sql<boolean>`(projects.entity_id = ${scope.orgEntityId} and projects.is_registry and ${visibleRegistry(scope.visibility)}
    and ${filterSql(scope.projectWhere, registryField) ?? sql<boolean>`true`})`;
}

function collectionQuery(db: DB, q: Omit<CollectionListQuery, 'order' | 'after' | 'first'>) {
  let query = db.selectFrom('collections').innerJoin('projects', 'projects.id', 'collections.project_id');
  if ('projectId' in q.scope) {
    query = query.where('collections.project_id', '=', q.scope.projectId);
  } else {
    query = query.where(registriesInScope(q.scope));
  }
  // Kinds are written out (they come from a GraphQL enum), not bound: a parameter would keep the
  // generic plan off the partial index of portfolios.
  if (q.kinds.length > 0) query = query.where(sql<boolean>`collections.kind in (${sql.join(q.kinds.map((kind) => sql.lit(kind)))})`);
  if (q.typeName !== undefined) query = query.where('collections.type_name', '=', q.typeName);
  const where = filterSql(q.where, collectionField);
  if (where) query = query.where(where);
  return query;
}

/**
 * How many collections are in scope. Every portfolio of a registry, unfiltered, is the registry's own
 * count (`projects.portfolio_count`, kept by a trigger on collections), so the registry-wide total
 * reads one row per registry instead of every collection; anything narrower is counted.
 */
function collectionCount(db: DB, q: Omit<CollectionListQuery, 'order' | 'after' | 'first'>) {
  const everyPortfolio = q.where === undefined && q.typeName === undefined && q.kinds.length === 1 && q.kinds[0] === 'PORTFOLIO';
  if (!everyPortfolio) return collectionQuery(db, q).select(sql<number>`count(*)::int`.as('n'));
  const registries = db.selectFrom('projects').select(sql<number>`coalesce(sum(projects.portfolio_count), 0)::int`.as('n'));
  return 'projectId' in q.scope ? registries.where('projects.id', '=', q.scope.projectId) : registries.where(registriesInScope(q.scope));
}

/** Distinct rows a page refers to (projects, their owners), sent once per page instead of once per row. */
function byIdMap<T extends { id: number }>(rows: T[] | null, fromJson: (value: unknown) => T): Map<number, T> {
  return new Map(
    (rows ?? []).map((row) => {
      const value = fromJson(row);
      return [value.id, value];
    }),
  );
}

function required<T>(map: Map<number, T>, id: number, what: string): T {
  const value = map.get(id);
  if (value === undefined) throw new Error(`${what} ${id} missing from its page`);
  return value;
}

/**
 * One page of collections (+1 row to know if more follow), with each one's tags, the projects and
 * owners they belong to, and the total when asked for: one statement returning one `json` value.
 * PGlite decodes every column of every row on its own (a copy and a text decode each), which cost
 * more than the query; `json` rather than `jsonb` because building binary JSON only to print it is
 * slower; the page's few projects and owners come once, not once per row.
 */
export async function listCollections(db: DB, q: CollectionListQuery & { withTotal?: boolean }) {
  const columnName = COLLECTION_ORDER_COLUMNS[q.order.field as keyof typeof COLLECTION_ORDER_COLUMNS];
  const dir = sql.raw(q.order.direction);
  let ids = collectionQuery(db, q).select('collections.id');
  const after = keyset(columnName, 'collections.id', q.order, q.after);
  if (after) ids = ids.where(after);
  ids = ids
    .orderBy(sql`${sql.ref(columnName)} ${dir}`)
    .orderBy(sql`collections.id ${dir}`)
    .limit(sql.lit(q.first + 1)); // written into the text: see listMemberships
  const total = q.withTotal ? collectionCount(db, q) : sql<null>`null`;
  const row = await sql<{ r: [unknown[] | null, unknown[] | null, unknown[] | null, number | null] }>`
    with page as (select * from collections where id = any(array(${ids}))),
      page_projects as (select * from projects where id in (select project_id from page))
    select json_build_array(
      (select json_agg(json_build_array(row_to_json(page),
          (select json_agg(ct.tag order by ct.tag) from collection_tags ct where ct.collection_id = page.id))
        order by ${sql.ref(columnName.replace('collections.', 'page.'))} ${dir}, page.id ${dir}) from page),
      (select json_agg(row_to_json(page_projects)) from page_projects),
      (select json_agg(row_to_json(e)) from entities e where e.id in (select entity_id from page_projects)),
      (${total})) as r`.execute(db);
  const [pageRows, projectRows, entityRows, totalCount] = row.rows[0]!.r;
  const projects = byIdMap(projectRows as Project[] | null, projectFromJson);
  const entities = byIdMap(entityRows as Entity[] | null, entityFromJson);
  const rows = (pageRows ?? []) as [unknown, string[] | null][];
  const field = columnName.split('.')[1] as keyof Collection;
  return {
    hasNextPage: rows.length > q.first,
    totalCount: q.withTotal ? Number(totalCount) : undefined,
    rows: rows.slice(0, q.first).map(([collectionJson, tags]) => {
      const collection = collectionFromJson(collectionJson);
      const sortValue = (collectionJson as Record<keyof Collection, unknown>)[field];
      const project = required(projects, collection.project_id, 'project');
      return {
        collection,
        project,
        entity: required(entities, project.entity_id, 'entity'),
        tags: tags ?? [],
        cursor: cursorOf(sortValue, collection.id),
      };
    }),
  };
}

export async function countCollections(db: DB, q: Omit<CollectionListQuery, 'order' | 'after' | 'first'>): Promise<number> {
  const row = await collectionCount(db, q).executeTakeFirstOrThrow();
  return row.n;
}

export interface MembershipListQuery {
  scope:
    | { collectionId: number }
    /** A collection by name in a project (a version addressed as `collection:v3`). */
    | { projectId: number; collectionName: string }
    | {
        orgEntityId: number;
        visibility: Visibility;
        projectWhere: Filter | undefined;
        collectionWhere: Filter | undefined;
      };
  /** A filter over `versionField`'s fields. */
  where: Filter | undefined;
  /** Only the version with this index (`collection:v3`). */
  versionIndex?: number;
  /**
   * An alias every version of the page holds (the filter says so at its top level). In link-time
   * order the page then walks that alias's entries of `aliases_alias_linked`, 51 of them, instead of
   * every version holding it.
   */
  alias?: string;
  order: Order;
  after: CursorValue | undefined;
  first: number;
}

/** Whether a version filter reads the source version's columns (metadata, id, updated_at). */
function readsArtifacts(db: DB, where: Expression<SqlBool> | undefined): boolean {
  return where !== undefined && db.selectFrom('memberships').select('id').where(where).compile().sql.includes('artifacts.');
}

function membershipQuery(db: DB, q: Omit<MembershipListQuery, 'order' | 'after' | 'first'>, orderedByArtifacts = false) {
  const where = filterSql(q.where, versionField);
  const joinArtifacts = orderedByArtifacts || readsArtifacts(db, where);
  let query = db
    .selectFrom('memberships')
    .innerJoin('collections', 'collections.id', 'memberships.collection_id')
    .innerJoin('projects', 'projects.id', 'collections.project_id');
  // Every membership has its artifact (foreign key), so the join only matters to a filter or order on
  // it; without it an alias filter probes 1 000 fewer rows. Typed as before: such filters are raw SQL.
  if (joinArtifacts) query = query.innerJoin('artifacts', 'artifacts.id', 'memberships.artifact_id') as unknown as typeof query;
  if (q.alias !== undefined) {
    query = query
      // Across registries, joined on the membership alone: a second, implied condition on the
      // collection made the planner expect one row and sort instead of walking the index.
      .innerJoin('aliases as da', 'da.membership_id', 'memberships.id')
      .where('da.alias', '=', q.alias);
    // Within one collection its (collection, alias) key finds the one holder, whatever the versions.
    if (!('orgEntityId' in q.scope)) query = query.where(sql<boolean>`da.collection_id = collections.id`);
  }
  if ('collectionId' in q.scope) {
    query = query.where('memberships.collection_id', '=', q.scope.collectionId);
  } else if ('collectionName' in q.scope) {
    query = query.where('collections.project_id', '=', q.scope.projectId).where('collections.name', '=', q.scope.collectionName);
  } else {
    query = query
      .where(registriesInScope(q.scope))
      // Links only (every one is in a portfolio): `memberships_links` skips the source versions.
      // Written out, not bound: a parameter would keep the generic plan off the partial index.
      .where(sql<boolean>`memberships.is_link`);
    const collectionWhere = filterSql(q.scope.collectionWhere, collectionField);
    if (collectionWhere) query = query.where(collectionWhere);
  }
  if (q.versionIndex !== undefined) query = query.where('memberships.version_index', '=', q.versionIndex);
  if (where) query = query.where(where);
  return query;
}

/** A row as `json_agg` gives it: columns by name, timestamps as text. */
type RowJson<K extends string = never> = Record<string, unknown> & { id: number } & Record<K, number>;

/** What the page statement returns: the page's ids in order, then each kind of row once. */
type MembershipPageJson = [
  number[],
  RowJson<'artifact_id'>[] | null,
  RowJson[] | null,
  unknown[] | null,
  { artifact_id: number; tag: string }[] | null,
  [number, unknown][] | null,
  LinkJson[] | null,
  unknown[] | null,
  unknown[] | null,
  unknown[] | null,
  number | null,
];

/**
 * One page of versions with their aliases and source versions (and those versions' tags), the
 * collections, projects and owners on both sides, and the total when asked for: one statement
 * returning one `json` value, as in listCollections. Every alias of the source versions (in any
 * collection) only when `withArtifactAliases`. Each kind of row comes once in a flat list, read by
 * key, and the page is put together here in the order of its ids: per-row subqueries and the final
 * sort cost the statement a fifth of its time.
 */
export async function listMemberships(db: DB, q: MembershipListQuery & { withTotal?: boolean; withArtifactAliases?: boolean }) {
  const columnName = MEMBERSHIP_ORDER_COLUMNS[q.order.field as keyof typeof MEMBERSHIP_ORDER_COLUMNS];
  const dir = sql.raw(q.order.direction);
  // Built once (its filter compiled once): the count and the page select from the same query.
  const inScope = membershipQuery(db, q, columnName.startsWith('artifacts.'));
  const total = q.withTotal ? inScope.select(sql<number>`count(*)::int`.as('n')) : sql<null>`null`;
  // Walking an alias in link order: the same values, read from the alias rows that index them.
  const byAlias = q.alias !== undefined && columnName === 'memberships.created_at';
  const walk = {
    column: byAlias ? 'da.linked_at' : columnName,
    id: byAlias ? 'da.membership_id' : 'memberships.id',
  };
  let pageIds = inScope.select('memberships.id');
  const after = keyset(walk.column, walk.id, q.order, q.after);
  if (after) pageIds = pageIds.where(after);
  pageIds = pageIds
    .orderBy(sql`${sql.ref(walk.column)} ${dir}`)
    .orderBy(sql`${sql.ref(walk.id)} ${dir}`)
    // The page size (a checked integer) is written into the text, not bound: a prepared statement's
    // generic plan cannot see a bound LIMIT, so PostgreSQL re-planned the page on every request, and
    // a forced generic plan of the alias walk read every version holding the alias.
    .limit(sql.lit(q.first + 1));
  // Every alias of the source versions, with the collections they are in (read with the page's own).
  const artifactAliases = q.withArtifactAliases
    ? {
        // With their links into registries, whose `vN` Artifact.aliases shows too.
        cte: sql`page_artifact_aliases as (select am.artifact_id, al as alias from aliases al join memberships am on am.id = al.membership_id
          where am.artifact_id = any(array(select id from page_artifacts))),
          page_artifact_links as (select m.artifact_id, m.id, m.collection_id, m.version_index, m.created_at from memberships m
          where m.artifact_id = any(array(select id from page_artifacts)) and m.is_link),`,
        collections: sql`union select (alias).collection_id from page_artifact_aliases union select collection_id from page_artifact_links`,
        json: sql`(select json_agg(json_build_array(artifact_id, row_to_json(alias)) order by (alias).id) from page_artifact_aliases),
          (select json_agg(json_build_array(artifact_id, id, collection_id, version_index, created_at) order by id) from page_artifact_links)`,
      }
    : { cte: sql``, collections: sql``, json: sql`null, null` };
  // The page's ids first (in page order), then its rows by primary key: with a filter the planner may
  // join and sort many rows, and JSON built before that sort cost more than the rest of the statement.
  const row = await sql<{ r: MembershipPageJson }>`
    with ids as materialized (select array(${pageIds}) as a),
      page as (select * from memberships where id = any((select a from ids)::int[])),
      page_artifacts as (select * from artifacts where id = any(array(select artifact_id from page))),
      ${artifactAliases.cte}
      page_collections as (select * from collections where id = any(array(
        select collection_id from page union select sequence_id from page_artifacts ${artifactAliases.collections}))),
      page_projects as (select * from projects where id = any(array(select project_id from page_collections)))
    select json_build_array(
      (select a from ids),
      (select json_agg(page) from page),
      (select json_agg(page_artifacts) from page_artifacts),
      (select json_agg(a order by a.alias) from aliases a where a.membership_id = any(array(select id from page))),
      (select json_agg(t order by t.tag) from artifact_tags t where t.artifact_id = any(array(select id from page_artifacts))),
      ${artifactAliases.json},
      (select json_agg(page_collections) from page_collections),
      (select json_agg(page_projects) from page_projects),
      (select json_agg(e) from entities e where e.id = any(array(select entity_id from page_projects))),
      (${total})) as r`.execute(db);
  const [
    ids,
    membershipRows,
    artifactRows,
    aliasRows,
    tagRows,
    artifactAliasRows,
    artifactLinkRows,
    collectionRows,
    projectRows,
    entityRows,
    totalCount,
  ] = row.rows[0]!.r;
  const memberships = new Map((membershipRows ?? []).map((json) => [json.id, json]));
  const artifacts = new Map((artifactRows ?? []).map((json) => [json.id, json]));
  const pageIdsInOrder = ids.slice(0, q.first);
  const artifactIds = pageIdsInOrder.map((id) => required(memberships, id, 'membership').artifact_id);
  // Per row, in the order the statement sorted them (by name, in the database's collation).
  const aliases = groupByKey(pageIdsInOrder, (aliasRows ?? []).map(aliasFromJson), (a) => a.membership_id);
  const tags = groupByKey(artifactIds, tagRows ?? [], (t) => t.artifact_id);
  const allAliases = groupByKey(artifactIds, artifactAliasRows ?? [], ([artifactId]) => artifactId);
  const allLinks = groupByKey(artifactIds, (artifactLinkRows ?? []).map(linkFromJson), (l) => l.artifactId);
  const collections = byIdMap(collectionRows as Collection[] | null, collectionFromJson);
  const projects = byIdMap(projectRows as Project[] | null, projectFromJson);
  const entities = byIdMap(entityRows as Entity[] | null, entityFromJson);
  const side = (collectionId: number) => {
    const collection = required(collections, collectionId, 'collection');
    const project = required(projects, collection.project_id, 'project');
    return { collection, project, entity: required(entities, project.entity_id, 'entity') };
  };
  // The cursor keeps the sort value as PostgreSQL printed it (microseconds), before it becomes a Date.
  const [sortTable, sortField] = columnName.split('.') as ['memberships' | 'artifacts', string];
  return {
    hasNextPage: ids.length > q.first,
    totalCount: q.withTotal ? Number(totalCount) : undefined,
    rows: pageIdsInOrder.map((id, i) => {
      const membershipJson = required(memberships, id, 'membership');
      const membership = membershipFromJson(membershipJson);
      const artifactJson = required(artifacts, membership.artifact_id, 'artifact');
      const artifact = artifactFromJson(artifactJson);
      const artifactAliases = q.withArtifactAliases ? allAliases[i]!.map(([, alias]) => aliasFromJson(alias)) : undefined;
      const artifactLinks = q.withArtifactAliases ? allLinks[i]! : undefined;
      return {
        membership,
        aliases: aliases[i]!,
        artifact,
        artifactTags: tags[i]!.map((t) => t.tag),
        artifactAliases,
        artifactLinks,
        ...side(membership.collection_id),
        related: side(artifact.sequence_id),
        // The collections those aliases and links are in, which the SDK shows with them.
        aliasSides:
          artifactAliases &&
          artifactLinks &&
          [...artifactAliases, ...artifactLinks.map((l) => ({ collection_id: l.collectionId }))].map((a) => side(a.collection_id)),
        cursor: cursorOf((sortTable === 'artifacts' ? artifactJson : membershipJson)[sortField], membership.id),
      };
    }),
  };
}

export async function countMemberships(db: DB, q: Omit<MembershipListQuery, 'order' | 'after' | 'first'>): Promise<number> {
  const row = await membershipQuery(db, q)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** A collection's aliases, in alias order, keyset on the alias id. */
export async function listAliases(db: DB, collectionId: number, after: CursorValue | undefined, first: number) {
  let query = db.selectFrom('aliases').selectAll().where('collection_id', '=', collectionId);
  if (after) query = query.where('id', '>', after.id);
  const rows = await query
    .orderBy('id')
    .limit(first + 1)
    .execute();
  return {
    hasNextPage: rows.length > first,
    edges: rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.id }) })),
  };
}

/** Every membership of these source artifacts, with its collection and project. */
export async function membershipsOfArtifacts(db: DB, artifactIds: readonly number[]) {
  if (artifactIds.length === 0) return [];
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('collections', 'collections.id', 'memberships.collection_id')
    .innerJoin('projects', 'projects.id', 'collections.project_id')
    .selectAll('memberships')
    .select([sql<unknown>`to_jsonb(collections)`.as('collection_json'), sql<unknown>`to_jsonb(projects)`.as('project_json')])
    .where('memberships.artifact_id', 'in', artifactIds)
    .orderBy('memberships.id')
    .execute();
  return rows.map(({ collection_json, project_json, ...membership }) => ({
    membership: membership as Membership,
    collection: collectionFromJson(collection_json),
    project: projectFromJson(project_json),
  }));
}

/** The filter fields the SDK sends for collections (wandb-compat/README.md rule 7). */
export function collectionField(name: string): FieldSpec | undefined {
  switch (name) {
    case 'id':
    case 'artifact_collection_id':
    case 'collection_id':
      return { kind: 'number', column: sql`collections.id` };
    case 'name':
      return { kind: 'text', column: sql`collections.name` };
    case 'description':
      return { kind: 'text', column: sql`collections.description` };
    case 'type':
      return { kind: 'text', column: sql`collections.type_name` };
    case 'tag':
      return {
        kind: 'text',
        column: sql`ct.tag`,
        wrap: (condition) =>
          sql<boolean>`exists (select 1 from collection_tags ct where ct.collection_id = collections.id and ${condition})`,
      };
    case 'created_at':
    case 'createdAt':
      return { kind: 'date', column: sql`collections.created_at` };
    case 'updated_at':
    case 'updatedAt':
      return { kind: 'date', column: sql`collections.updated_at` };
    default:
      return undefined;
  }
}

/** The filter fields the SDK sends for versions (wandb-compat/README.md rule 7). */
/** Metadata keys a filter may name (`metadata.<key>`, up to 8 levels). */
const METADATA_KEY = /^[\w-]{1,64}$/;

export function versionField(name: string): FieldSpec | undefined {
  if (name.startsWith('metadata.')) {
    const path = name.slice('metadata.'.length).split('.');
    if (path.length > 8 || !path.every((key) => METADATA_KEY.test(key))) {
      throw userError('BAD_USER_INPUT', `Invalid filter: "${name.slice(0, 80)}" is not a metadata path such as "metadata.accuracy".`);
    }
    return {
      kind: 'json',
      searchable: true,
      column: sql`(artifacts.metadata #> ${path})`,
      regexColumn: sql`(artifacts.metadata #>> ${path})`,
    };
  }
  switch (name) {
    case 'id':
      return { kind: 'number', column: sql`artifacts.id` };
    case 'version':
      return {
        kind: 'text',
        column: sql`('v' || memberships.version_index)`,
      };
    case 'alias':
      return {
        kind: 'text',
        column: sql`fa.alias`,
        // An alias always lives in its version's collection; saying so lets the planner start from the
        // matching aliases and join their collections, instead of scanning every version in scope.
        wrap: (condition) =>
          sql<boolean>`exists (select 1 from aliases fa where fa.collection_id = memberships.collection_id and fa.membership_id = memberships.id and ${condition})`,
      };
    case 'tag':
      return {
        kind: 'text',
        column: sql`ft.tag`,
        wrap: (condition) =>
          sql<boolean>`exists (select 1 from artifact_tags ft where ft.artifact_id = memberships.artifact_id and ${condition})`,
      };
    case 'metadata':
      return { kind: 'json', searchable: true, column: sql`artifacts.metadata`, regexColumn: sql`(artifacts.metadata::text)` };
    case 'created_at':
    case 'createdAt':
      return { kind: 'date', column: sql`memberships.created_at` };
    case 'updated_at':
    case 'updatedAt':
      return { kind: 'date', column: sql`artifacts.updated_at` };
    default:
      return undefined;
  }
}
