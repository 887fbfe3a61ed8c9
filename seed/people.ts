import { randomBytes } from 'node:crypto';
import { data, idNumber, type SeedClient } from './client.js';

export type OrgRole = 'admin' | 'member' | 'viewer';
export type TeamRole = 'admin' | 'member';

export interface SeededUser {
  /** The GraphQL User id (base64 `User:N`). */
  id: string;
  /** The user's integer id. */
  userId: number;
  username: string;
  /** The password when one was set. */
  password?: string;
}

/** An organization user, created by the client's user (an org admin). Without a password, none is set (no hash to compute). */
export interface UserOptions {
  username: string;
  orgRole?: OrgRole;
  email?: string;
  name?: string;
  password?: string;
}

export async function createUser<O extends UserOptions>(
  seed: SeedClient,
  options: O,
): Promise<SeededUser & (O extends { password: string } ? { password: string } : unknown)> {
  const created = await data<{ createUser: { user: { id: string } } }>(
    seed,
    `mutation SeedCreateUser($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`,
    {
      input: {
        username: options.username,
        password: options.password,
        orgRole: options.orgRole ?? 'member',
        email: options.email ?? `${options.username}@example.com`,
        name: options.name ?? options.username,
      },
    },
  );
  const id = created.createUser.user.id;
  const user: SeededUser = { id, userId: idNumber(id), username: options.username, password: options.password };
  return user as SeededUser & (O extends { password: string } ? { password: string } : unknown);
}

/** A password of the shape the server accepts, for users that must sign in. */
export const newPassword = () => `pw-${randomBytes(9).toString('base64url')}`;

/** Signs in as the web app does and returns the session cookie. */
export async function signIn(seed: SeedClient, user: { username: string; password: string }): Promise<string> {
  const response = await seed.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: seed.origin },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${user.username} failed: ${response.status} ${await response.text()}`);
  const cookie = /^[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error(`sign-in of ${user.username} set no cookie`);
  return cookie;
}

/** A new API key of the user, made as the user does it in the app: signed in, on the API keys page. */
export async function createApiKey(
  seed: SeedClient,
  user: { username: string; password: string },
  description = 'seeded',
): Promise<string> {
  const cookie = await signIn(seed, user);
  const response = await seed.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: seed.origin, cookie },
    body: JSON.stringify({
      query: `mutation SeedGenerateApiKey($input: GenerateApiKeyInput!) { generateApiKey(input: $input) { key } }`,
      variables: { input: { description } },
    }),
  });
  const body = (await response.json()) as { data?: { generateApiKey: { key: string } } | null; errors?: { message: string }[] };
  if (!body.data) throw new Error(`generateApiKey for ${user.username} failed: ${body.errors?.map((e) => e.message).join('; ')}`);
  return body.data.generateApiKey.key;
}

/** A user with a password and an API key of their own (two password hashes: use only where a key is needed). */
export async function createUserWithKey(seed: SeedClient, options: UserOptions): Promise<SeededUser & { password: string; key: string }> {
  const password = options.password ?? newPassword();
  const user = await createUser(seed, { ...options, password });
  return { ...user, key: await createApiKey(seed, { username: user.username, password }) };
}

export interface SeededTeam {
  /** The GraphQL Entity id (base64 `Entity:N`). */
  id: string;
  name: string;
}

/** A username, or anything with one (a seeded user), with an optional team role. */
export type TeamMember = string | { username: string; role?: TeamRole };

/** Adds a user to a team (role `member` unless given). */
export async function addTeamMember(seed: SeedClient, options: { team: string; username: string; role?: TeamRole }): Promise<void> {
  await data(seed, `mutation SeedAddTeamMember($input: AddTeamMemberInput!) { addTeamMember(input: $input) { success } }`, {
    input: { teamName: options.team, username: options.username, role: options.role ?? 'member' },
  });
}

/** A team with its members (role `member` unless given). */
export async function createTeam(seed: SeedClient, options: { name: string; members?: readonly TeamMember[] }): Promise<SeededTeam> {
  const created = await data<{ createTeam: { entity: { id: string } } }>(
    seed,
    `mutation SeedCreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { entity { id } } }`,
    { input: { name: options.name } },
  );
  for (const member of options.members ?? []) {
    const { username, role } = typeof member === 'string' ? { username: member, role: undefined } : member;
    await addTeamMember(seed, { team: options.name, username, role });
  }
  return { id: created.createTeam.entity.id, name: options.name };
}

/** The GraphQL id of a user, by username. */
export async function userId(seed: SeedClient, username: string): Promise<string> {
  const found = await data<{ users: { edges: { node: { id: string; username: string } }[] } }>(
    seed,
    `query SeedUser($q: String) { users(query: $q) { edges { node { id username } } } }`,
    { q: username },
  );
  const user = found.users.edges.find((e) => e.node.username === username);
  if (!user) throw new Error(`no user ${username}`);
  return user.node.id;
}

/** The GraphQL id of an entity (team or organization), by name. */
export async function entityId(seed: SeedClient, name: string): Promise<string> {
  const found = await data<{ entity: { id: string } | null }>(seed, `query SeedEntity($name: String) { entity(name: $name) { id } }`, {
    name,
  });
  if (!found.entity) throw new Error(`no entity ${name}`);
  return found.entity.id;
}
