import type { Alias, Artifact, Collection, Entity, Membership, Project } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { contextLoader, groupByKey, requiredById } from '../../graphql/context-loaders.js';
// Collections, projects and source versions share the artifacts module's per-request loaders, so a
// row loaded or primed by one module is not fetched again by the other.
import {
  artifactAliasesLoader,
  artifactLinksLoader,
  artifactLoader,
  artifactTagsLoader,
  collectionLoader,
  projectLoader,
} from '../artifacts/access.js';
import type { VersionLink } from '../artifacts/repository.js';
import { canSeeProject } from '../registries/access.js';
import { aliasesByMembershipIds, membershipsByIds, tagsByCollectionIds } from './repository.js';

export { artifactLoader, collectionLoader, projectLoader };

export const membershipLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.membershipById', async (ids: readonly number[]) =>
    requiredById(ids, await membershipsByIds(ctx.db, ids)),
  );

export const collectionTagsLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.tags', async (ids: readonly number[]) =>
    groupByKey(ids, await tagsByCollectionIds(ctx.db, ids), (row) => row.collection_id).map((rows) => rows.map((r) => r.tag)),
  );

export const membershipAliasesLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.aliases', async (ids: readonly number[]): Promise<Alias[][]> =>
    groupByKey(ids, await aliasesByMembershipIds(ctx.db, ids), (row) => row.membership_id),
  );

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
    if (row.entity) ctx.loaders.entity.prime(row.entity.id, row.entity);
    if (row.related) prime(ctx, [row.related]);
    if (row.aliasSides) prime(ctx, row.aliasSides);
  }
}

interface PrimeRows {
  collection?: Collection;
  project?: Project;
  entity?: Entity;
}

/** Whether the viewer may see a collection: the one of its project (registries by role, team projects by team). */
export async function canSeeCollection(ctx: Context, collection: Collection): Promise<boolean> {
  const project = await projectLoader(ctx).load(collection.project_id);
  const owner = await ctx.loaders.entity.load(project.entity_id);
  return owner !== undefined && canSeeProject(ctx, project, owner);
}
