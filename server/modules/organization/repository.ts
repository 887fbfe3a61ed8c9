import type { DB } from '../../db/database.js';
import type { Entity, Organization } from '../../db/tables.js';

/** The organization with its entity, in one statement (the SDK asks for both on every registry call). */
export async function findOrganizationWithEntity(
  db: DB,
  name: string,
): Promise<{ org: Organization; entity: Entity | undefined } | undefined> {
  const row = await db
    .selectFrom('organizations as o')
    .leftJoin('entities as e', 'e.id', 'o.org_entity_id')
    .selectAll('o')
    .select([
      'e.id as e_id',
      'e.organization_id as e_organization_id',
      'e.name as e_name',
      'e.kind as e_kind',
      'e.created_at as e_created_at',
    ])
    .where('o.name', '=', name)
    .executeTakeFirst();
  if (!row) return undefined;
  const { e_id, e_organization_id, e_name, e_kind, e_created_at, ...org } = row;
  const entity =
    e_id !== null && e_organization_id !== null && e_name !== null && e_kind !== null && e_created_at !== null
      ? { id: e_id, organization_id: e_organization_id, name: e_name, kind: e_kind, created_at: e_created_at }
      : undefined;
  return { org, entity };
}

export async function organizationsByIds(db: DB, ids: readonly number[]): Promise<Organization[]> {
  return db.selectFrom('organizations').selectAll().where('id', 'in', ids).execute();
}

export async function findEntityByName(db: DB, name: string): Promise<Entity | undefined> {
  return db.selectFrom('entities').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function entitiesByIds(db: DB, ids: readonly number[]): Promise<Entity[]> {
  return db.selectFrom('entities').selectAll().where('id', 'in', ids).execute();
}
