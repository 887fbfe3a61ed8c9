import { sql } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Entity, Project, ProjectAccess, RegistryRole, User } from '../../db/tables.js';

// SQL for registry settings, members and protected aliases (the mutations in registry-mutations.ts
// and members-schema.ts).

export async function findProjectById(db: DB, id: number): Promise<Project | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Registry names are compared without case, so "Foo" and "foo" cannot both exist. */
export async function findRegistryByNameInsensitive(db: DB, entityId: number, name: string): Promise<Project | undefined> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export interface NewRegistry {
  entityId: number;
  name: string;
  description: string;
  access: ProjectAccess;
  allowAllTypes: boolean;
  types: readonly string[];
  /** Becomes the registry's admin (restricted registries). */
  adminUserId: number | null;
}

/** Whether a database error is a unique-constraint violation (two requests creating the same name). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
}

export async function insertRegistry(db: DB, input: NewRegistry): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    const project = await trx
      .insertInto('projects')
      .values({
        entity_id: input.entityId,
        name: input.name,
        description: input.description,
        access: input.access,
        is_registry: true,
        is_core: false,
        allow_all_types: input.allowAllTypes,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.types.length > 0) {
      await trx
        .insertInto('registry_types')
        .values(input.types.map((type_name) => ({ project_id: project.id, type_name })))
        .execute();
    }
    if (input.adminUserId !== null) {
      await trx.insertInto('registry_members').values({ project_id: project.id, user_id: input.adminUserId, role: 'admin' }).execute();
    }
    return project;
  });
}

export interface RegistryChanges {
  description?: string;
  access?: ProjectAccess;
  allowAllTypes?: boolean;
  /** Added to the saved types; saved types are never removed. */
  addTypes: readonly string[];
}

export async function updateRegistry(db: DB, id: number, changes: RegistryChanges): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    if (changes.addTypes.length > 0) {
      await trx
        .insertInto('registry_types')
        .values(changes.addTypes.map((type_name) => ({ project_id: id, type_name })))
        .onConflict((oc) => oc.columns(['project_id', 'type_name']).doNothing())
        .execute();
    }
    return trx
      .updateTable('projects')
      .set({
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.access !== undefined ? { access: changes.access } : {}),
        ...(changes.allowAllTypes !== undefined ? { allow_all_types: changes.allowAllTypes } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function renameRegistry(db: DB, id: number, name: string): Promise<Project> {
  return db
    .updateTable('projects')
    .set({ name, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Source versions stored in the registry project itself (none in normal use): they block a delete. */
export async function countOwnArtifacts(db: DB, projectId: number): Promise<number> {
  const row = await db
    .selectFrom('artifacts')
    .innerJoin('collections', 'collections.id', 'artifacts.sequence_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('collections.project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Deletes a registry with its collections, linked versions, aliases, members and protected aliases,
 * in one transaction. The linked source versions stay: only the pointers to them go.
 */
export async function deleteRegistry(db: DB, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const collections = trx.selectFrom('collections').select('id').where('project_id', '=', id);
    await trx.deleteFrom('aliases').where('collection_id', 'in', collections).execute();
    await trx.deleteFrom('memberships').where('collection_id', 'in', collections).execute();
    await trx.deleteFrom('collections').where('project_id', '=', id).execute();
    await trx.deleteFrom('registry_members').where('project_id', '=', id).execute();
    await trx.deleteFrom('protected_aliases').where('project_id', '=', id).execute();
    await trx.deleteFrom('projects').where('id', '=', id).execute();
  });
}

// ---- members

export interface UserMemberRow {
  project_id: number;
  role: RegistryRole;
  user: User;
}

/** Users given a role in these registries: one statement. */
export async function userMembersOfProjects(db: DB, projectIds: readonly number[]): Promise<UserMemberRow[]> {
  if (projectIds.length === 0) return [];
  const rows = await db
    .selectFrom('registry_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('u')
    .select(['m.project_id', 'm.role as member_role'])
    .where('m.project_id', 'in', projectIds)
    .where('u.deleted_at', 'is', null)
    .orderBy('u.username')
    .execute();
  return rows.map(({ project_id, member_role, ...user }) => ({ project_id, role: member_role, user }));
}

export interface TeamMemberGrantRow {
  project_id: number;
  role: RegistryRole;
  team: Entity;
}

/** Teams given a role in these registries: one statement. */
export async function teamMembersOfProjects(db: DB, projectIds: readonly number[]): Promise<TeamMemberGrantRow[]> {
  if (projectIds.length === 0) return [];
  const rows = await db
    .selectFrom('registry_members as m')
    .innerJoin('entities as e', 'e.id', 'm.team_entity_id')
    .selectAll('e')
    .select(['m.project_id', 'm.role as member_role'])
    .where('m.project_id', 'in', projectIds)
    .orderBy('e.name')
    .execute();
  return rows.map(({ project_id, member_role, ...team }) => ({ project_id, role: member_role, team }));
}

/**
 * Every grant in these registries per user, directly or through one of their teams (one row per
 * user and grant): one statement for all the registries of a request.
 */
export async function userGrantsInProjects(db: DB, projectIds: readonly number[]) {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom('registry_members as m')
    .leftJoin('team_members as tm', 'tm.team_entity_id', 'm.team_entity_id')
    .leftJoin('entities as team', 'team.id', 'm.team_entity_id')
    .select(['m.project_id', 'm.role', 'team.name as team_name', sql<number>`coalesce(m.user_id, tm.user_id)`.as('user_id')])
    .where('m.project_id', 'in', projectIds)
    .execute();
}

/** Of these ids, the ones that are live users of the organization. */
export async function existingUserIds(db: DB, organizationId: number, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Of these ids, the ones that are teams of the organization. */
export async function existingTeamIds(db: DB, organizationId: number, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('entities')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('kind', '=', 'TEAM')
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Adds members with a role; ones already there keep theirs. */
export async function insertMembers(
  db: DB,
  projectId: number,
  userIds: readonly number[],
  teamIds: readonly number[],
  role: RegistryRole,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (userIds.length > 0) {
      await trx
        .insertInto('registry_members')
        .values(userIds.map((user_id) => ({ project_id: projectId, user_id, role })))
        .onConflict((oc) => oc.columns(['project_id', 'user_id']).where('user_id', 'is not', null).doNothing())
        .execute();
    }
    if (teamIds.length > 0) {
      await trx
        .insertInto('registry_members')
        .values(teamIds.map((team_entity_id) => ({ project_id: projectId, team_entity_id, role })))
        .onConflict((oc) => oc.columns(['project_id', 'team_entity_id']).where('team_entity_id', 'is not', null).doNothing())
        .execute();
    }
    await trx.updateTable('projects').set({ updated_at: sql<Date>`now()` }).where('id', '=', projectId).execute();
  });
}

export async function deleteMembers(db: DB, projectId: number, userIds: readonly number[], teamIds: readonly number[]): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let deleted = 0n;
    if (userIds.length > 0) {
      const r = await trx.deleteFrom('registry_members').where('project_id', '=', projectId).where('user_id', 'in', userIds).executeTakeFirst();
      deleted += r.numDeletedRows;
    }
    if (teamIds.length > 0) {
      const r = await trx
        .deleteFrom('registry_members')
        .where('project_id', '=', projectId)
        .where('team_entity_id', 'in', teamIds)
        .executeTakeFirst();
      deleted += r.numDeletedRows;
    }
    await trx.updateTable('projects').set({ updated_at: sql<Date>`now()` }).where('id', '=', projectId).execute();
    return Number(deleted);
  });
}

/** Changes a member's role; false when they are not a member. */
export async function updateMemberRole(
  db: DB,
  projectId: number,
  member: { userId: number } | { teamId: number },
  role: RegistryRole,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let query = trx.updateTable('registry_members').set({ role }).where('project_id', '=', projectId);
    query = 'userId' in member ? query.where('user_id', '=', member.userId) : query.where('team_entity_id', '=', member.teamId);
    const result = await query.executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx.updateTable('projects').set({ updated_at: sql<Date>`now()` }).where('id', '=', projectId).execute();
    return true;
  });
}

/** How many user grants of `admin` the registry has (a restricted registry must keep one). */
export async function countAdmins(db: DB, projectId: number): Promise<number> {
  const row = await db
    .selectFrom('registry_members')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('project_id', '=', projectId)
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- protected aliases

export async function protectedAliasesOfProjects(db: DB, projectIds: readonly number[]) {
  if (projectIds.length === 0) return [];
  return db.selectFrom('protected_aliases').selectAll().where('project_id', 'in', projectIds).orderBy('alias').execute();
}

export async function addProtectedAliases(db: DB, projectId: number, aliases: readonly string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('protected_aliases')
      .values(aliases.map((alias) => ({ project_id: projectId, alias })))
      .onConflict((oc) => oc.columns(['project_id', 'alias']).doNothing())
      .execute();
    await trx.updateTable('projects').set({ updated_at: sql<Date>`now()` }).where('id', '=', projectId).execute();
  });
}

export async function removeProtectedAliases(db: DB, projectId: number, aliases: readonly string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('protected_aliases').where('project_id', '=', projectId).where('alias', 'in', aliases).execute();
    await trx.updateTable('projects').set({ updated_at: sql<Date>`now()` }).where('id', '=', projectId).execute();
  });
}
