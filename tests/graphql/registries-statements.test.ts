import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type TestApp } from '../support/app.js';
import { onPostgres } from '../support/db.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam, type SeededTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

// Counts SQL statements per request: a page of registries with their members, roles and protected
// aliases must cost the same whatever its size (no statement per registry or per member).
let t: TestApp;
let statements = 0;
let alice: TestUser;
let bob: TestUser;
let team: SeededTeam;

const PAGE = `query Page($org: String!, $first: Int) {
  organization(name: $org) { orgEntity { projects(first: $first) { edges { node {
    name readOnly protectedAliases
    viewerRole { role source teamName }
    members { id username role { name } effectiveRole { role source teamName } }
    teamMembers { team { name members { username role } } role { name } }
    artifactTypes { edges { node { name } } }
  } } } } }
}`;

beforeAll(async () => {
  if (onPostgres) return;
  t = await createTestApp({ onQuery: () => (statements += 1) });
  alice = await createUser(t, { username: 'alice' });
  bob = await createUser(t, { username: 'bob' });
  team = await createTeam(t, { name: 'vision', members: [alice, bob] });
});
afterAll(() => t?.close());

async function count(run: () => Promise<unknown>): Promise<number> {
  const before = statements;
  await run();
  return statements - before;
}

async function addRegistries(n: number, from: number): Promise<void> {
  for (let i = from; i < from + n; i += 1) {
    const res = await t.gql(sdkDocument('UpsertRegistry'), {
      input: {
        name: `wandb-registry-r${i}`,
        entityName: ORG,
        access: i % 2 ? 'RESTRICTED' : 'PRIVATE',
        artifactTypes: [{ name: 'model' }],
      },
    });
    const id = (res.data?.upsertModel as { project: { id: string } }).project.id;
    await t.gql(sdkDocument('CreateRegistryMembers'), { input: { projectId: id, userIds: [alice.id], role: 'member' } });
    await t.gql(sdkDocument('CreateRegistryMembers'), { input: { projectId: id, userIds: [bob.id], teamIds: [team.id] } });
    await t.gql(`mutation($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { id } } }`, {
      input: { projectId: id, aliases: ['production', 'staging'] },
    });
  }
}

describe.skipIf(onPostgres)('statements per request', () => {
  it('a page of registries with members, team members, roles and protected aliases costs the same for 3 and 20 registries', async () => {
    await addRegistries(3, 0);
    const page = () => t.gql(PAGE, { org: ORG, first: 100 }, { key: alice.key });
    const first = (await page()) as { data?: { organization: { orgEntity: { projects: { edges: unknown[] } } } } };
    expect(first.data?.organization.orgEntity.projects.edges).toHaveLength(5);
    const small = await count(page);
    await addRegistries(17, 3);
    const second = (await page()) as { errors?: unknown; data?: { organization: { orgEntity: { projects: { edges: unknown[] } } } } };
    expect(second.errors).toBeUndefined();
    expect(second.data?.organization.orgEntity.projects.edges).toHaveLength(22);
    const large = await count(page);
    expect(large).toBe(small);
    expect(small).toBeLessThan(20);
  });

  it("GetTeamEntity and SearchUsers (with every user's teams) cost the same for few and many users", async () => {
    const search = () => t.gql(sdkDocument('SearchUsers'), { query: '' });
    const few = await count(search);
    for (let i = 0; i < 10; i += 1) await createTeam(t, { name: `team-${i}`, members: [await createUser(t, { username: `user-${i}` })] });
    const many = await count(search);
    expect(many).toBe(few);
  });
});
