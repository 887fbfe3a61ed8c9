import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/users.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

// `api.create_user(email, admin)` and `api.create_team(name, admin_username)` exactly as the SDK sent
// them (recorded exchanges 87 and 88 of wandb-compat/recorded/api-447eae0491.jsonl).
const CREATE_USER_FROM_ADMIN = `mutation CreateUserFromAdmin($email: String!, $admin: Boolean) {
  result: createUser(input: {email: $email, admin: $admin}) {
    user {
      ...UserInfoFragment
    }
  }
}

fragment UserInfoFragment on User {
  id
  name
  username
  email
  admin
}
`;
const CREATE_TEAM = `mutation CreateTeam($teamName: String!, $teamAdminUserName: String) {
  result: createTeam(input: {teamName: $teamName, teamAdminUserName: $teamAdminUserName}) {
    entity {
      id
      name
      available
      photoUrl
      limits
    }
  }
}
`;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function decodeUserId(id: string): number {
  return Number(/^User:(\d+)$/.exec(Buffer.from(id, 'base64').toString())?.[1]);
}

describe("the SDK's createUser", () => {
  it('makes a user named after the email, as the SDK reads it back; admin: true is the org admin role', async () => {
    const res = await t.gql(CREATE_USER_FROM_ADMIN, { email: 'rec-user@example.com', admin: false });
    expect(res.errors).toBeUndefined();
    // The SDK builds its User from result.user.
    const user = (res.data?.result as { user: Record<string, unknown> }).user;
    expect(user).toEqual({ id: expect.any(String), name: 'rec-user', username: 'rec-user', email: 'rec-user@example.com', admin: false });
    expect(decodeUserId(user.id as string)).toBeGreaterThan(0);

    const boss = await t.gql(CREATE_USER_FROM_ADMIN, { email: 'Boss.Person+ml@example.com', admin: true });
    expect((boss.data?.result as { user: unknown }).user).toMatchObject({ username: 'Boss.Person-ml', admin: true });
    const role = await t.gql(`{ users(query: "boss") { edges { node { username orgRole entity } } } }`);
    expect(role.data?.users).toEqual({ edges: [{ node: { username: 'Boss.Person-ml', orgRole: 'admin', entity: 'Boss.Person-ml' } }] });
  });

  it('makes the username unique and valid, against users, teams and the organization, without case', async () => {
    const names: string[] = [];
    for (const email of ['rec-user@example.com', 'REC-USER@other.io', 'admin@example.com', '__@example.com', `${'l'.repeat(80)}@x.io`]) {
      const res = await t.gql(CREATE_USER_FROM_ADMIN, { email, admin: false });
      expect(res.errors, email).toBeUndefined();
      names.push((res.data?.result as { user: { username: string } }).user.username);
    }
    expect(names).toEqual(['rec-user-2', 'REC-USER-3', `${ADMIN}-2`, 'user', 'l'.repeat(60)]);
  });

  it('gives the admin a one-time link for the new user to choose a password; ours with a password gives none', async () => {
    const res = await t.gql(
      `mutation { createUser(input: { email: "newbie@example.com" }) { user { username } passwordLink { url expiresAt } } }`,
    );
    expect(res.errors).toBeUndefined();
    const { user, passwordLink } = res.data?.createUser as { user: { username: string }; passwordLink: { url: string; expiresAt: string } };
    expect(user.username).toBe('newbie');
    const days = (new Date(passwordLink.expiresAt).getTime() - Date.now()) / 86400_000;
    expect(days).toBeGreaterThan(6.9);
    const token = new URL(passwordLink.url).hash.slice(1);
    const set = await t.gql(
      `mutation($token: String!) { setPasswordWithLink(input: { token: $token, newPassword: "newbie password" }) { username } }`,
      { token },
      { key: null },
    );
    expect(set.data?.setPasswordWithLink).toEqual({ username: 'newbie' });
    const login = await t.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
      body: JSON.stringify({ username: 'newbie', password: 'newbie password' }),
    });
    expect(login.status).toBe(200);

    const ours = await t.gql(
      `mutation { createUser(input: { username: "carol", password: "12345678", orgRole: "viewer" }) { user { username orgRole } passwordLink { url } } }`,
    );
    expect(ours.data?.createUser).toEqual({ user: { username: 'carol', orgRole: 'viewer' }, passwordLink: null });
  });

  it('refuses input it cannot use, changing nothing', async () => {
    const before = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    for (const [input, message] of [
      [{}, /username or an email/],
      [{ email: 'not-an-email' }, /not an email address/],
      [{ email: 'x@example.com', admin: true, orgRole: 'viewer' }, /contradicts/],
      [{ email: 'x@example.com', orgRole: 'owner' }, /use one of admin, member, viewer/],
    ] as const) {
      const res = await t.gql(`mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`, { input });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    const after = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const member = await createUser(t, { username: 'plain-member' });
    const res = await t.gql(CREATE_USER_FROM_ADMIN, { email: 'sneaky@example.com', admin: true }, { key: member.key });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe("the SDK's createTeam", () => {
  it("answers the SDK's selection (limits included); the caller becomes team admin when nobody is named", async () => {
    const res = await t.gql(CREATE_TEAM, { teamName: 'rec-team', teamAdminUserName: null });
    expect(res.errors).toBeUndefined();
    const entity = (res.data?.result as { entity: Record<string, unknown> }).entity;
    expect(entity).toEqual({ id: expect.any(String), name: 'rec-team', available: false, photoUrl: null, limits: '{}' });
    expect(JSON.parse(entity.limits as string)).toEqual({});
    // What the SDK's Team(...) loads next.
    const team = await t.gql(sdkDocument('GetTeamEntity'), { name: 'rec-team' });
    expect((team.data?.entity as { members: unknown[] }).members).toEqual([expect.objectContaining({ username: ADMIN, admin: true })]);
  });

  it('makes the named user the team admin; unknown users are NOT_FOUND and make no team', async () => {
    await createUser(t, { username: 'lead' });
    const res = await t.gql(CREATE_TEAM, { teamName: 'led-team', teamAdminUserName: 'lead' });
    expect(res.errors).toBeUndefined();
    const team = await t.gql(sdkDocument('GetTeamEntity'), { name: 'led-team' });
    expect((team.data?.entity as { members: unknown[] }).members).toEqual([expect.objectContaining({ username: 'lead', admin: true })]);

    const missing = await t.gql(CREATE_TEAM, { teamName: 'ghost-team', teamAdminUserName: 'nobody' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(`{ entity(name: "ghost-team") { id } }`)).data?.entity).toBeNull();
  });

  it('our { name } shape still works and adds nobody; taken, invalid or contradicting names are refused', async () => {
    const ours = await t.gql(`mutation { createTeam(input: { name: "plain" }) { entity { name members { username } } } }`);
    expect(ours.data?.createTeam).toEqual({ entity: { name: 'plain', members: [] } });
    for (const [input, code] of [
      [{ teamName: 'rec-team' }, 'CONFLICT'],
      [{ teamName: 'bad/name' }, 'BAD_USER_INPUT'],
      [{}, 'BAD_USER_INPUT'],
      [{ name: 'one', teamName: 'two' }, 'BAD_USER_INPUT'],
    ] as const) {
      const res = await t.gql(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { entity { id } } }`, { input });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
    }
  });
});
