import type { Alias, Artifact, Collection, Entity, Membership, Project } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { byKey, contextLoader, groupByKey, requiredById } from '../../graphql/context-loaders.js';
import { entityLoader } from '../organization/loaders.js';
import { canSeeProject } from '../registries/access.js';
import { loadProject, projectLoader } from '../registries/loaders.js';
import { aliasesByMembershipIds, membershipsByIds, membershipsOfArtifacts, tagsByCollectionIds } from './repository.js';
import {
  type CollectionSummaryRow,
  type RegistrySummaryRow,
  summariesByCollectionIds,
  summariesByProjectIds,
} from './repository-summary.js';
import {
  type VersionLink,
  aliasesOfArtifacts,
  artifactRowsByIds,
  collectionRowsByIds,
  linksOfArtifacts,
  tagsByArtifactIds,
} from './repository-artifacts.js';

// Per-request loaders of collections, their versions (memberships) and the source versions
// (artifacts) they hold: collection and version lists return all of these rows, and the artifacts
// module reads versions through the same loaders, so a row loaded or primed once is not fetched again.

/** Collections come with their projects and owners, which the other loaders keep (access checks read both). */
export const collectionLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections:collection', async (ids: readonly number[]) => {
    const rows = await collectionRowsByIds(ctx.db, ids);
    for (const project of rows.projects) projectLoader(ctx).prime(project.id, project);
    for (const entity of rows.entities) entityLoader(ctx).prime(entity.id, entity);
    return requiredById(ids, rows.collections);
  });

/**
 * Null when the artifact does not exist (errors are not cached as values). The versions come with
 * their sequences, projects, owners, tags and aliases, which the other loaders keep: a document that
 * reads a version by id and then those costs one statement, not five.
 */
export const artifactLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections:artifact', async (ids: readonly number[]): Promise<(Artifact | null)[]> => {
    const rows = await artifactRowsByIds(ctx.db, ids);
    for (const collection of rows.collections) collectionLoader(ctx).prime(collection.id, collection);
    for (const project of rows.projects) projectLoader(ctx).prime(project.id, project);
    for (const entity of rows.entities) entityLoader(ctx).prime(entity.id, entity);
    const artifactIds = rows.artifacts.map((a) => a.id);
    const tags = groupByKey(artifactIds, rows.tags, (t) => t.artifact_id);
    const aliases = groupByKey(artifactIds, rows.aliases, (a) => a.artifactId);
    const links = groupByKey(artifactIds, rows.links, (l) => l.artifactId);
    rows.artifacts.forEach((artifact, i) => {
      artifactTagsLoader(ctx).prime(
        artifact.id,
        tags[i]!.map((t) => ({ name: t.tag })),
      );
      artifactAliasesLoader(ctx).prime(
        artifact.id,
        aliases[i]!.map((a) => a.alias),
      );
      artifactLinksLoader(ctx).prime(artifact.id, links[i]!);
    });
    return byKey(ids, rows.artifacts, (a) => a.id).map((a) => a ?? null);
  });

/** A mutation changed the version's tags or aliases: fields read after it must read them again. */
export function forgetArtifactRows(ctx: Context, id: number): void {
  artifactLoader(ctx).clear(id);
  artifactTagsLoader(ctx).clear(id);
  artifactAliasesLoader(ctx).clear(id);
  artifactLinksLoader(ctx).clear(id);
}

// Synchronous when the value is known (primed by a page or loaded before), so lists resolve without promises.
export const loadCollection = (ctx: Context, id: number): Collection | Promise<Collection> => collectionLoader(ctx).get(id);

export const loadArtifact = (ctx: Context, id: number): Artifact | null | Promise<Artifact | null> => artifactLoader(ctx).get(id);

/** The source project (team project) of a version. */
export async function sourceProject(ctx: Context, artifact: Artifact): Promise<Project> {
  const collection = await loadCollection(ctx, artifact.sequence_id);
  return loadProject(ctx, collection.project_id);
}

/** Tags of source versions, per request; list queries that already fetched them prime it. */
export const artifactTagsLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections:artifactTags', async (ids: readonly number[]) => {
    const rows = await tagsByArtifactIds(ctx.db, ids);
    return groupByKey(ids, rows, (r) => r.artifact_id).map((list) => list.map((r) => ({ name: r.tag })));
  });

/** Every alias a source version holds, in any collection, per request; list queries prime it. */
export const artifactAliasesLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections:artifactAliases', async (ids: readonly number[]): Promise<Alias[][]> => {
    const rows = await aliasesOfArtifacts(ctx.db, ids);
    return groupByKey(ids, rows, (r) => r.artifact_id).map((list) => list.map(({ artifact_id: _ignored, ...alias }) => alias));
  });

/** The registry links of source versions, per request; a version read by id comes with them. */
export const artifactLinksLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections:artifactLinks', async (ids: readonly number[]): Promise<VersionLink[][]> =>
    groupByKey(ids, await linksOfArtifacts(ctx.db, ids), (l) => l.artifactId),
  );

export const membershipLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections:membership', async (ids: readonly number[]) => requiredById(ids, await membershipsByIds(ctx.db, ids)));

export const collectionTagsLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections:tags', async (ids: readonly number[]) =>
    groupByKey(ids, await tagsByCollectionIds(ctx.db, ids), (row) => row.collection_id).map((rows) => rows.map((r) => r.tag)),
  );

export const membershipAliasesLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections:membershipAliases', async (ids: readonly number[]): Promise<Alias[][]> =>
    groupByKey(ids, await aliasesByMembershipIds(ctx.db, ids), (row) => row.membership_id),
  );

/** Every membership of source versions (their sequences and registry links), with collections and projects. */
export const artifactMembershipsLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.membershipsOfArtifact', async (ids: readonly number[]) => {
    const all = await membershipsOfArtifacts(ctx.db, ids);
    return ids.map((id) => all.filter((row) => row.membership.artifact_id === id));
  });

/**
 * What a registry's collections table shows per row (latest version, number of versions), without a
 * statement per row: one batched statement for the whole page.
 */
export const collectionSummaryLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.summary', async (ids: readonly number[]): Promise<(CollectionSummaryRow | undefined)[]> => {
    const rows = await summariesByCollectionIds(ctx.db, ids);
    prime(
      ctx,
      rows.flatMap((row) => (row.latest ? [{ membership: row.latest }] : [])),
    );
    return byKey(ids, rows, (row) => row.collection_id);
  });

/** What a registry card shows (collections, linked versions), one batched statement for a page of registries. */
export const registrySummaryLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.registrySummary', async (ids: readonly number[]): Promise<(RegistrySummaryRow | undefined)[]> =>
    byKey(ids, await summariesByProjectIds(ctx.db, ids), (row) => row.project_id),
  );

interface PrimeRows {
  collection?: Collection;
  project?: Project;
  entity?: Entity;
}

/** Rows a list query already fetched (joined), so resolvers below it cost no statement. */
export function prime(
  ctx: Context,
  rows: {
    collection?: Collection;
    project?: Project;
    membership?: Membership;
    entity?: Entity;
    related?: PrimeRows;
    /** The collections (with projects and owners) of the source version's aliases. */
    aliasSides?: PrimeRows[];
    aliases?: Alias[];
    artifact?: Artifact;
    /** The collection's tags. */
    tags?: string[];
    /** The source version's tags. */
    artifactTags?: string[];
    /** Every alias the source version holds, in any collection. */
    artifactAliases?: Alias[];
    /** The source version's links into registry collections. */
    artifactLinks?: VersionLink[];
  }[],
): void {
  for (const row of rows) {
    if (row.collection && row.tags) collectionTagsLoader(ctx).prime(row.collection.id, row.tags);
    if (row.artifact && row.artifactTags)
      artifactTagsLoader(ctx).prime(
        row.artifact.id,
        row.artifactTags.map((name) => ({ name })),
      );
    if (row.artifact && row.artifactAliases) artifactAliasesLoader(ctx).prime(row.artifact.id, row.artifactAliases);
    if (row.artifact && row.artifactLinks) artifactLinksLoader(ctx).prime(row.artifact.id, row.artifactLinks);
    if (row.membership && row.aliases) membershipAliasesLoader(ctx).prime(row.membership.id, row.aliases);
    if (row.artifact) artifactLoader(ctx).prime(row.artifact.id, row.artifact);
    if (row.collection) collectionLoader(ctx).prime(row.collection.id, row.collection);
    if (row.project) projectLoader(ctx).prime(row.project.id, row.project);
    if (row.membership) membershipLoader(ctx).prime(row.membership.id, row.membership);
    if (row.entity) entityLoader(ctx).prime(row.entity.id, row.entity);
    if (row.related) prime(ctx, [row.related]);
    if (row.aliasSides) prime(ctx, row.aliasSides);
  }
}

/** Whether the viewer may see a collection: the one of its project (registries by role, team projects by team). */
export async function canSeeCollection(ctx: Context, collection: Collection): Promise<boolean> {
  const project = await projectLoader(ctx).load(collection.project_id);
  const owner = await entityLoader(ctx).load(project.entity_id);
  return owner !== undefined && canSeeProject(ctx, project, owner);
}
