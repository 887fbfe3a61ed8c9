import type { Entity, User } from '../../db/tables.js';
import { builder, connection } from '../../graphql/builder.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { encodeId } from '../../graphql/ids.js';
import { EntityRef, UserRef } from '../../graphql/refs.js';
import { PasswordLinkRef } from '../auth/schema.js';
import { visibleEmail } from '../auth/access.js';
import { teamMembers, type TeamMemberRow } from './loaders.js';
import { addTeamMember, createTeam, createUser, findUsers, removeTeamMember } from './service.js';
import { userTeams } from './loaders.js';

function requireOrgAdmin(ctx: Context, action: string): User {
  const viewer = ctx.viewer;
  if (!viewer) throw userError('UNAUTHENTICATED', `Sign in to ${action}.`);
  if (viewer.org_role !== 'admin') {
    throw userError('FORBIDDEN', `To ${action} you need the organization admin role; yours is ${viewer.org_role}.`);
  }
  return viewer;
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
  available: t.boolean({
    nullable: true,
    description: 'Whether the name is free (always false: this entity exists).',
    resolve: () => false,
  }),
  photoUrl: t.string({ nullable: true, resolve: () => null }),
  readOnly: t.boolean({ nullable: true, resolve: () => false }),
  readOnlyAdmin: t.boolean({ resolve: () => false }),
  privateOnly: t.boolean({ resolve: () => false }),
  storageBytes: t.field({ type: 'Int64', resolve: () => 0 }),
  codeSavingEnabled: t.boolean({ resolve: () => false }),
  defaultAccess: t.string({ resolve: () => 'PRIVATE' }),
  isPaid: t.boolean({ nullable: true, resolve: () => false }),
  // The SDK's createTeam selects it; W&B's plan limits do not exist here.
  limits: t.field({ type: 'JSONString', nullable: true, description: 'Plan limits: none here, `{}`.', resolve: () => '{}' }),
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
    description:
      'Users of the organization whose username, name or email contains `query` (first 100). Org admins only; others get an empty list.',
    args: { query: t.arg.string() },
    resolve: async (_r, { query }, ctx) => {
      const users = ctx.viewer ? await findUsers(ctx.db, ctx.viewer, query ?? '') : [];
      return { hasNextPage: false, edges: users.map((node) => ({ node, cursor: encodeId('User', node.id) })) };
    },
  }),
);

const CreateUserInput = builder.inputType('CreateUserInput', {
  description:
    "Ours: username, password, orgRole (and name, email). The SDK's: email and admin; the username is then made from the email. Without a password the payload carries a one-time link for the user to choose one.",
  fields: (t) => ({
    username: t.string({
      required: false,
      description: '1-64 letters, digits, "-", "_" or "."; also names the user\'s own entity. Default: made from the email.',
    }),
    password: t.string({
      required: false,
      description: "8-1000 characters. Without one, the user chooses it through the payload's passwordLink.",
    }),
    name: t.string({ required: false }),
    email: t.string({ required: false }),
    orgRole: t.string({ required: false, description: 'admin, member or viewer (default: admin when admin is true, else member).' }),
    admin: t.boolean({ required: false, description: "The SDK's: true makes the user an organization admin." }),
  }),
});

builder.mutationField('createUser', (t) =>
  t.field({
    type: builder.simpleObject('CreateUserPayload', {
      fields: (f) => ({
        user: f.field({ type: UserRef }),
        passwordLink: f.field({
          type: PasswordLinkRef,
          nullable: true,
          description: 'When no password was given: the one-time link (valid a week) the admin gives the user to choose one.',
        }),
      }),
    }),
    description: 'Creates a user of the organization with their own entity. Org admins only.',
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const viewer = requireOrgAdmin(ctx, 'create users');
      return createUser(ctx.db, viewer, input, ctx.origin ?? '');
    },
  }),
);

const CreateTeamInput = builder.inputType('CreateTeamInput', {
  description: "Ours: name. The SDK's: teamName and teamAdminUserName.",
  fields: (f) => ({
    name: f.string({ required: false }),
    teamName: f.string({ required: false, description: "The SDK's name for `name`." }),
    teamAdminUserName: f.string({
      required: false,
      description: "A user who becomes the team's first member, as team admin. With teamName and no user named: the caller, as in W&B.",
    }),
  }),
});

builder.mutationField('createTeam', (t) =>
  t.field({
    type: builder.simpleObject('CreateTeamPayload', { fields: (f) => ({ entity: f.field({ type: EntityRef }) }) }),
    description: 'Creates a team (a TEAM entity of the organization). Org admins only.',
    args: { input: t.arg({ type: CreateTeamInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const viewer = requireOrgAdmin(ctx, 'create teams');
      return { entity: await createTeam(ctx.db, viewer, input) };
    },
  }),
);

const TeamMemberPayload = builder.simpleObject('TeamMemberPayload', {
  fields: (f) => ({ success: f.boolean(), team: f.field({ type: EntityRef }) }),
});

builder.mutationField('addTeamMember', (t) =>
  t.field({
    type: TeamMemberPayload,
    description: 'Adds a user to a team, or changes their team role when they belong to it already. Org admins only.',
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
      return { success: true, team: await addTeamMember(ctx.db, viewer, input) };
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
      return { success: true, team: await removeTeamMember(ctx.db, viewer, input) };
    },
  }),
);

const TeamConnection = connection('Entity', EntityRef);

// The user's teams, on the user type auth defines.
builder.objectFields(UserRef, (t) => ({
  teams: t.field({
    type: TeamConnection,
    nullable: true,
    resolve: async (u, _args, ctx) => {
      const teams = await userTeams(ctx, u.id);
      return { hasNextPage: false, edges: teams.map((node) => ({ node, cursor: encodeId('Entity', node.id) })) };
    },
  }),
}));
