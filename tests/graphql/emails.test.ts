import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole } from '../../seed/registries.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion } from '../../seed/versions.js';

/**
 * Emails are shown to organization admins and to their owner only: every other caller reads `null`,
 * on every path that reaches a user (viewer, entity.user, team members, registry members, users,
 * who linked a version, who acted in a collection's history, who created a version).
 */

type Json = Record<string, unknown>;
let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let versionId: string;

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

const ADMIN_EMAIL = null; // the bootstrap admin has no email
const email = (who: TestUser) => `${who.username}@example.com`;

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice' });
  bob = await createUser(t, { username: 'bob' });
  await createTeam(t, { name: 'ml', members: [alice] });
  await createTeam(t, { name: 'other', members: [bob] });
  const registry = await createRegistry(t, { name: 'team-models' });
  await grantRegistryRole(t, { registry: registry.name, username: bob.username, role: 'member' });
  await grantRegistryRole(t, { registry: registry.name, username: alice.username, role: 'viewer' });
  // Logged by bob without a run: the version's createdBy is bob himself.
  const version = await createSourceVersion(t, { entity: 'other', project: 'train', name: 'net', type: 'model', key: bob.key, run: null });
  versionId = version.id;
  // bob links it: he is who linked it and who acted in the collection's history.
  ok(
    await t.gql(
      sdkDocument('LinkArtifact'),
      { input: { artifactID: version.id, entityName: ORG, projectName: registry.projectName, artifactPortfolioName: 'net', aliases: [] } },
      { key: bob.key },
    ),
  );
});
afterAll(() => t.close());

describe.each([
  { who: 'alice (a member)', key: () => alice.key, sees: (u: TestUser) => (u === alice ? email(alice) : null) },
  { who: 'the org admin', key: () => ADMIN_KEY, sees: (u: TestUser) => email(u) },
])('$who', ({ key, sees }) => {
  it('viewer: always their own email', async () => {
    const res = ok(await t.gql(sdkDocument('GetViewer'), {}, { key: key() }));
    const viewer = res.viewer as { username: string; email: string | null };
    expect(viewer.email).toBe(viewer.username === ADMIN ? ADMIN_EMAIL : email(alice));
  });

  it('entity(name).user', async () => {
    for (const u of [alice, bob]) {
      const res = ok(
        await t.gql(`query Q($n: String!) { entity(name: $n) { user { username email } } }`, { n: u.username }, { key: key() }),
      );
      expect(res.entity).toEqual({ user: { username: u.username, email: sees(u) } });
    }
  });

  it("a team's members (GetTeamEntity), the caller's team and another", async () => {
    for (const [team, u] of [
      ['ml', alice],
      ['other', bob],
    ] as const) {
      const res = ok(await t.gql(sdkDocument('GetTeamEntity'), { name: team }, { key: key() }));
      const members = (res.entity as { members: { username: string; email: string | null }[] }).members;
      expect(members.map((m) => [m.username, m.email])).toEqual([[u.username, sees(u)]]);
    }
  });

  it("a registry's members (RegistryUserMembers)", async () => {
    const res = ok(await t.gql(sdkDocument('RegistryUserMembers'), { project: 'wandb-registry-team-models', entity: ORG }, { key: key() }));
    const members = (res.project as { members: { username: string; email: string | null }[] }).members;
    expect(Object.fromEntries(members.map((m) => [m.username, m.email]))).toEqual({
      // The admin made the registry through the API, which makes its creator one of its admins.
      admin: ADMIN_EMAIL,
      alice: sees(alice),
      bob: sees(bob),
    });
  });

  it('who linked a version, and who acted in the collection history', async () => {
    const res = ok(
      await t.gql(
        `query { project(entityName: "${ORG}", name: "wandb-registry-team-models") { artifactCollection(name: "net") {
          artifactMembership(aliasName: "v0") { linkedBy { username email } }
          artifactCollectionActions { edges { node { user { username email } } } } } } }`,
        {},
        { key: key() },
      ),
    );
    const collection = (res.project as { artifactCollection: Json }).artifactCollection;
    expect((collection.artifactMembership as Json).linkedBy).toEqual({ username: 'bob', email: sees(bob) });
    const users = (collection.artifactCollectionActions as { edges: { node: { user: Json } }[] }).edges.map((e) => e.node.user);
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) expect(user).toEqual({ username: 'bob', email: sees(bob) });
  });

  it('who created a version (ArtifactCreatedBy), read through the registry it is linked into', async () => {
    const res = ok(
      await t.gql(
        `query Q($id: ID!) { artifact(id: $id) { createdBy { ... on User { username email } } } }`,
        { id: versionId },
        { key: key() },
      ),
    );
    expect(res.artifact).toEqual({ createdBy: { username: 'bob', email: sees(bob) } });
  });
});

describe('users (SearchUsers)', () => {
  it('org admins find users with their emails; others find nobody', async () => {
    const admin = ok(await t.gql(sdkDocument('SearchUsers'), { query: 'bob' }));
    expect((admin.users as { edges: { node: Json }[] }).edges.map((e) => e.node.email)).toEqual([email(bob)]);
    const member = ok(await t.gql(sdkDocument('SearchUsers'), { query: 'bob' }, { key: alice.key }));
    expect((member.users as { edges: unknown[] }).edges).toEqual([]);
  });
});
