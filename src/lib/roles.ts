/** A viewer's effective role in a registry, each including the ones before it (DESIGN.md §1). */
export const REGISTRY_ROLES = ['restricted_viewer', 'viewer', 'member', 'admin'] as const;
export type RegistryRole = (typeof REGISTRY_ROLES)[number];

/** True when `role` (as the server reports it in `viewerRole.role`) includes `needed`. */
export function roleAllows(role: string | null | undefined, needed: RegistryRole): boolean {
  const have = REGISTRY_ROLES.indexOf(role as RegistryRole);
  return have >= 0 && have >= REGISTRY_ROLES.indexOf(needed);
}

/** What a disabled action says: which role it needs. */
export function needsRole(needed: RegistryRole): string {
  return `Needs the ${needed.replace('_', ' ')} role in this registry`;
}

export const ROLE_LABELS: Record<RegistryRole, string> = {
  restricted_viewer: 'Restricted viewer',
  viewer: 'Viewer',
  member: 'Member',
  admin: 'Admin',
};
