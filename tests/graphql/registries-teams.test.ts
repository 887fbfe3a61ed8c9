import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestApp, ORG, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let viewer: TestUser;

const CREATE_USER = `mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { user { id username orgRole entity } } }`;
const CREATE_TEAM = `mutation CreateTeam($name: String!) { createTeam(input: { name: $name }) { entity { id name entityType isTeam } } }`;
const ADD_MEMBER = `mutation Add($input: AddTeamMemberInput!) { addTeamMember(input: $input) { success team { name members { username role } } } }`;
const REMOVE_MEMBER = `mutation Remove($input: RemoveTeamMemberInput!) { removeTeamMember(input: $input) { success } }`;

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  bob = await createUser(t, { username: 'bob', orgRole: 'member' });
  viewer = await createUser(t, { username: 'vera', orgRole: 'viewer' });
  await createTeam(t, { name: 'vision', members: [{ username: alice.username, role: 'admin' }, bob] });
});
afterAll(() => t.close());

describe('users and teams (admin API)', () => {
  it('createUser makes the user and their own entity; the new key works', async () => {
    const res = await t.gql(CREATE_USER, {
      input: { username: 'carol', password: '12345678', name: 'Carol', email: 'c@x.io', orgRole: 'viewer' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.createUser).toMatchObject({ user: { username: 'carol', orgRole: 'viewer', entity: 'carol' } });
    const entity = await t.gql(`{ entity(name: "carol") { entityType user { username } } }`);
    expect(entity.data?.entity).toEqual({ entityType: 'USER', user: { username: 'carol' } });
    const me = await t.gql(`{ viewer { username orgRole } }`, {}, { key: alice.key });
    expect(me.data?.viewer).toEqual({ username: 'alice', orgRole: 'member' });
  });

  it('createUser refuses bad input with BAD_USER_INPUT and taken names with CONFLICT, changing nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ username: 'a/b', password: '12345678', orgRole: 'member' }, 'BAD_USER_INPUT', /Username "a\/b" is not valid/],
      [{ username: 'x'.repeat(65), password: '12345678', orgRole: 'member' }, 'BAD_USER_INPUT', /is not valid/],
      [{ username: "x'; drop table users; --", password: '12345678', orgRole: 'member' }, 'BAD_USER_INPUT', /is not valid/],
      [{ username: 'dave', password: 'short', orgRole: 'member' }, 'BAD_USER_INPUT', /at least 8 characters/],
      [{ username: 'dave', password: '12345678', orgRole: 'owner' }, 'BAD_USER_INPUT', /use one of admin, member, viewer/],
      [{ username: 'dave', password: '12345678', orgRole: 'member', email: 'nope' }, 'BAD_USER_INPUT', /not an email/],
      [{ username: 'alice', password: '12345678', orgRole: 'member' }, 'CONFLICT', /taken/],
      [{ username: 'ALICE', password: '12345678', orgRole: 'member' }, 'CONFLICT', /taken/],
      [{ username: ORG, password: '12345678', orgRole: 'member' }, 'CONFLICT', /taken/],
      [{ username: 'vision', password: '12345678', orgRole: 'member' }, 'CONFLICT', /taken/],
    ];
    for (const [input, code, message] of cases) {
      const res = await t.gql(CREATE_USER, { input });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    const users = await t.gql(`{ users(query: "dave") { edges { node { username } } } }`);
    expect(users.data?.users).toEqual({ edges: [] });
  });

  it('only org admins may create users and teams or change team members, and the message names the role', async () => {
    for (const key of [alice.key, viewer.key]) {
      for (const [doc, variables] of [
        [CREATE_USER, { input: { username: 'eve', password: '12345678', orgRole: 'admin' } }],
        [CREATE_TEAM, { name: 'eve-team' }],
        [ADD_MEMBER, { input: { teamName: 'vision', username: 'vera' } }],
        [REMOVE_MEMBER, { input: { teamName: 'vision', username: 'bob' } }],
      ] as const) {
        const res = await t.gql(doc, variables, { key });
        expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(res.errors?.[0]?.message).toMatch(/organization admin role/);
      }
    }
    const anonymous = await t.gql(CREATE_TEAM, { name: 'anon' }, { key: null });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('createTeam makes a TEAM entity; names are validated and unique', async () => {
    const res = await t.gql(CREATE_TEAM, { name: 'nlp' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.createTeam).toMatchObject({ entity: { name: 'nlp', entityType: 'TEAM', isTeam: true } });
    expect(Buffer.from((res.data?.createTeam as { entity: { id: string } }).entity.id, 'base64').toString()).toMatch(/^Entity:\d+$/);
    expect((await t.gql(CREATE_TEAM, { name: 'nlp' })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await t.gql(CREATE_TEAM, { name: 'a:b' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(CREATE_TEAM, { name: '' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('addTeamMember adds or changes a role, removeTeamMember removes; unknown names are NOT_FOUND', async () => {
    const added = await t.gql(ADD_MEMBER, { input: { teamName: 'nlp', username: 'vera' } });
    expect(added.errors).toBeUndefined();
    expect(added.data?.addTeamMember).toEqual({ success: true, team: { name: 'nlp', members: [{ username: 'vera', role: 'member' }] } });
    const promoted = await t.gql(ADD_MEMBER, { input: { teamName: 'nlp', username: 'vera', role: 'admin' } });
    expect(promoted.data?.addTeamMember).toMatchObject({ team: { members: [{ username: 'vera', role: 'admin' }] } });
    const badRole = await t.gql(ADD_MEMBER, { input: { teamName: 'nlp', username: 'vera', role: 'owner' } });
    expect(badRole.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(badRole.errors?.[0]?.message).toMatch(/admin, member/);
    expect((await t.gql(ADD_MEMBER, { input: { teamName: 'nope', username: 'vera' } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(ADD_MEMBER, { input: { teamName: 'nlp', username: 'nobody' } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const removed = await t.gql(REMOVE_MEMBER, { input: { teamName: 'nlp', username: 'vera' } });
    expect(removed.data?.removeTeamMember).toEqual({ success: true });
    const again = await t.gql(REMOVE_MEMBER, { input: { teamName: 'nlp', username: 'vera' } });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it("the SDK's GetTeamEntity returns the team and its members", async () => {
    const res = await t.gql(sdkDocument('GetTeamEntity'), { name: 'vision' });
    expect(res.errors).toBeUndefined();
    const entity = res.data?.entity as Record<string, unknown>;
    expect(entity).toMatchObject({ name: 'vision', isTeam: true, entityType: 'TEAM', readOnlyAdmin: false, privateOnly: false });
    expect(entity.members).toEqual([
      expect.objectContaining({ id: alice.id, username: 'alice', admin: true, pending: false, email: 'alice@example.com', apiKey: null }),
      expect.objectContaining({ id: bob.id, username: 'bob', admin: false }),
    ]);
  });

  it("User.teams lists the user's teams (GetViewer)", async () => {
    const res = await t.gql(sdkDocument('GetViewer'), {}, { key: alice.key });
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer).toMatchObject({ username: 'alice', teams: { edges: [{ node: { name: 'vision' } }] } });
  });

  it("the SDK's SearchUsers finds users for org admins and nothing for others", async () => {
    const res = await t.gql(sdkDocument('SearchUsers'), { query: 'ALI' });
    expect(res.errors).toBeUndefined();
    const edges = (res.data?.users as { edges: { node: { username: string; teams: { edges: { node: { name: string } }[] } } }[] }).edges;
    expect(edges.map((e) => e.node.username)).toEqual(['alice']);
    expect(edges[0]?.node.teams.edges.map((e) => e.node.name)).toEqual(['vision']);
    const byEmail = await t.gql(sdkDocument('SearchUsers'), { query: 'bob@example' });
    expect((byEmail.data?.users as { edges: unknown[] }).edges).toHaveLength(1);
    const all = await t.gql(sdkDocument('SearchUsers'), { query: null });
    expect((all.data?.users as { edges: { node: { username: string } }[] }).edges.map((e) => e.node.username)).toContain(ADMIN);
    const wildcard = await t.gql(sdkDocument('SearchUsers'), { query: '%' });
    expect((wildcard.data?.users as { edges: unknown[] }).edges).toEqual([]);
    const denied = await t.gql(sdkDocument('SearchUsers'), { query: 'a' }, { key: alice.key });
    expect(denied.errors).toBeUndefined();
    expect(denied.data?.users).toEqual({ edges: [] });
  });

  it("IsProjectReadOnly on a team project: writable for the team's members and org admins; invisible to others", async () => {
    const team = await t.db.selectFrom('entities').select('id').where('name', '=', 'vision').executeTakeFirstOrThrow();
    await t.db.insertInto('projects').values({ entity_id: team.id, name: 'training', access: 'PRIVATE' }).execute();
    const readOnly = async (key?: string) =>
      (await t.gql(sdkDocument('IsProjectReadOnly'), { entity: 'vision', project: 'training' }, { key })).data?.project;
    expect(await readOnly(alice.key)).toEqual({ readOnly: false });
    expect(await readOnly(bob.key)).toEqual({ readOnly: false });
    expect(await readOnly()).toEqual({ readOnly: false });
    expect(await readOnly(viewer.key)).toBeNull();
  });
});
