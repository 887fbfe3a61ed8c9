import type { DB } from '../../db/database.js';
import type { Entity, OrgRole, TeamRole, User } from '../../db/tables.js';

export async function entityNameTaken(db: DB, name: string): Promise<boolean> {
  // Entity names are one namespace (users, teams and the organization), compared without case as W&B does.
  const row = await db
    .selectFrom('entities')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

/** Entity names (lower-cased) that start with the text, compared without case: to pick a free one. */
export async function entityNamesStartingWith(db: DB, text: string): Promise<string[]> {
  const pattern = `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('entities')
    .select((eb) => eb.fn<string>('lower', ['name']).as('name'))
    .where((eb) => eb(eb.fn('lower', ['name']), 'like', pattern))
    .execute();
  return rows.map((r) => r.name);
}

export interface NewUser {
  organizationId: number;
  username: string;
  name: string;
  email: string | null;
  /** null: the user chooses a password through a one-time link. */
  passwordHash: string | null;
  orgRole: OrgRole;
}

/** The user and their own USER entity (named like the user), in one transaction. */
export async function insertUser(db: DB, input: NewUser): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const entity = await trx
      .insertInto('entities')
      .values({ organization_id: input.organizationId, name: input.username, kind: 'USER' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return trx
      .insertInto('users')
      .values({
        organization_id: input.organizationId,
        entity_id: entity.id,
        username: input.username,
        name: input.name,
        email: input.email,
        password_hash: input.passwordHash,
        org_role: input.orgRole,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** The team, and its first member when given, in one transaction. */
export async function insertTeam(
  db: DB,
  organizationId: number,
  name: string,
  firstMember?: { userId: number; role: TeamRole },
): Promise<Entity> {
  return db.transaction().execute(async (trx) => {
    const team = await trx
      .insertInto('entities')
      .values({ organization_id: organizationId, name, kind: 'TEAM' })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (firstMember) {
      await trx
        .insertInto('team_members')
        .values({ team_entity_id: team.id, user_id: firstMember.userId, role: firstMember.role })
        .execute();
    }
    return team;
  });
}

export async function findTeamByName(db: DB, organizationId: number, name: string): Promise<Entity | undefined> {
  return db
    .selectFrom('entities')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('kind', '=', 'TEAM')
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function findUserInOrg(db: DB, organizationId: number, username: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('username', '=', username)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Adds the user to the team, or changes their role when they already belong to it. */
export async function upsertTeamMember(db: DB, teamId: number, userId: number, role: TeamRole): Promise<void> {
  await db
    .insertInto('team_members')
    .values({ team_entity_id: teamId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['team_entity_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

export async function deleteTeamMember(db: DB, teamId: number, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('team_members').where('team_entity_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The teams of these users, each row tagged with its user: one statement. */
export async function teamsOfUsers(db: DB, userIds: readonly number[]) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('team_members as tm')
    .innerJoin('entities as e', 'e.id', 'tm.team_entity_id')
    .selectAll('e')
    .select('tm.user_id')
    .where('tm.user_id', 'in', userIds)
    .orderBy('e.name')
    .execute();
}

/** The members of these teams with their team role: one statement. */
export async function membersOfTeams(db: DB, teamIds: readonly number[]) {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('team_members as tm')
    .innerJoin('users as u', 'u.id', 'tm.user_id')
    .selectAll('u')
    .select(['tm.team_entity_id', 'tm.role as team_role'])
    .where('tm.team_entity_id', 'in', teamIds)
    .where('u.deleted_at', 'is', null)
    .orderBy('u.username')
    .execute();
}

/** Users of an organization whose username, name or email contains the text (case-insensitive). */
export async function searchUsers(db: DB, organizationId: number, text: string, limit: number): Promise<User[]> {
  let query = db.selectFrom('users').selectAll().where('organization_id', '=', organizationId).where('deleted_at', 'is', null);
  if (text !== '') {
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['username']), 'like', pattern),
        eb(eb.fn('lower', ['name']), 'like', pattern),
        eb(eb.fn('lower', [eb.fn.coalesce('email', eb.val(''))]), 'like', pattern),
      ]),
    );
  }
  return query.orderBy('username').limit(limit).execute();
}
