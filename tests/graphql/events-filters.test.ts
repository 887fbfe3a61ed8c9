import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole } from '../../seed/registries.js';
import { collectionId, linkVersion } from '../../seed/collections.js';
import { createSourceVersion } from '../../seed/versions.js';

// A history narrowed to some actions and to one user, paged the same way as the whole one; only
// those who can see the registry read it.

let t: TestApp;
let alice: TestUser;
let otto: TestUser;
const REGISTRY = 'vision';
const PROJECT = `wandb-registry-${REGISTRY}`;

interface EventNode {
  actionType: string;
  versionIndex: number | null;
  user: { username: string } | null;
}
interface EventPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: EventNode }[];
}

const HISTORY = `query($e: String!, $p: String!, $first: Int, $after: String, $actions: [String!], $actor: String) {
  project(entityName: $e, name: $p) {
    events(first: $first, after: $after, actions: $actions, actor: $actor) {
      pageInfo { hasNextPage endCursor }
      edges { node { actionType versionIndex user { username } } }
    }
  }
}`;

function history(variables: { first?: number; after?: string | null; actions?: string[]; actor?: string }, key?: string) {
  return t.gql(HISTORY, { e: ORG, p: PROJECT, ...variables }, { key });
}

function page(res: GraphQLResult): EventPage | null {
  expect(res.errors).toBeUndefined();
  return (res.data as { project: { events: EventPage } | null }).project?.events ?? null;
}

const brief = (p: EventPage | null) =>
  p?.edges.map(({ node }) => `${node.user?.username ?? '-'} ${node.actionType} ${node.versionIndex ?? ''}`.trim());

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  otto = await createUser(t, { username: 'otto', orgRole: 'member' });
  await createTeam(t, { name: 'ml', members: [alice] });
  await createRegistry(t, { name: REGISTRY, restricted: true, types: ['model'] });
  await grantRegistryRole(t, { registry: REGISTRY, username: alice.username, role: 'member' });
  const sources = [];
  for (let i = 0; i < 3; i++) sources.push(await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'net', type: 'model' }));
  // v0 and v1 by alice, v2 by the admin.
  await linkVersion(t, { artifactId: sources[0]!.id, registry: REGISTRY, collection: 'net', key: alice.key });
  await linkVersion(t, { artifactId: sources[1]!.id, registry: REGISTRY, collection: 'net', aliases: ['staging'], key: alice.key });
  await linkVersion(t, { artifactId: sources[2]!.id, registry: REGISTRY, collection: 'net' });
});
afterAll(() => t?.close());

describe("filtering a registry's history", () => {
  it('by action: only those, newest first', async () => {
    expect(brief(page(await history({ actions: ['version.linked'] }, alice.key)))).toEqual([
      'admin version.linked 2',
      'alice version.linked 1',
      'alice version.linked 0',
    ]);
    expect(brief(page(await history({ actions: ['alias.added', 'collection.created'] }, alice.key)))).toEqual([
      'alice alias.added 1',
      'alice alias.added 0',
      'alice collection.created',
    ]);
  });

  it('by user, and by action and user together', async () => {
    const byAdmin = brief(page(await history({ actor: 'admin' }, alice.key)));
    expect(byAdmin).toContain('admin version.linked 2');
    expect(byAdmin?.every((line) => line.startsWith('admin '))).toBe(true);
    expect(brief(page(await history({ actor: 'alice', actions: ['version.linked'] }, alice.key)))).toEqual([
      'alice version.linked 1',
      'alice version.linked 0',
    ]);
  });

  it('a user that does not exist (or made no change here) gives an empty page, not an error', async () => {
    expect(page(await history({ actor: 'nobody' }, alice.key))).toEqual({ pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    expect(page(await history({ actor: 'otto' }, alice.key))?.edges).toEqual([]);
  });

  it('an unknown action is refused with the list of actions', async () => {
    const res = await history({ actions: ['version.linked', 'version.teleported'] }, alice.key);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('"version.teleported"');
    expect(res.errors?.[0]?.message).toContain('alias.moved');
  });

  it('pages keep the filter: keyset cursors over the matching events only', async () => {
    const first = page(await history({ first: 2, actions: ['version.linked'] }, alice.key));
    expect(brief(first)).toEqual(['admin version.linked 2', 'alice version.linked 1']);
    expect(first?.pageInfo.hasNextPage).toBe(true);
    const second = page(await history({ first: 2, after: first?.pageInfo.endCursor, actions: ['version.linked'] }, alice.key));
    expect(brief(second)).toEqual(['alice version.linked 0']);
    expect(second?.pageInfo.hasNextPage).toBe(false);
  });

  it('only those who can see the registry read it, filtered or not', async () => {
    expect(page(await history({ actions: ['version.linked'] }, otto.key))).toBeNull();
    expect(page(await history({ actor: 'alice' }, otto.key))).toBeNull();
  });

  it("a collection's history takes the same filters", async () => {
    const id = await collectionId(t, { registry: REGISTRY, collection: 'net' });
    const res = await t.gql(
      `query($id: ID!) { artifactCollection(id: $id) { artifactCollectionActions(actions: ["alias.moved"], actor: "admin") {
        edges { node { actionType versionIndex user { username } } } } } }`,
      { id },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    const actions = (res.data as { artifactCollection: { artifactCollectionActions: EventPage } }).artifactCollection
      .artifactCollectionActions;
    expect(brief(actions)).toEqual(['admin alias.moved 2']);
  });
});
