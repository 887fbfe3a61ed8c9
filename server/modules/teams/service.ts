import type { DB } from '../../db/database.js';
import type { Entity, OrgRole, TeamRole, User } from '../../db/tables.js';
import { userError } from '../../graphql/errors.js';
import { hashPassword } from '../auth/crypto.js';
import { NEW_USER_LINK_HOURS, newPasswordLink, type PasswordLink } from '../auth/passwords.js';
import { passwordProblem } from '../auth/sign-in.js';
import {
  deleteTeamMember,
  entityNameTaken,
  entityNamesStartingWith,
  findTeamByName,
  findUserInOrg,
  insertTeam,
  insertUser,
  searchUsers,
  upsertTeamMember,
} from './repository.js';
import { isUniqueViolation } from '../../db/errors.js';

/** Usernames and team names follow the bootstrap's rule for entity names (organization/bootstrap.ts). */
const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const ORG_ROLES: readonly OrgRole[] = ['admin', 'member', 'viewer'];
export const TEAM_ROLES: readonly TeamRole[] = ['admin', 'member'];

export function validEntityName(kind: string, name: string): string {
  if (!ENTITY_NAME.test(name)) {
    throw userError(
      'BAD_USER_INPUT',
      `${kind} "${name.slice(0, 80)}" is not valid: use 1-64 letters, digits, "-", "_" or ".", starting with a letter or digit.`,
    );
  }
  return name;
}

export function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw userError('BAD_USER_INPUT', `${what} "${value.slice(0, 60)}" is not valid: use one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** A concurrent request that took the same name first: CONFLICT rather than a database error. */
function conflictOnDuplicate(name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) throw userError('CONFLICT', `The name "${name}" is taken by a user, team or the organization.`);
    throw error;
  };
}

async function freeName(db: DB, kind: string, name: string): Promise<string> {
  if (await entityNameTaken(db, name)) {
    throw userError('CONFLICT', `The name "${name}" is taken by a user, team or the organization: choose another ${kind}.`);
  }
  return name;
}

/**
 * A valid username from an email's local part (`Ada.Lovelace+ml@x.io` → `Ada.Lovelace-ml`), made unique
 * with `-2`, `-3`, … against every entity name (compared without case).
 */
async function usernameFromEmail(db: DB, email: string): Promise<string> {
  const local = email.slice(0, email.lastIndexOf('@'));
  const base =
    local
      .replace(/[^A-Za-z0-9_.-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 60) || 'user';
  const taken = new Set(await entityNamesStartingWith(db, base));
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n += 1) {
    if (!taken.has(`${base}-${n}`.toLowerCase())) return `${base}-${n}`;
  }
}

export interface CreateUserInput {
  username?: string | null;
  password?: string | null;
  name?: string | null;
  email?: string | null;
  orgRole?: string | null;
  /** The SDK's `admin: true` is the org admin role. */
  admin?: boolean | null;
}

/**
 * Makes a user of the admin's organization. Ours give a username, password and role; the SDK gives an
 * email (the username comes from it) and `admin`. Without a password the user chooses one through the
 * one-time link returned, which the admin gives them.
 */
export async function createUser(
  db: DB,
  admin: User,
  input: CreateUserInput,
  origin: string,
): Promise<{ user: User; passwordLink: PasswordLink | null }> {
  const email = (input.email ?? '').trim() || null;
  if (email !== null && (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email))) {
    throw userError('BAD_USER_INPUT', `"${email.slice(0, 80)}" is not an email address.`);
  }
  if (input.username == null && email === null) {
    throw userError('BAD_USER_INPUT', 'Give the new user a username or an email address (the username is then made from it).');
  }
  const roleFromAdmin: OrgRole | undefined = input.admin == null ? undefined : input.admin ? 'admin' : 'member';
  const orgRole = input.orgRole == null ? (roleFromAdmin ?? 'member') : oneOf('Organization role', input.orgRole, ORG_ROLES);
  if (roleFromAdmin !== undefined && (orgRole === 'admin') !== input.admin) {
    throw userError('BAD_USER_INPUT', `"admin: ${input.admin}" contradicts "orgRole: ${orgRole}": give one of them.`);
  }
  const password = input.password ?? null;
  if (password !== null) {
    const problem = passwordProblem(password);
    if (problem) throw userError('BAD_USER_INPUT', problem);
  }
  const givenName = input.username == null ? undefined : validEntityName('Username', input.username);
  const name = (input.name ?? '').trim() || givenName || email!.slice(0, email!.lastIndexOf('@'));
  if (name.length > 200) throw userError('BAD_USER_INPUT', 'The name is longer than 200 characters.');
  const passwordHash = password === null ? null : await hashPassword(password);

  // A made-up name can lose a race to a concurrent request; it is made again then, a given one is a CONFLICT.
  for (let attempt = 0; ; attempt += 1) {
    const username = givenName ? await freeName(db, 'username', givenName) : await usernameFromEmail(db, email!);
    try {
      const user = await insertUser(db, {
        organizationId: admin.organization_id,
        username,
        name: name || username,
        email,
        passwordHash,
        orgRole,
      });
      const passwordLink = password === null ? await newPasswordLink(db, user, admin, origin, NEW_USER_LINK_HOURS) : null;
      return { user, passwordLink };
    } catch (error) {
      if (givenName || attempt >= 3 || !isUniqueViolation(error)) conflictOnDuplicate(username)(error);
    }
  }
}

export interface CreateTeamInput {
  name?: string | null;
  /** The SDK's name for `name`. */
  teamName?: string | null;
  /** The SDK's: who becomes the team's admin. */
  teamAdminUserName?: string | null;
}

/**
 * Makes a team of the admin's organization. `teamAdminUserName` names its first member, as team admin;
 * with the SDK's `teamName` and no admin named, the caller becomes it (W&B's rule).
 */
export async function createTeam(db: DB, admin: User, input: CreateTeamInput): Promise<Entity> {
  if (input.name != null && input.teamName != null && input.name !== input.teamName) {
    throw userError('BAD_USER_INPUT', 'Give the team name once: "name" and "teamName" differ.');
  }
  const given = input.name ?? input.teamName;
  if (given == null) throw userError('BAD_USER_INPUT', 'Give the team a name ("name", or "teamName" as the SDK sends it).');
  const name = validEntityName('Team name', given);
  let teamAdmin: User | undefined;
  if (input.teamAdminUserName != null) {
    teamAdmin = await findUserInOrg(db, admin.organization_id, input.teamAdminUserName);
    if (!teamAdmin) throw userError('NOT_FOUND', `User "${input.teamAdminUserName.slice(0, 80)}" was not found.`);
  } else if (input.teamName != null) {
    teamAdmin = admin;
  }
  await freeName(db, 'team name', name);
  const role: TeamRole = 'admin';
  return insertTeam(db, admin.organization_id, name, teamAdmin && { userId: teamAdmin.id, role }).catch(conflictOnDuplicate(name));
}

/** Users of the viewer's organization whose username, name or email contains `text` (first 100); org admins only, others find none. */
export async function findUsers(db: DB, viewer: User, text: string): Promise<User[]> {
  if (viewer.org_role !== 'admin') return [];
  return searchUsers(db, viewer.organization_id, text.trim().slice(0, 200), 100);
}

async function teamAndUser(db: DB, organizationId: number, teamName: string, username: string) {
  const team = await findTeamByName(db, organizationId, teamName);
  if (!team) throw userError('NOT_FOUND', `Team "${teamName.slice(0, 80)}" was not found.`);
  const user = await findUserInOrg(db, organizationId, username);
  if (!user) throw userError('NOT_FOUND', `User "${username.slice(0, 80)}" was not found.`);
  return { team, user };
}

/** Adds a user to a team of the admin's organization, or changes their team role (default member); the team. */
export async function addTeamMember(
  db: DB,
  admin: User,
  input: { teamName: string; username: string; role?: string | null },
): Promise<Entity> {
  const role = oneOf('Team role', input.role ?? 'member', TEAM_ROLES);
  const { team, user } = await teamAndUser(db, admin.organization_id, input.teamName, input.username);
  await upsertTeamMember(db, team.id, user.id, role);
  return team;
}

/** Removes a user from a team of the admin's organization; NOT_FOUND when they are not in it. The team. */
export async function removeTeamMember(db: DB, admin: User, input: { teamName: string; username: string }): Promise<Entity> {
  const { team, user } = await teamAndUser(db, admin.organization_id, input.teamName, input.username);
  if (!(await deleteTeamMember(db, team.id, user.id))) {
    throw userError('NOT_FOUND', `User "${user.username}" is not a member of team "${team.name}".`);
  }
  return team;
}
