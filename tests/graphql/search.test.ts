import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { addCollectionTags, createCollection, linkVersion } from '../../seed/collections.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole } from '../../seed/registries.js';
import { createSourceVersion } from '../../seed/versions.js';

// The home page's search (Entity.registrySearch): grouped results, only in registries the viewer can
// see, LIKE's wildcards taken literally, a capped query length and a limit per group.

let t: TestApp;
let outsider: TestUser;
let insider: TestUser;
let statements: string[] | undefined;

const SEARCH = `query Search($org: String!, $q: String!, $first: Int) {
  entity(name: $org) {
    registrySearch(query: $q, first: $first) {
      query
      registries { hasMore nodes { name } }
      collections { hasMore nodes { name project { name } } }
      tags { hasMore nodes { tag collection { name } } }
      aliases { hasMore nodes { alias version { version artifactCollection { name project { name } } } } }
      versions { hasMore nodes { version aliases { alias } artifactCollection { name } } }
    }
  }
}`;

interface Named {
  name: string;
  project?: { name: string };
}
interface Version {
  version: string;
  aliases?: { alias: string }[];
  artifactCollection: Named;
}
interface Groups {
  query: string;
  registries: { hasMore: boolean; nodes: Named[] };
  collections: { hasMore: boolean; nodes: Named[] };
  tags: { hasMore: boolean; nodes: { tag: string; collection: Named }[] };
  aliases: { hasMore: boolean; nodes: { alias: string; version: Version }[] };
  versions: { hasMore: boolean; nodes: Version[] };
}

async function search(q: string, options: { key?: string; first?: number } = {}): Promise<GraphQLResult> {
  return t.gql(SEARCH, { org: ORG, q, first: options.first }, options.key ? { key: options.key } : {});
}

async function groups(q: string, options: { key?: string; first?: number } = {}): Promise<Groups> {
  const res = await search(q, options);
  expect(res.errors).toBeUndefined();
  return (res.data as { entity: { registrySearch: Groups } }).entity.registrySearch;
}

const collectionNames = (g: Groups) => g.collections.nodes.map((c) => c.name);
const versionNames = (nodes: Version[]) => nodes.map((v) => `${v.artifactCollection.name}:${v.version}`);

beforeAll(async () => {
  t = await createTestApp({ onQuery: (sql) => statements?.push(sql) });
  await createTeam(t, { name: 'search-team', members: [] });
  const version = (name: string) => createSourceVersion(t, { entity: 'search-team', project: 'train', name, type: 'model' });
  const [a0, a1, b0, h0] = [await version('net-a'), await version('net-a'), await version('net-b'), await version('net-h')];
  // The core "model" registry, visible to the whole organization.
  await linkVersion(t, { artifactId: a0.id, registry: 'model', collection: 'resnet-alpha', aliases: ['production'] });
  await linkVersion(t, { artifactId: a1.id, registry: 'model', collection: 'resnet-alpha', aliases: ['candidate'] });
  await linkVersion(t, { artifactId: b0.id, registry: 'model', collection: 'bert-base', aliases: ['staging'] });
  await addCollectionTags(t, { registry: 'model', collection: 'resnet-alpha', tags: ['vision'] });
  await createCollection(t, { registry: 'model', name: 'net_x', description: 'An underscore in its name.' });
  await createCollection(t, { registry: 'model', name: 'netax' });
  for (let i = 0; i < 12; i++) await createCollection(t, { registry: 'model', name: `many-${String(i).padStart(2, '0')}` });
  // A restricted registry: its members and org admins see it, nobody else.
  await createRegistry(t, { name: 'secret-lab', restricted: true, types: ['model'], description: 'Hidden work' });
  await linkVersion(t, { artifactId: h0.id, registry: 'secret-lab', collection: 'resnet-hidden', aliases: ['production'] });
  await addCollectionTags(t, { registry: 'secret-lab', collection: 'resnet-hidden', tags: ['vision'] });
  outsider = await createUser(t, { username: 'search-outsider' });
  insider = await createUser(t, { username: 'search-insider' });
  await grantRegistryRole(t, { registry: 'secret-lab', role: 'viewer', username: insider.username });
});
afterAll(() => t.close());

describe('groups', () => {
  it('answers collections, tags, aliases and versions, each linked to its collection and registry', async () => {
    const byName = await groups('resnet', { key: outsider.key });
    expect(collectionNames(byName)).toEqual(['resnet-alpha']);
    expect(byName.collections.nodes[0]!.project!.name).toBe('wandb-registry-model');

    const byTag = await groups('VIS', { key: outsider.key });
    expect(byTag.tags.nodes).toEqual([{ tag: 'vision', collection: { name: 'resnet-alpha' } }]);

    const byAlias = await groups('product', { key: outsider.key });
    expect(byAlias.aliases.nodes.map((n) => n.alias)).toEqual(['production']);
    expect(versionNames(byAlias.aliases.nodes.map((n) => n.version))).toEqual(['resnet-alpha:v0']);
    expect(byAlias.aliases.nodes[0]!.version.artifactCollection.project!.name).toBe('wandb-registry-model');

    expect(versionNames((await groups('v1')).versions.nodes)).toEqual(['resnet-alpha:v1']);
    expect(versionNames((await groups('v0')).versions.nodes)).toEqual(['bert-base:v0', 'resnet-alpha:v0', 'resnet-hidden:v0']);
    const within = await groups('alpha v0');
    expect(versionNames(within.versions.nodes)).toEqual(['resnet-alpha:v0']);
    expect(within.versions.nodes[0]!.aliases!.map((a) => a.alias).sort()).toEqual(['production']);
    expect(versionNames((await groups('bert:v0')).versions.nodes)).toEqual(['bert-base:v0']);

    const registries = await groups('secret');
    expect(registries.registries.nodes.map((r) => r.name)).toEqual(['wandb-registry-secret-lab']);
    expect((await groups('Hidden work')).registries.nodes.map((r) => r.name)).toEqual(['wandb-registry-secret-lab']);
  });

  it('puts exact and leading matches first', async () => {
    const names = collectionNames(await groups('net'));
    // "_" sorts before or after letters by the database's collation: the two leading matches in any order.
    expect(names.slice(0, 2).sort()).toEqual(['net_x', 'netax']);
    expect(names.slice(2)).toEqual(['resnet-alpha', 'resnet-hidden']);
    expect(collectionNames(await groups('NETAX'))).toEqual(['netax']);
  });

  it('answers empty groups for an empty query, without reading', async () => {
    const blank = await groups('   ');
    expect(blank).toEqual({
      query: '',
      registries: { hasMore: false, nodes: [] },
      collections: { hasMore: false, nodes: [] },
      tags: { hasMore: false, nodes: [] },
      aliases: { hasMore: false, nodes: [] },
      versions: { hasMore: false, nodes: [] },
    });
  });
});

describe('who sees what', () => {
  it("keeps a restricted registry's collections, tags and aliases from a non-member", async () => {
    const found = await groups('resnet', { key: outsider.key });
    expect(collectionNames(found)).not.toContain('resnet-hidden');
    expect((await groups('vision', { key: outsider.key })).tags.nodes.map((n) => n.collection.name)).toEqual(['resnet-alpha']);
    expect(versionNames((await groups('production', { key: outsider.key })).aliases.nodes.map((n) => n.version))).toEqual([
      'resnet-alpha:v0',
    ]);
    expect(versionNames((await groups('v0', { key: outsider.key })).versions.nodes)).not.toContain('resnet-hidden:v0');
    expect((await groups('secret', { key: outsider.key })).registries.nodes).toEqual([]);
  });

  it('shows them to a member and to org admins', async () => {
    for (const key of [insider.key, undefined]) {
      expect(collectionNames(await groups('resnet', { key }))).toEqual(['resnet-alpha', 'resnet-hidden']);
      const aliases = await groups('production', { key });
      expect(versionNames(aliases.aliases.nodes.map((n) => n.version))).toEqual(['resnet-alpha:v0', 'resnet-hidden:v0']);
      expect(aliases.aliases.nodes[1]!.version.artifactCollection.project!.name).toBe('wandb-registry-secret-lab');
    }
  });

  it('answers null on any entity but the organization, and to anonymous callers', async () => {
    const team = await t.gql(SEARCH, { org: 'search-team', q: 'resnet' });
    expect(team.errors).toBeUndefined();
    expect((team.data as { entity: { registrySearch: unknown } }).entity.registrySearch).toBeNull();
    const anonymous = await t.gql(SEARCH, { org: ORG, q: 'resnet' }, { key: null });
    expect(anonymous.errors).toBeUndefined();
  });
});

describe('cost', () => {
  it('reads every group in one statement, besides the caller', async () => {
    for (const key of [outsider.key, undefined]) {
      statements = [];
      await groups('resnet v0', { key });
      const count = statements.length;
      statements = undefined;
      // The caller (API key, user, organization) and the search.
      expect(count).toBe(2);
    }
  });
});

describe('input', () => {
  it('takes %, _ and \\ literally', async () => {
    expect(collectionNames(await groups('%'))).toEqual([]);
    expect(collectionNames(await groups('\\'))).toEqual([]);
    expect(collectionNames(await groups('net_x'))).toEqual(['net_x']);
    expect(collectionNames(await groups('n%x'))).toEqual([]);
  });

  it('refuses characters the database cannot hold, clearly', async () => {
    for (const q of ['a\u0000b', 'x\ud800']) expect((await search(q)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a query longer than 200 characters', async () => {
    expect((await groups('x'.repeat(200))).collections.nodes).toEqual([]);
    const res = await search('x'.repeat(201));
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toBe('A search is at most 200 characters long; this one has 201.');
  });

  it('limits each group and says when more matched', async () => {
    const ten = await groups('many');
    expect(ten.collections.nodes).toHaveLength(10);
    expect(ten.collections.hasMore).toBe(true);
    expect(collectionNames(ten)[0]).toBe('many-00');
    const all = await groups('many', { first: 12 });
    expect(all.collections.nodes).toHaveLength(12);
    expect(all.collections.hasMore).toBe(false);
    const refused = await search('many', { first: 51 });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
