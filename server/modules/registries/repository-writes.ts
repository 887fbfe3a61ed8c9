import { sql } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Entity, Project, ProjectAccess, RegistryRole, User } from '../../db/tables.js';
import { recordEvent } from '../events/repository.js';
import { REGISTRY_PREFIX } from './repository.js';

// SQL for registry settings, members and protected aliases (the mutations in registry-mutations.ts
// and members-schema.ts). Each change records its events in its own transaction; `actorId` is who made it.

/** What a registry is, as its created/deleted events tell it. */
function registryState(project: Project, types: readonly string[]) {
  return {
    name: project.name,
    description: project.description,
    visibility: project.access,
    allowAllTypes: project.allow_all_types,
    types: [...types].sort(),
  };
}

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

/**
 * A registry people read as `shown`, ignoring case: its display name ("Models" for `model`), or its own
 * name when it has none. Two cards must never read the same.
 */
export async function findRegistryShownAs(db: DB, entityId: number, shown: string): Promise<Project | undefined> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where('is_registry', '=', true)
    .where(sql<boolean>`lower(coalesce(nullif(display_name, ''), substr(name, ${REGISTRY_PREFIX.length + 1}))) = ${shown.toLowerCase()}`)
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

export async function insertRegistry(db: DB, input: NewRegistry, actorId: number | null): Promise<Project> {
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
    await recordEvent(trx, { action: 'registry.created', actorId, project, after: registryState(project, input.types) });
    if (input.adminUserId !== null) {
      await trx.insertInto('registry_members').values({ project_id: project.id, user_id: input.adminUserId, role: 'admin' }).execute();
      await recordEvent(trx, { action: 'registry.member_added', actorId, project, after: { userId: input.adminUserId, role: 'admin' } });
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

/** Applies the changes; records one registry.updated event with the fields that really changed, if any. */
export async function updateRegistry(db: DB, id: number, changes: RegistryChanges, actorId: number | null): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    const was = await trx.selectFrom('projects').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    const added =
      changes.addTypes.length === 0
        ? []
        : await trx
            .insertInto('registry_types')
            .values(changes.addTypes.map((type_name) => ({ project_id: id, type_name })))
            .onConflict((oc) => oc.columns(['project_id', 'type_name']).doNothing())
            .returning('type_name')
            .execute();
    const project = await trx
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
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const note = (key: string, from: unknown, to: unknown) => {
      if (from === to) return;
      before[key] = from;
      after[key] = to;
    };
    note('description', was.description, project.description);
    note('visibility', was.access, project.access);
    note('allowAllTypes', was.allow_all_types, project.allow_all_types);
    if (added.length > 0) {
      const types = await trx.selectFrom('registry_types').select('type_name').where('project_id', '=', id).orderBy('type_name').execute();
      const now = types.map((t) => t.type_name);
      const newOnes = new Set(added.map((t) => t.type_name));
      before.types = now.filter((t) => !newOnes.has(t));
      after.types = now;
    }
    if (Object.keys(after).length > 0) await recordEvent(trx, { action: 'registry.updated', actorId, project, before, after });
    return project;
  });
}

export async function renameRegistry(db: DB, was: Project, name: string, actorId: number | null): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    const project = await trx
      .updateTable('projects')
      .set({ name, updated_at: sql<Date>`now()` })
      .where('id', '=', was.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { action: 'registry.renamed', actorId, project, before: { name: was.name }, after: { name } });
    return project;
  });
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
 * in one transaction. The linked source versions stay: only the pointers to them go. One event tells
 * it (not one per collection: they go as part of the registry).
 */
export async function deleteRegistry(db: DB, project: Project, actorId: number | null): Promise<void> {
  const id = project.id;
  await db.transaction().execute(async (trx) => {
    const types = await trx.selectFrom('registry_types').select('type_name').where('project_id', '=', id).execute();
    await recordEvent(trx, {
      action: 'registry.deleted',
      actorId,
      project,
      before: registryState(
        project,
        types.map((t) => t.type_name),
      ),
    });
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

type Member = { userId: number } | { teamId: number };

function memberOf(row: { user_id: number | null; team_entity_id: number | null }): Member {
  return row.user_id !== null ? { userId: row.user_id } : { teamId: row.team_entity_id! };
}

/** Adds members with a role; ones already there keep theirs (and get no event). */
export async function insertMembers(
  db: DB,
  project: Project,
  userIds: readonly number[],
  teamIds: readonly number[],
  role: RegistryRole,
  actorId: number | null,
): Promise<void> {
  const projectId = project.id;
  await db.transaction().execute(async (trx) => {
    const added: { user_id: number | null; team_entity_id: number | null }[] = [];
    if (userIds.length > 0) {
      added.push(
        ...(await trx
          .insertInto('registry_members')
          .values(userIds.map((user_id) => ({ project_id: projectId, user_id, role })))
          .onConflict((oc) => oc.columns(['project_id', 'user_id']).where('user_id', 'is not', null).doNothing())
          .returning(['user_id', 'team_entity_id'])
          .execute()),
      );
    }
    if (teamIds.length > 0) {
      added.push(
        ...(await trx
          .insertInto('registry_members')
          .values(teamIds.map((team_entity_id) => ({ project_id: projectId, team_entity_id, role })))
          .onConflict((oc) => oc.columns(['project_id', 'team_entity_id']).where('team_entity_id', 'is not', null).doNothing())
          .returning(['user_id', 'team_entity_id'])
          .execute()),
      );
    }
    for (const row of added)
      await recordEvent(trx, { action: 'registry.member_added', actorId, project, after: { ...memberOf(row), role } });
    await trx
      .updateTable('projects')
      .set({ updated_at: sql<Date>`now()` })
      .where('id', '=', projectId)
      .execute();
  });
}

export async function deleteMembers(
  db: DB,
  project: Project,
  userIds: readonly number[],
  teamIds: readonly number[],
  actorId: number | null,
): Promise<number> {
  const projectId = project.id;
  return db.transaction().execute(async (trx) => {
    const removed: { user_id: number | null; team_entity_id: number | null; role: RegistryRole }[] = [];
    if (userIds.length > 0) {
      removed.push(
        ...(await trx
          .deleteFrom('registry_members')
          .where('project_id', '=', projectId)
          .where('user_id', 'in', userIds)
          .returning(['user_id', 'team_entity_id', 'role'])
          .execute()),
      );
    }
    if (teamIds.length > 0) {
      removed.push(
        ...(await trx
          .deleteFrom('registry_members')
          .where('project_id', '=', projectId)
          .where('team_entity_id', 'in', teamIds)
          .returning(['user_id', 'team_entity_id', 'role'])
          .execute()),
      );
    }
    for (const row of removed) {
      await recordEvent(trx, { action: 'registry.member_removed', actorId, project, before: { ...memberOf(row), role: row.role } });
    }
    await trx
      .updateTable('projects')
      .set({ updated_at: sql<Date>`now()` })
      .where('id', '=', projectId)
      .execute();
    return removed.length;
  });
}

/** Changes a member's role; false when they are not a member. A role set to what it was records nothing. */
export async function updateMemberRole(
  db: DB,
  project: Project,
  member: Member,
  role: RegistryRole,
  actorId: number | null,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('registry_members').select(['id', 'role']).where('project_id', '=', project.id);
    query = 'userId' in member ? query.where('user_id', '=', member.userId) : query.where('team_entity_id', '=', member.teamId);
    const was = await query.forUpdate().executeTakeFirst();
    if (!was) return false;
    if (was.role === role) return true;
    await trx.updateTable('registry_members').set({ role }).where('id', '=', was.id).execute();
    await recordEvent(trx, {
      action: 'registry.member_role_changed',
      actorId,
      project,
      before: { ...member, role: was.role },
      after: { ...member, role },
    });
    await trx
      .updateTable('projects')
      .set({ updated_at: sql<Date>`now()` })
      .where('id', '=', project.id)
      .execute();
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

/** Adds or removes protected aliases; one registry.updated event lists them before and after (none when unchanged). */
async function changeProtectedAliases(
  db: DB,
  project: Project,
  aliases: readonly string[],
  add: boolean,
  actorId: number | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = () =>
      trx.selectFrom('protected_aliases').select('alias').where('project_id', '=', project.id).orderBy('alias').execute();
    // Lock the registry row so two changes of its protected aliases cannot both read the same "before".
    await trx.selectFrom('projects').select('id').where('id', '=', project.id).forUpdate().execute();
    const before = (await current()).map((r) => r.alias);
    if (add) {
      await trx
        .insertInto('protected_aliases')
        .values(aliases.map((alias) => ({ project_id: project.id, alias })))
        .onConflict((oc) => oc.columns(['project_id', 'alias']).doNothing())
        .execute();
    } else {
      await trx.deleteFrom('protected_aliases').where('project_id', '=', project.id).where('alias', 'in', aliases).execute();
    }
    const after = (await current()).map((r) => r.alias);
    if (after.join('\n') !== before.join('\n')) {
      await recordEvent(trx, {
        action: 'registry.updated',
        actorId,
        project,
        before: { protectedAliases: before },
        after: { protectedAliases: after },
      });
    }
    await trx
      .updateTable('projects')
      .set({ updated_at: sql<Date>`now()` })
      .where('id', '=', project.id)
      .execute();
  });
}

export async function addProtectedAliases(db: DB, project: Project, aliases: readonly string[], actorId: number | null): Promise<void> {
  await changeProtectedAliases(db, project, aliases, true, actorId);
}

export async function removeProtectedAliases(db: DB, project: Project, aliases: readonly string[], actorId: number | null): Promise<void> {
  await changeProtectedAliases(db, project, aliases, false, actorId);
}
