import type { Project } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { contextLoader, groupByKey, requiredById } from '../../graphql/context-loaders.js';
import { projectsByIds, registryTypesByProjectIds } from './repository.js';

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
