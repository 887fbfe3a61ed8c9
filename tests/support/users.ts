import type { OrgRole, TeamRole } from '../../server/db/tables.js';
import { newApiKey } from '../../server/modules/auth/crypto.js';
import { insertApiKey } from '../../server/modules/auth/repository.js';
import type { TestApp } from './app.js';

export interface TestUser {
  /** The GraphQL User id (base64 `User:N`). */
  id: string;
  /** An API key of the user, for `t.gql(query, variables, { key })`. */
  key: string;
  username: string;
  /** The user's integer id in the database. */
  userId: number;
}

function failIfErrors(what: string, res: { errors?: { message: string }[] }): void {
  if (res.errors?.length) throw new Error(`${what} failed: ${res.errors.map((e) => e.message).join('; ')}`);
}

/** Creates a user through the admin API (as the bootstrap admin) and gives them an API key; a password only when given. */
export async function createUser(
  t: TestApp,
  options: { username: string; orgRole?: OrgRole; email?: string; name?: string; password?: string },
): Promise<TestUser> {
  const res = await t.gql(`mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`, {
    input: {
      username: options.username,
      // Most tests use API keys: a user without a password costs no password hash (hundreds of ms each).
      password: options.password,
      orgRole: options.orgRole ?? 'member',
      email: options.email ?? `${options.username}@example.com`,
      name: options.name ?? options.username,
    },
  });
  failIfErrors(`createUser(${options.username})`, res);
  const id = (res.data?.createUser as { user: { id: string } }).user.id;
  const userId = Number(/^User:(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'))?.[1]);
  const key = newApiKey();
  // API keys are made by the user themself in the app; a direct insert stands in for that sign-in.
  await insertApiKey(t.db, userId, key, 'test');
  return { id, key, username: options.username, userId };
}

export interface TestTeam {
  /** The GraphQL Entity id (base64 `Entity:N`). */
  id: string;
  name: string;
}

/** Creates a team through the admin API and adds the members (role `member` unless given). */
export async function createTeam(
  t: TestApp,
  name: string,
  members: readonly (TestUser | { user: TestUser; role: TeamRole })[] = [],
): Promise<TestTeam> {
  const res = await t.gql(`mutation CreateTeam($name: String!) { createTeam(input: { name: $name }) { entity { id name } } }`, { name });
  failIfErrors(`createTeam(${name})`, res);
  const id = (res.data?.createTeam as { entity: { id: string } }).entity.id;
  for (const member of members) {
    const { user, role } = 'user' in member ? member : { user: member, role: 'member' as const };
    const added = await t.gql(`mutation AddTeamMember($input: AddTeamMemberInput!) { addTeamMember(input: $input) { success } }`, {
      input: { teamName: name, username: user.username, role },
    });
    failIfErrors(`addTeamMember(${name}, ${user.username})`, added);
  }
  return { id, name };
}
