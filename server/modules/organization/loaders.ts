import type { Entity, Organization } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { byKey, contextLoader } from '../../graphql/context-loaders.js';
import { entitiesByIds, findEntityByName, findOrganizationWithEntity, organizationsByIds } from './repository.js';

/** Entities (users' own, teams, the organization's) by id, per request; undefined when there is none. */
export const entityLoader = (ctx: Context) =>
  contextLoader(ctx, 'organization:entity', async (ids: readonly number[]): Promise<(Entity | undefined)[]> =>
    byKey(ids, await entitiesByIds(ctx.db, ids), (e) => e.id),
  );

export const organizationLoader = (ctx: Context) =>
  contextLoader(ctx, 'organization:organization', async (ids: readonly number[]): Promise<(Organization | undefined)[]> =>
    byKey(ids, await organizationsByIds(ctx.db, ids), (o) => o.id),
  );

/** An entity that must exist (a project's owner). */
export async function loadEntity(ctx: Context, id: number): Promise<Entity> {
  const entity = await entityLoader(ctx).load(id);
  if (!entity) throw new Error(`entity ${id} not found`);
  return entity;
}

/** An entity by name; what it reads is kept for the rest of the request. */
export async function entityByName(ctx: Context, name: string): Promise<Entity | undefined> {
  const entity = await findEntityByName(ctx.db, name);
  if (entity) entityLoader(ctx).prime(entity.id, entity);
  return entity;
}

/** An organization by name with its entity, in one statement; both are kept for the rest of the request. */
export async function organizationByName(ctx: Context, name: string): Promise<Organization | undefined> {
  const found = await findOrganizationWithEntity(ctx.db, name);
  if (!found) return undefined;
  organizationLoader(ctx).prime(found.org.id, found.org);
  if (found.entity) entityLoader(ctx).prime(found.entity.id, found.entity);
  return found.org;
}
