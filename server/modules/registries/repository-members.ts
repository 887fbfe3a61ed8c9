import type { DB } from '../../db/database.js';
import type { RegistryRole } from '../../db/tables.js';

export interface RegistryGrant {
  project_id: number;
  role: RegistryRole;
  /** null for a grant to the user themself, else the team that carries it. */
  team_name: string | null;
}

/** Roles given in these registries to the user directly or to any of the user's teams: one statement. */
export async function registryGrants(db: DB, userId: number, projectIds: readonly number[]): Promise<RegistryGrant[]> {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom('registry_members as m')
    .leftJoin('entities as team', 'team.id', 'm.team_entity_id')
    .select(['m.project_id', 'm.role', 'team.name as team_name'])
    .where('m.project_id', 'in', projectIds)
    .where((eb) =>
      eb.or([
        eb('m.user_id', '=', userId),
        eb('m.team_entity_id', 'in', eb.selectFrom('team_members').select('team_entity_id').where('user_id', '=', userId)),
      ]),
    )
    .execute();
}

export async function teamIdsOfUser(db: DB, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('team_members').select('team_entity_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.team_entity_id);
}
