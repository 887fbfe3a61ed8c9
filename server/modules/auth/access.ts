import type { User } from '../../db/tables.js';

/**
 * A user's email as the viewer may read it: org admins (of the user's organization) and the user
 * themself see it; everyone else reads null. Every GraphQL field that shows an email goes through here.
 */
export function visibleEmail(viewer: User | null, user: Pick<User, 'id' | 'email' | 'organization_id'>): string | null {
  if (!viewer) return null;
  if (viewer.id === user.id) return user.email;
  return viewer.org_role === 'admin' && viewer.organization_id === user.organization_id ? user.email : null;
}

export function inOrganization(viewer: User | null, organizationId: number): viewer is User {
  return viewer !== null && viewer.organization_id === organizationId;
}
