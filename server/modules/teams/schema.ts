import type { Entity, OrgRole, TeamRole, User } from '../../db/tables.js';
import { builder, connection } from '../../graphql/builder.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { encodeId } from '../../graphql/ids.js';
import { EntityRef, UserRef } from '../../graphql/refs.js';
import { hashPassword } from '../auth/crypto.js';
import { visibleEmail } from '../auth/email.js';
import { isUniqueViolation } from '../registries/registry-mutations-repository.js';
import { teamMembers, type TeamMemberRow } from './loaders.js';
import {
  deleteTeamMember,
  entityNameTaken,
  findTeamByName,
  findUserInOrg,
  insertTeam,
  insertUser,
  searchUsers,
  upsertTeamMember,
} from './repository.js';

/** Usernames and team names follow the bootstrap's rule for entity names (organization/bootstrap.ts). */
const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ORG_ROLES: readonly OrgRole[] = ['admin', 'member', 'viewer'];
const TEAM_ROLES: readonly TeamRole[] = ['admin', 'member'];

function requireOrgAdmin(ctx: Context, action: string): User {
  const viewer = ctx.viewer;
  if (!viewer) throw userError('UNAUTHENTICATED', `Sign in to ${action}.`);
  if (viewer.org_role !== 'admin') {
    throw userError('FORBIDDEN', `To ${action} you need the organization admin role; yours is ${viewer.org_role}.`);
  }
  return viewer;
}

function validEntityName(kind: string, name: string): string {
  if (!ENTITY_NAME.test(name)) {
    throw userError(
      'BAD_USER_INPUT',
      `${kind} "${name.slice(0, 80)}" is not valid: use 1-64 letters, digits, "-", "_" or ".", starting with a letter or digit.`,
    );
  }
  return name;
}

function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
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

const MemberRef = builder.objectRef<TeamMemberRow>('Member').implement({
  description: "A user's membership in a team.",
  fields: (t) => ({
    id: t.string({ nullable: true, description: "The member's User id.", resolve: (m) => encodeId('User', m.id) }),
    role: t.string({ nullable: true, description: 'admin or member (of the team).', resolve: (m) => m.team_role }),
    admin: t.boolean({ nullable: true, description: 'Deprecated: use role.', resolve: (m) => m.team_role === 'admin' }),
    pending: t.boolean({ nullable: true, resolve: () => false }),
    email: t.string({
      nullable: true,
      description: 'Shown to org admins and to the member themself; null for everyone else.',
      resolve: (m, _args, ctx) => visibleEmail(ctx.viewer, m),
    }),
    username: t.string({ nullable: true, resolve: (m) => m.username }),
    name: t.string({ resolve: (m) => m.name || m.username }),
    photoUrl: t.string({ nullable: true, resolve: () => null }),
    accountType: t.string({ nullable: true, resolve: (m) => (m.org_role === 'viewer' ? 'VIEWER' : 'USER') }),
    // Never exposed: we keep only digests of API keys.
    apiKey: t.string({ nullable: true, resolve: () => null }),
  }),
});

// The team fields the SDK's GetTeamEntity and TeamFragment select; most are W&B billing or storage
// settings that a self-hosted registry does not have, so they answer with fixed values.
builder.objectFields(EntityRef, (t) => ({
  available: t.boolean({ nullable: true, description: 'Whether the name is free (always false: this entity exists).', resolve: () => false }),
  photoUrl: t.string({ nullable: true, resolve: () => null }),
  readOnly: t.boolean({ nullable: true, resolve: () => false }),
  readOnlyAdmin: t.boolean({ resolve: () => false }),
  privateOnly: t.boolean({ resolve: () => false }),
  storageBytes: t.field({ type: 'Int64', resolve: () => 0 }),
  codeSavingEnabled: t.boolean({ resolve: () => false }),
  defaultAccess: t.string({ resolve: () => 'PRIVATE' }),
  isPaid: t.boolean({ nullable: true, resolve: () => false }),
  members: t.field({
    type: [MemberRef],
    description: "A team's members; empty for other entities.",
    resolve: (e: Entity, _a, ctx) => (e.kind === 'TEAM' ? teamMembers(ctx, e.id) : []),
  }),
}));

const UserConnection = connection('User', UserRef);

builder.queryField('users', (t) =>
  t.field({
    type: UserConnection,
    nullable: true,
    description: 'Users of the organization whose username, name or email contains `query` (first 100). Org admins only; others get an empty list.',
    args: { query: t.arg.string() },
    resolve: async (_r, { query }, ctx) => {
      const viewer = ctx.viewer;
      if (!viewer || viewer.org_role !== 'admin') return { hasNextPage: false, edges: [] };
      const text = (query ?? '').trim().slice(0, 200);
      const users = await searchUsers(ctx.db, viewer.organization_id, text, 100);
      return { hasNextPage: false, edges: users.map((node) => ({ node, cursor: encodeId('User', node.id) })) };
    },
  }),
);

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    username: t.string({ required: true, description: '1-64 letters, digits, "-", "_" or "."; also names the user\'s own entity.' }),
    password: t.string({ required: true, description: 'At least 8 characters.' }),
    name: t.string({ required: false }),
    email: t.string({ required: false }),
    orgRole: t.string({ required: true, description: 'admin, member or viewer.' }),
  }),
});

builder.mutationField('createUser', (t) =>
  t.field({
    type: builder.simpleObject('CreateUserPayload', { fields: (f) => ({ user: f.field({ type: UserRef }) }) }),
    description: 'Creates a user of the organization with their own entity. Org admins only.',
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const viewer = requireOrgAdmin(ctx, 'create users');
      const username = validEntityName('Username', input.username);
      const orgRole = oneOf('Organization role', input.orgRole, ORG_ROLES);
      if (input.password.length < 8) throw userError('BAD_USER_INPUT', 'The password must be at least 8 characters.');
      if (input.password.length > 1000) throw userError('BAD_USER_INPUT', 'The password must be at most 1000 characters.');
      const name = (input.name ?? '').trim() || username;
      if (name.length > 200) throw userError('BAD_USER_INPUT', 'The name is longer than 200 characters.');
      const email = (input.email ?? '').trim() || null;
      if (email !== null && (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email))) {
        throw userError('BAD_USER_INPUT', `"${email.slice(0, 80)}" is not an email address.`);
      }
      if (await entityNameTaken(ctx.db, username)) {
        throw userError('CONFLICT', `The name "${username}" is taken by a user, team or the organization: choose another username.`);
      }
      const user = await insertUser(ctx.db, {
        organizationId: viewer.organization_id,
        username,
        name,
        email,
        passwordHash: await hashPassword(input.password),
        orgRole,
      }).catch(conflictOnDuplicate(username));
      return { user };
    },
  }),
);

builder.mutationField('createTeam', (t) =>
  t.field({
    type: builder.simpleObject('CreateTeamPayload', { fields: (f) => ({ entity: f.field({ type: EntityRef }) }) }),
    description: 'Creates a team (a TEAM entity of the organization). Org admins only.',
    args: { input: t.arg({ type: builder.inputType('CreateTeamInput', { fields: (f) => ({ name: f.string({ required: true }) }) }), required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const viewer = requireOrgAdmin(ctx, 'create teams');
      const name = validEntityName('Team name', input.name);
      if (await entityNameTaken(ctx.db, name)) {
        throw userError('CONFLICT', `The name "${name}" is taken by a user, team or the organization: choose another team name.`);
      }
      return { entity: await insertTeam(ctx.db, viewer.organization_id, name).catch(conflictOnDuplicate(name)) };
    },
  }),
);

const TeamMemberPayload = builder.simpleObject('TeamMemberPayload', {
  fields: (f) => ({ success: f.boolean(), team: f.field({ type: EntityRef }) }),
});

async function teamAndUser(ctx: Context, organizationId: number, teamName: string, username: string) {
  const team = await findTeamByName(ctx.db, organizationId, teamName);
  if (!team) throw userError('NOT_FOUND', `Team "${teamName.slice(0, 80)}" was not found.`);
  const user = await findUserInOrg(ctx.db, organizationId, username);
  if (!user) throw userError('NOT_FOUND', `User "${username.slice(0, 80)}" was not found.`);
  return { team, user };
}

builder.mutationField('addTeamMember', (t) =>
  t.field({
    type: TeamMemberPayload,
    description: "Adds a user to a team, or changes their team role when they belong to it already. Org admins only.",
    args: {
      input: t.arg({
        type: builder.inputType('AddTeamMemberInput', {
          fields: (f) => ({
            teamName: f.string({ required: true }),
            username: f.string({ required: true }),
            role: f.string({ required: false, description: 'admin or member (default).' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      const viewer = requireOrgAdmin(ctx, 'manage team members');
      const role = oneOf('Team role', input.role ?? 'member', TEAM_ROLES);
      const { team, user } = await teamAndUser(ctx, viewer.organization_id, input.teamName, input.username);
      await upsertTeamMember(ctx.db, team.id, user.id, role);
      return { success: true, team };
    },
  }),
);

builder.mutationField('removeTeamMember', (t) =>
  t.field({
    type: TeamMemberPayload,
    description: 'Removes a user from a team. Org admins only.',
    args: {
      input: t.arg({
        type: builder.inputType('RemoveTeamMemberInput', {
          fields: (f) => ({ teamName: f.string({ required: true }), username: f.string({ required: true }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      const viewer = requireOrgAdmin(ctx, 'manage team members');
      const { team, user } = await teamAndUser(ctx, viewer.organization_id, input.teamName, input.username);
      if (!(await deleteTeamMember(ctx.db, team.id, user.id))) {
        throw userError('NOT_FOUND', `User "${user.username}" is not a member of team "${team.name}".`);
      }
      return { success: true, team };
    },
  }),
);
