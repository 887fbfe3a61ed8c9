import type { DB } from '../../db/database.js';
import type { Entity, Organization } from '../../db/tables.js';

export async function findOrganizationByName(db: DB, name: string): Promise<Organization | undefined> {
  return db.selectFrom('organizations').selectAll().where('name', '=', name).executeTakeFirst();
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
