import { sql } from 'kysely';
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

/** Serializes first starts: several processes on one PostgreSQL wait here, and all but the first then find the organization. */
export async function lockFirstStart(trx: DB): Promise<void> {
  await sql`select pg_advisory_xact_lock(727001)`.execute(trx);
}

export async function anyOrganizationExists(db: DB): Promise<boolean> {
  return (await db.selectFrom('organizations').select('id').executeTakeFirst()) !== undefined;
}

export interface FirstOrganization {
  orgName: string;
  adminUser: string;
  passwordHash: string;
  apiKeyHash: string;
  apiKeyPrefix: string;
  coreRegistries: readonly { name: string; title: string; description: string; type: string }[];
}

/** The organization with its entity, its admin (own entity, API key) and the core registries; run inside the first-start transaction. */
export async function insertFirstOrganization(trx: DB, input: FirstOrganization): Promise<void> {
  const org = await trx.insertInto('organizations').values({ name: input.orgName }).returning('id').executeTakeFirstOrThrow();
  const orgEntity = await trx
    .insertInto('entities')
    .values({ organization_id: org.id, name: input.orgName, kind: 'ORGANIZATION' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('organizations').set({ org_entity_id: orgEntity.id }).where('id', '=', org.id).execute();

  const userEntity = await trx
    .insertInto('entities')
    .values({ organization_id: org.id, name: input.adminUser, kind: 'USER' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const admin = await trx
    .insertInto('users')
    .values({
      organization_id: org.id,
      entity_id: userEntity.id,
      username: input.adminUser,
      name: input.adminUser,
      password_hash: input.passwordHash,
      org_role: 'admin',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('api_keys')
    .values({ user_id: admin.id, key_hash: input.apiKeyHash, prefix: input.apiKeyPrefix, description: 'Created at first start' })
    .execute();

  for (const core of input.coreRegistries) {
    const project = await trx
      .insertInto('projects')
      .values({
        entity_id: orgEntity.id,
        name: `wandb-registry-${core.name}`,
        display_name: core.title,
        description: core.description,
        access: 'PRIVATE',
        is_registry: true,
        is_core: true,
        allow_all_types: false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('registry_types').values({ project_id: project.id, type_name: core.type }).execute();
  }
}
