import type { GraphQLError } from 'graphql';
import type { Entity, Project, RegistryRole, User } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { contextLoader, groupByKey } from '../../graphql/context-loaders.js';
import { userError } from '../../graphql/errors.js';
import { registryGrants, teamIdsOfUser, type RegistryGrant } from './repository-members.js';
import { entityByName, entityLoader } from '../organization/loaders.js';
import { validateName } from '../../graphql/names.js';
import { isRegistryProjectName } from '../../../shared/names.js';

/** Each role includes the ones before it. */
export const ROLES: readonly RegistryRole[] = ['restricted_viewer', 'viewer', 'member', 'admin'];

export function atLeast(role: RegistryRole | null | undefined, needed: RegistryRole): boolean {
  return role != null && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface EffectiveRole {
  role: RegistryRole;
  /** Where the role comes from: org admin, a direct grant, a team's grant, or the organization default. */
  source: { kind: 'org_admin' } | { kind: 'user' } | { kind: 'team'; teamName: string } | { kind: 'organization' };
}

/**
 * A user's effective role in a registry (DESIGN.md §1): org admins are admin everywhere; otherwise
 * the highest role given to the user or one of their teams; otherwise viewer in an
 * organization-visible registry and nothing (null: the registry does not exist for them) in a
 * restricted one.
 */
export function effectiveRole(viewer: User, project: Project, grants: readonly RegistryGrant[]): EffectiveRole | null {
  if (viewer.org_role === 'admin') return { role: 'admin', source: { kind: 'org_admin' } };
  let best: EffectiveRole | null = null;
  for (const grant of grants) {
    if (!best || ROLES.indexOf(grant.role) > ROLES.indexOf(best.role)) {
      best = {
        role: grant.role,
        source: grant.team_name === null ? { kind: 'user' } : { kind: 'team', teamName: grant.team_name },
      };
    }
  }
  if (best) return best;
  return project.access === 'PRIVATE' ? { role: 'viewer', source: { kind: 'organization' } } : null;
}

function grantsLoader(ctx: Context, viewer: User) {
  return contextLoader(ctx, 'registryGrants', (projectIds: readonly number[]) =>
    registryGrants(ctx.db, viewer.id, projectIds).then((rows) => groupByKey(projectIds, rows, (row) => row.project_id)),
  );
}

/** The viewer's effective role in a registry, or null when it is invisible to them (batched per request). */
export async function viewerRegistryRole(ctx: Context, project: Project, owner: Entity): Promise<EffectiveRole | null> {
  const viewer = ctx.viewer;
  if (!viewer || viewer.organization_id !== owner.organization_id || !project.is_registry) return null;
  if (viewer.org_role === 'admin') return { role: 'admin', source: { kind: 'org_admin' } };
  return effectiveRole(viewer, project, await grantsLoader(ctx, viewer).load(project.id));
}

/** Drops the viewer's grants in a registry from this request's cache, after a change to its members. */
export function forgetViewerGrants(ctx: Context, projectId: number): void {
  if (ctx.viewer) grantsLoader(ctx, ctx.viewer).clear(projectId);
}

/** Team entity ids the viewer belongs to (loaded once per request). */
export async function viewerTeamIds(ctx: Context): Promise<Set<number>> {
  const viewer = ctx.viewer;
  if (!viewer) return new Set();
  const loader = contextLoader(ctx, 'viewerTeams', async (keys: readonly number[]) => {
    const ids = await teamIdsOfUser(ctx.db, viewer.id);
    return keys.map(() => new Set(ids));
  });
  return loader.load(viewer.id);
}

/**
 * Whether the viewer may know a project exists. Registries: by effective role. Team projects: members
 * of the owning team, the user whose own entity owns it, and org admins.
 */
export async function canSeeProject(ctx: Context, project: Project, owner: Entity): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer || viewer.organization_id !== owner.organization_id) return false;
  if (project.is_registry) return (await viewerRegistryRole(ctx, project, owner)) !== null;
  if (viewer.org_role === 'admin' || owner.id === viewer.entity_id) return true;
  return (await viewerTeamIds(ctx)).has(owner.id);
}

/**
 * Whether the viewer may log runs and artifacts into an entity's projects: org viewers never (their
 * role is read-only everywhere outside registry roles); org admins into any team or user; others into
 * their own entity and their teams. Never the organization entity, which holds registries.
 * Project.readOnly and every logging mutation ask this one rule, so they cannot disagree.
 */
export async function canLogInto(ctx: Context, entity: Entity): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer || viewer.organization_id !== entity.organization_id || entity.kind === 'ORGANIZATION') return false;
  if (viewer.org_role === 'viewer') return false;
  if (viewer.org_role === 'admin' || entity.id === viewer.entity_id) return true;
  return entity.kind === 'TEAM' && (await viewerTeamIds(ctx)).has(entity.id);
}

const ROLE_WORDS: Record<RegistryRole, string> = {
  restricted_viewer: 'restricted viewer',
  viewer: 'viewer',
  member: 'member',
  admin: 'admin',
};

/**
 * Enforces a registry role for an action. Invisible registries get `notFound`: the very error the
 * caller's path gives for a registry that does not exist (never "forbidden", nor any name the caller
 * did not type, which would leak that it exists). Visible ones without the role are FORBIDDEN, naming the role.
 */
export async function requireRegistryRole(
  ctx: Context,
  project: Project,
  owner: Entity,
  needed: RegistryRole,
  action: string,
  notFound: () => GraphQLError,
): Promise<EffectiveRole> {
  return checkRegistryRole(await viewerRegistryRole(ctx, project, owner), project, needed, action, notFound);
}

/** requireRegistryRole's rule on a role already known (null: the registry is invisible to the caller). */
export function checkRegistryRole(
  role: EffectiveRole | null,
  project: Project,
  needed: RegistryRole,
  action: string,
  notFound: () => GraphQLError,
): EffectiveRole {
  const name = project.name.replace(/^wandb-registry-/, '');
  if (!role) throw notFound();
  if (!atLeast(role.role, needed)) {
    throw userError(
      'FORBIDDEN',
      `To ${action} you need the ${ROLE_WORDS[needed]} role in registry "${name}"; yours is ${ROLE_WORDS[role.role]}.`,
    );
  }
  return role;
}

/**
 * What services ask about the viewer: the same checks as above, batched and cached per request, without
 * the GraphQL context, so any caller (GraphQL, HTTP routes, scripts) can hand them over.
 */
export interface ViewerAccess {
  canSee(project: Project, owner: Entity): Promise<boolean>;
  roleIn(project: Project, owner: Entity): Promise<EffectiveRole | null>;
  ownerOf(project: Project): Promise<Entity | undefined>;
}

export function viewerAccess(ctx: Context): ViewerAccess {
  return {
    canSee: (project, owner) => canSeeProject(ctx, project, owner),
    roleIn: (project, owner) => viewerRegistryRole(ctx, project, owner),
    ownerOf: (project) => entityLoader(ctx).load(project.entity_id),
  };
}

/** A linked version, as a conflict message lists it. */
export interface RegistryLink {
  project: Project;
  collection: string;
  versionIndex: number;
}

/**
 * Links for a conflict message: those in registries the viewer can see by name
 * (`wandb-registry-r/c:v1`), the others only counted, so a refusal never names a hidden registry.
 */
export async function describeLinks(ctx: Context, links: readonly RegistryLink[]): Promise<string> {
  const visible = await Promise.all(
    links.map(async (link) => {
      const owner = await entityLoader(ctx).load(link.project.entity_id);
      return owner !== undefined && (await canSeeProject(ctx, link.project, owner));
    }),
  );
  const named = links.filter((_l, i) => visible[i]).map((l) => `${l.project.name}/${l.collection}:v${l.versionIndex}`);
  const hidden = links.length - named.length;
  if (hidden === 0) return named.join(', ');
  const others = hidden === 1 ? '1 link in a registry you cannot see' : `${hidden} links in registries you cannot see`;
  return named.length === 0 ? others : `${named.join(', ')} and ${others}`;
}

/**
 * Where a user may log runs and artifacts: their own entity, a team they belong to, or (org admins)
 * any team. Not the organization entity: it holds the registries.
 */
export async function requireWritableEntity(ctx: Context, entityName: string | null | undefined): Promise<Entity> {
  const viewer = ctx.viewer;
  if (!viewer) throw userError('UNAUTHENTICATED', 'Sign in or send an API key to log runs and artifacts.');
  const entity = entityName ? await entityByName(ctx, entityName) : await entityLoader(ctx).load(viewer.entity_id);
  if (!entity || entity.organization_id !== viewer.organization_id) {
    throw userError('NOT_FOUND', `Entity "${String(entityName).slice(0, 140)}" was not found.`);
  }
  if (entity.kind === 'ORGANIZATION') {
    throw userError(
      'BAD_USER_INPUT',
      `"${entity.name}" is the organization entity, which holds registries: log into a team or your own entity.`,
    );
  }
  if (await canLogInto(ctx, entity)) return entity;
  if (viewer.org_role === 'viewer') {
    throw userError(
      'FORBIDDEN',
      'Your organization role is viewer, which cannot log runs or artifacts: ask an org admin for the member role.',
    );
  }
  throw userError(
    'FORBIDDEN',
    `You cannot write to "${entity.name}": log into your own entity or a team you are a member of (ask a team admin to add you).`,
  );
}

/** Runs and artifacts are logged into team projects, never into a registry's project. */
export function checkProjectName(name: string): string {
  validateName('Project', name);
  if (isRegistryProjectName(name)) {
    throw userError('BAD_USER_INPUT', `"${name}" is a registry: log into a team project, then link the version into the registry.`);
  }
  return name;
}
