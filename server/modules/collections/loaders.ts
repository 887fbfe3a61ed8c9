import type { Alias, Collection, Membership, Project } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { contextLoader } from '../../graphql/context-loaders.js';
import { canSeeProject } from '../registries/access.js';
import { aliasesByMembershipIds, collectionsByIds, membershipsByIds, projectsByIds, tagsByCollectionIds } from './repository.js';

function byId<V extends { id: number }>(keys: readonly number[], rows: V[]): (V | Error)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return keys.map((k) => map.get(k) ?? new Error(`row ${k} not found`));
}

function grouped<V>(keys: readonly number[], rows: V[], key: (row: V) => number): V[][] {
  const map = new Map<number, V[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

export const collectionLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.byId', async (ids: readonly number[]) => byId(ids, await collectionsByIds(ctx.db, ids)));

export const projectLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.projectById', async (ids: readonly number[]) => byId(ids, await projectsByIds(ctx.db, ids)));

export const membershipLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.membershipById', async (ids: readonly number[]) => byId(ids, await membershipsByIds(ctx.db, ids)));

export const collectionTagsLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.tags', async (ids: readonly number[]) =>
    grouped(ids, await tagsByCollectionIds(ctx.db, ids), (row) => row.collection_id).map((rows) => rows.map((r) => r.tag)),
  );

export const membershipAliasesLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.aliases', async (ids: readonly number[]): Promise<Alias[][]> =>
    grouped(ids, await aliasesByMembershipIds(ctx.db, ids), (row) => row.membership_id),
  );

/** Rows a list query already fetched (joined), so resolvers below it cost no statement. */
export function prime(ctx: Context, rows: { collection?: Collection; project?: Project; membership?: Membership }[]): void {
  for (const row of rows) {
    if (row.collection) collectionLoader(ctx).prime(row.collection.id, row.collection);
    if (row.project) projectLoader(ctx).prime(row.project.id, row.project);
    if (row.membership) membershipLoader(ctx).prime(row.membership.id, row.membership);
  }
}

/** Whether the viewer may see a collection: the one of its project (registries by role, team projects by team). */
export async function canSeeCollection(ctx: Context, collection: Collection): Promise<boolean> {
  const project = await projectLoader(ctx).load(collection.project_id);
  const owner = await ctx.loaders.entity.load(project.entity_id);
  return owner !== undefined && canSeeProject(ctx, project, owner);
}
