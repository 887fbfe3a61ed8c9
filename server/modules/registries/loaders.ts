import type { Project } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { contextLoader, groupByKey, requiredById } from '../../graphql/context-loaders.js';
import { projectsByIds, registryTypesByProjectIds } from './repository.js';
import { protectedAliasesOfProjects, teamMembersOfProjects, userGrantsInProjects, userMembersOfProjects } from './repository-writes.js';

export type { TeamMemberGrantRow } from './repository-writes.js';

/** Projects (registries and team projects) by id, per request; every module's reads share it. */
export const projectLoader = (ctx: Context) =>
  contextLoader(ctx, 'registries:project', async (ids: readonly number[]) => requiredById(ids, await projectsByIds(ctx.db, ids)));

// Synchronous when the value is known (primed by a page or loaded before), so lists resolve without promises.
export const loadProject = (ctx: Context, id: number): Project | Promise<Project> => projectLoader(ctx).get(id);

/** The artifact types a registry accepts, per request. */
export const registryTypesLoader = (ctx: Context) =>
  contextLoader(ctx, 'registries:types', async (ids: readonly number[]) =>
    groupByKey(ids, await registryTypesByProjectIds(ctx.db, ids), (t) => t.project_id),
  );

// A registry's members and protected aliases: one statement per kind per request.

export const userMembersLoader = (ctx: Context) =>
  contextLoader(ctx, 'registryUserMembers', async (ids: readonly number[]) =>
    groupByKey(ids, await userMembersOfProjects(ctx.db, ids), (r) => r.project_id),
  );

export const teamMembersLoader = (ctx: Context) =>
  contextLoader(ctx, 'registryTeamMembers', async (ids: readonly number[]) =>
    groupByKey(ids, await teamMembersOfProjects(ctx.db, ids), (r) => r.project_id),
  );

/** Every grant (own or through a team) of the users in a registry, to tell each one's effective role. */
export const userGrantsLoader = (ctx: Context) =>
  contextLoader(ctx, 'registryUserGrants', async (ids: readonly number[]) =>
    groupByKey(ids, await userGrantsInProjects(ctx.db, ids), (r) => r.project_id),
  );

export const protectedAliasesLoader = (ctx: Context) =>
  contextLoader(ctx, 'registryProtectedAliases', async (ids: readonly number[]) =>
    groupByKey(ids, await protectedAliasesOfProjects(ctx.db, ids), (r) => r.project_id).map((list) => list.map((r) => r.alias)),
  );
