import type { Entity, Project, User } from '../../db/tables.js';

/**
 * Whether the viewer may know a project exists. Registries: every org user sees organization-visible
 * ones; restricted ones only their members and org admins (not found for everyone else).
 * Team projects: the owning entity's own user and org admins.
 */
export function canSeeProject(viewer: User | null, project: Project, owner: Entity): boolean {
  if (!viewer || viewer.organization_id !== owner.organization_id) return false;
  if (viewer.org_role === 'admin') return true;
  if (project.is_registry) return project.access === 'PRIVATE';
  return owner.id === viewer.entity_id;
}

export function inOrganization(viewer: User | null, organizationId: number): viewer is User {
  return viewer !== null && viewer.organization_id === organizationId;
}
