import type { Entity, Project, RegistryRole, User } from '../../db/tables.js';
import { builder, type Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId, encodeId } from '../../graphql/ids.js';
import { EntityRef, ProjectRef } from '../../graphql/refs.js';
import { visibleEmail } from '../auth/access.js';
import {
  atLeast,
  canLogInto,
  effectiveRole,
  forgetViewerGrants,
  ROLES,
  viewerAccess,
  viewerRegistryRole,
  type EffectiveRole,
} from './access.js';
import { protectedAliasesLoader, teamMembersLoader, userGrantsLoader, userMembersLoader, type TeamMemberGrantRow } from './loaders.js';
import { addRegistryMembers, protectAliases, removeRegistryMembers, setRegistryMemberRole, unprotectAliases } from './service.js';
import { entityLoader } from '../organization/loaders.js';
import { isVersionName } from '../../../shared/names.js';
import { validateAlias } from '../../graphql/names.js';

const MAX_IDS = 1000;

// ---- types

const RoleRef = builder.simpleObject('Role', {
  description: 'A registry role: restricted_viewer, viewer, member or admin.',
  fields: (f) => ({ name: f.string() }),
});

const RegistryRoleInfo = builder.objectRef<EffectiveRole>('RegistryRoleInfo').implement({
  description: "A user's effective role in a registry and where it comes from.",
  fields: (t) => ({
    role: t.string({ description: 'restricted_viewer, viewer, member or admin.', resolve: (r) => r.role }),
    source: t.string({
      description:
        'org_admin (organization admins are admin everywhere), user (given to the user), team (given to one of their teams) or organization (the default in an organization-visible registry).',
      resolve: (r) => r.source.kind,
    }),
    teamName: t.string({
      nullable: true,
      description: 'The team that gives the role, when source is team.',
      resolve: (r) => (r.source.kind === 'team' ? r.source.teamName : null),
    }),
  }),
});

interface UserMemberShape {
  user: User;
  role: RegistryRole;
  effective: EffectiveRole | null;
}

const ProjectMemberRef = builder.objectRef<UserMemberShape>('ProjectMember').implement({
  description: 'A user given a role in a registry.',
  fields: (t) => ({
    id: t.id({ description: "The user's User id.", resolve: (m) => encodeId('User', m.user.id) }),
    name: t.string({ nullable: true, resolve: (m) => m.user.name || m.user.username }),
    username: t.string({ nullable: true, resolve: (m) => m.user.username }),
    email: t.string({
      nullable: true,
      description: 'Shown to org admins and to the member themself; null for everyone else.',
      resolve: (m, _args, ctx) => visibleEmail(ctx.viewer, m.user),
    }),
    role: t.field({ type: RoleRef, description: 'The role given to the user directly.', resolve: (m) => ({ name: m.role }) }),
    effectiveRole: t.field({
      type: RegistryRoleInfo,
      nullable: true,
      description: "The user's effective role: the highest of their own, their teams' and org admin.",
      resolve: (m) => m.effective,
    }),
  }),
});

const ProjectTeamMemberRef = builder.objectRef<TeamMemberGrantRow>('ProjectTeamMember').implement({
  description: 'A team given a role in a registry; its members have at least that role.',
  fields: (t) => ({
    team: t.field({ type: EntityRef, resolve: (m) => m.team }),
    role: t.field({ type: RoleRef, resolve: (m) => ({ name: m.role }) }),
  }),
});

async function owner(ctx: Context, project: Project): Promise<Entity> {
  const entity = await entityLoader(ctx).load(project.entity_id);
  if (!entity) throw new Error(`project ${project.id} has no entity`);
  return entity;
}

// ---- fields on Project

builder.objectFields(ProjectRef, (t) => ({
  members: t.field({
    type: [ProjectMemberRef],
    description: 'Users given a role in the registry (empty for team projects).',
    resolve: async (project, _a, ctx) => {
      if (!project.is_registry) return [];
      const [rows, grants] = await Promise.all([userMembersLoader(ctx).load(project.id), userGrantsLoader(ctx).load(project.id)]);
      return rows.map(({ user, role }) => ({
        user,
        role,
        effective: effectiveRole(
          user,
          project,
          grants.filter((g) => g.user_id === user.id),
        ),
      }));
    },
  }),
  teamMembers: t.field({
    type: [ProjectTeamMemberRef],
    description: 'Teams given a role in the registry (empty for team projects).',
    resolve: (project, _a, ctx) => (project.is_registry ? teamMembersLoader(ctx).load(project.id) : []),
  }),
  viewerRole: t.field({
    type: RegistryRoleInfo,
    nullable: true,
    description: "The viewer's effective role in the registry and where it comes from; null for team projects.",
    resolve: async (project, _a, ctx) => (project.is_registry ? viewerRegistryRole(ctx, project, await owner(ctx, project)) : null),
  }),
  protectedAliases: t.field({
    type: ['String'],
    description: 'Aliases only registry admins may add or remove in this registry.',
    resolve: (project, _a, ctx) => (project.is_registry ? protectedAliasesLoader(ctx).load(project.id) : []),
  }),
  readOnly: t.boolean({
    nullable: true,
    description: 'False when the viewer may write here: member or admin of a registry; a member of the team owning a project.',
    resolve: async (project, _a, ctx) => {
      const viewer = ctx.viewer;
      if (!viewer) return true;
      const entity = await owner(ctx, project);
      if (project.is_registry) return !atLeast((await viewerRegistryRole(ctx, project, entity))?.role, 'member');
      return !(await canLogInto(ctx, entity));
    },
  }),
}));

// ---- mutations

function parseRole(value: string | null | undefined, fallback: RegistryRole): RegistryRole {
  if (value == null) return fallback;
  if (!(ROLES as readonly string[]).includes(value)) {
    throw userError('BAD_USER_INPUT', `Role "${value.slice(0, 40)}" is not valid: use one of ${ROLES.join(', ')}.`);
  }
  return value as RegistryRole;
}

function decodeIds(ids: readonly string[] | null | undefined, type: string): number[] {
  const list = ids ?? [];
  if (list.length > MAX_IDS) throw userError('BAD_USER_INPUT', `At most ${MAX_IDS} ids at once.`);
  return [...new Set(list.map((id) => decodeId(id, type)))];
}

function requireViewer(ctx: Context, action: string) {
  if (!ctx.viewer) throw userError('UNAUTHENTICATED', `Sign in to ${action}.`);
  return ctx.viewer;
}

const MANAGE_MEMBERS = 'manage the members of a registry';

// The registry comes back with the change, so a client's cache shows the new members and roles without a refetch.
const MembersPayload = (name: string) =>
  builder.simpleObject(name, {
    fields: (f) => ({
      success: f.boolean(),
      project: f.field({ type: ProjectRef, description: 'The registry, with its members as they are now.' }),
    }),
  });

/** The registry as it is after a member change; the viewer's own grants are read again (they may be what changed). */
function changedRegistry(ctx: Context, project: Project): { success: true; project: Project } {
  forgetViewerGrants(ctx, project.id);
  return { success: true, project };
}

builder.mutationField('createProjectMembers', (t) =>
  t.field({
    type: MembersPayload('CreateProjectMembersPayload'),
    nullable: true,
    description: 'Gives users and teams a role in a registry (registry admin). Members already there keep their role.',
    args: {
      input: t.arg({
        type: builder.inputType('CreateProjectMembersInput', {
          fields: (f) => ({
            projectId: f.id({ required: true }),
            userIds: f.idList({ required: false, description: 'User ids.' }),
            teamIds: f.idList({ required: false, description: 'Team Entity ids.' }),
            role: f.string({ required: false, description: `${ROLES.join(', ')}; default viewer.` }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      const role = parseRole(input.role, 'viewer');
      const userIds = decodeIds(input.userIds, 'User');
      const teamIds = decodeIds(input.teamIds, 'Entity');
      const viewer = requireViewer(ctx, MANAGE_MEMBERS);
      const projectId = decodeId(input.projectId, 'Project');
      return changedRegistry(ctx, await addRegistryMembers(ctx.db, viewer, viewerAccess(ctx), { projectId, userIds, teamIds, role }));
    },
  }),
);

builder.mutationField('deleteProjectMembers', (t) =>
  t.field({
    type: MembersPayload('DeleteProjectMembersPayload'),
    nullable: true,
    description: 'Takes the role of users and teams in a registry away (registry admin).',
    args: {
      input: t.arg({
        type: builder.inputType('DeleteProjectMembersInput', {
          fields: (f) => ({
            projectId: f.id({ required: true }),
            userIds: f.idList({ required: false }),
            teamIds: f.idList({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      const userIds = decodeIds(input.userIds, 'User');
      const teamIds = decodeIds(input.teamIds, 'Entity');
      const viewer = requireViewer(ctx, MANAGE_MEMBERS);
      const projectId = decodeId(input.projectId, 'Project');
      return changedRegistry(ctx, await removeRegistryMembers(ctx.db, viewer, viewerAccess(ctx), { projectId, userIds, teamIds }));
    },
  }),
);

builder.mutationField('updateProjectMember', (t) =>
  t.field({
    type: MembersPayload('UpdateProjectMemberPayload'),
    nullable: true,
    description: "Changes a user's role in a registry (registry admin).",
    args: {
      input: t.arg({
        type: builder.inputType('UpdateProjectMemberInput', {
          fields: (f) => ({
            projectId: f.id({ required: true }),
            userId: f.id({ required: true }),
            userProjectRole: f.string({ required: true, description: ROLES.join(', ') }),
            clientMutationId: f.string({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      const role = parseRole(input.userProjectRole, 'viewer');
      const userId = decodeId(input.userId, 'User');
      const viewer = requireViewer(ctx, MANAGE_MEMBERS);
      const projectId = decodeId(input.projectId, 'Project');
      return changedRegistry(ctx, await setRegistryMemberRole(ctx.db, viewer, viewerAccess(ctx), projectId, { userId }, role));
    },
  }),
);

builder.mutationField('updateProjectTeamMember', (t) =>
  t.field({
    type: MembersPayload('UpdateProjectTeamMemberPayload'),
    nullable: true,
    description: "Changes a team's role in a registry (registry admin).",
    args: {
      input: t.arg({
        type: builder.inputType('UpdateProjectTeamMemberInput', {
          fields: (f) => ({
            projectId: f.id({ required: true }),
            teamId: f.id({ required: true }),
            teamProjectRole: f.string({ required: true, description: ROLES.join(', ') }),
            clientMutationId: f.string({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      const role = parseRole(input.teamProjectRole, 'viewer');
      const teamId = decodeId(input.teamId, 'Entity');
      const viewer = requireViewer(ctx, MANAGE_MEMBERS);
      const projectId = decodeId(input.projectId, 'Project');
      return changedRegistry(ctx, await setRegistryMemberRole(ctx.db, viewer, viewerAccess(ctx), projectId, { teamId }, role));
    },
  }),
);

// ---- protected aliases

const CHANGE_PROTECTED = 'change the protected aliases of a registry';

function parseAliases(aliases: readonly string[]): string[] {
  if (aliases.length === 0) throw userError('BAD_USER_INPUT', 'Give at least one alias.');
  if (aliases.length > 100) throw userError('BAD_USER_INPUT', 'At most 100 aliases at once.');
  for (const alias of aliases) {
    validateAlias(alias);
    if (alias === 'latest') throw userError('BAD_USER_INPUT', '"latest" is managed by the registry itself and cannot be protected.');
    if (isVersionName(alias)) throw userError('BAD_USER_INPUT', `"${alias}" names a version, not an alias.`);
  }
  return [...new Set(aliases)];
}

const ProtectedAliasesInput = builder.inputType('RegistryProtectedAliasesInput', {
  fields: (f) => ({
    projectId: f.id({ required: true, description: "The registry's Project id." }),
    aliases: f.stringList({ required: true }),
  }),
});

const ProtectedAliasesPayload = builder.simpleObject('RegistryProtectedAliasesPayload', {
  fields: (f) => ({ project: f.field({ type: ProjectRef }) }),
});

builder.mutationField('addRegistryProtectedAliases', (t) =>
  t.field({
    type: ProtectedAliasesPayload,
    description: 'Declares aliases that only registry admins may add to or remove from versions (registry admin).',
    args: { input: t.arg({ type: ProtectedAliasesInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const aliases = parseAliases(input.aliases);
      const viewer = requireViewer(ctx, CHANGE_PROTECTED);
      return { project: await protectAliases(ctx.db, viewer, viewerAccess(ctx), decodeId(input.projectId, 'Project'), aliases) };
    },
  }),
);

builder.mutationField('removeRegistryProtectedAliases', (t) =>
  t.field({
    type: ProtectedAliasesPayload,
    description: 'Makes aliases ordinary again: members may then move them (registry admin).',
    args: { input: t.arg({ type: ProtectedAliasesInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const aliases = parseAliases(input.aliases);
      const viewer = requireViewer(ctx, CHANGE_PROTECTED);
      return { project: await unprotectAliases(ctx.db, viewer, viewerAccess(ctx), decodeId(input.projectId, 'Project'), aliases) };
    },
  }),
);
