import type { Entity, Project, User } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { entityByName, entityLoader } from '../organization/loaders.js';
import { requireRegistryRole, viewerTeamIds } from '../registries/access.js';
import { teamMembers } from '../teams/loaders.js';

// Who manages what: team admins (and org admins) a team's webhooks and secrets; registry admins a
// registry's automations; team admins a team project's. What a caller may not see answers as missing.

export function requireViewer(ctx: Context, action: string): User {
  if (!ctx.viewer) throw userError('UNAUTHENTICATED', `Sign in to ${action}.`);
  return ctx.viewer;
}

/** Whether the viewer administers an entity's integrations and secrets: org admins, team admins, a user their own. */
export async function administersEntity(ctx: Context, entity: Entity): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer || viewer.organization_id !== entity.organization_id) return false;
  if (viewer.org_role === 'admin') return true;
  if (entity.kind === 'USER') return entity.id === viewer.entity_id;
  if (entity.kind !== 'TEAM') return false;
  return (await teamMembers(ctx, entity.id)).some((m) => m.id === viewer.id && m.team_role === 'admin');
}

/** Whether the viewer belongs to an entity (sees its integrations): its members, the user themself, org admins. */
export async function belongsToEntity(ctx: Context, entity: Entity): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer || viewer.organization_id !== entity.organization_id) return false;
  if (viewer.org_role === 'admin' || entity.id === viewer.entity_id) return true;
  return entity.kind === 'TEAM' && (await viewerTeamIds(ctx)).has(entity.id);
}

const noTeam = (name: string) => userError('NOT_FOUND', `No team or user named "${name.slice(0, 80)}".`);

/** The entity whose webhooks or secrets the viewer manages; a team they do not administer is FORBIDDEN, an invisible one NOT_FOUND. */
export async function requireEntityAdmin(ctx: Context, entityName: string, action: string): Promise<Entity> {
  requireViewer(ctx, action);
  const entity = await entityByName(ctx, entityName);
  if (!entity || !(await belongsToEntity(ctx, entity))) throw noTeam(entityName);
  if (!(await administersEntity(ctx, entity))) {
    throw userError('FORBIDDEN', `To ${action} you need the admin role in team "${entity.name}".`);
  }
  return entity;
}

/** Enforces that the viewer manages a project's automations: admin of the registry, or of the team owning a team project. */
export async function requireAutomationAdmin(ctx: Context, project: Project, notFound: () => Error): Promise<void> {
  const owner = await entityLoader(ctx).load(project.entity_id);
  if (!owner) throw notFound();
  if (project.is_registry) {
    await requireRegistryRole(ctx, project, owner, 'admin', 'manage automations', () => userError('NOT_FOUND', notFound().message));
    return;
  }
  if (!(await belongsToEntity(ctx, owner))) throw notFound();
  if (!(await administersEntity(ctx, owner))) {
    throw userError('FORBIDDEN', `To manage automations of project "${project.name}" you need the admin role in team "${owner.name}".`);
  }
}
