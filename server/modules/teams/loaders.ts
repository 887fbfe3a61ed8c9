import type { Entity, TeamRole, User } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { contextLoader, groupByKey } from '../../graphql/context-loaders.js';
import { membersOfTeams, teamsOfUsers } from './repository.js';

/** A user's teams, batched over every user of the request. */
export function userTeams(ctx: Context, userId: number): Promise<Entity[]> {
  return contextLoader(ctx, 'teamsOfUser', async (ids: readonly number[]) => {
    const rows = await teamsOfUsers(ctx.db, ids);
    return groupByKey(ids, rows, (row) => row.user_id).map((list) => list.map(({ user_id: _user, ...team }) => team));
  }).load(userId);
}

export type TeamMemberRow = User & { team_role: TeamRole };

/** A team's members with their team role, batched over every team of the request. */
export function teamMembers(ctx: Context, teamId: number): Promise<TeamMemberRow[]> {
  return contextLoader(ctx, 'membersOfTeam', async (ids: readonly number[]) => {
    const rows = await membersOfTeams(ctx.db, ids);
    return groupByKey(ids, rows, (row) => row.team_entity_id).map((list) => list.map(({ team_entity_id: _team, ...user }) => user));
  }).load(teamId);
}
