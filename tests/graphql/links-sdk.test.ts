import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { logArtifact } from '../../seed/sdk-logging.js';
import { allSdkOperations, sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// The SDK's linking sequences, replayed with its exact documents: link with aliases, link again,
// read by name and alias, filter, move an alias, unlink, delete the registry collection.

let t: TestApp;
let alice: TestUser;
const versions: SourceVersion[] = [];
const REGISTRY = 'wandb-registry-model';
const GO_LINK = allSdkOperations.filter((op) => op.name === 'LinkArtifact').at(-1)?.document ?? '';

type Json = Record<string, unknown>;

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

function link(artifactID: string, collection: string, aliases: string[] = [], key = ADMIN_KEY) {
  return t.gql(
    sdkDocument('LinkArtifact'),
    {
      input: {
        artifactID,
        artifactPortfolioName: collection,
        entityName: ORG,
        projectName: REGISTRY,
        aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
      },
    },
    { key },
  );
}

async function byName(name: string, key = ADMIN_KEY) {
  const res = await t.gql(sdkDocument('ArtifactMembershipByName'), { entity: ORG, project: REGISTRY, name, includeAliases: true }, { key });
  return (ok(res).project as { artifactCollectionMembership: Json | null }).artifactCollectionMembership;
}

function aliasesOf(membership: Json | null): string[] {
  return ((membership?.aliases ?? []) as { alias: string }[]).map((a) => a.alias).sort();
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  await createTeam(t, { name: 'ml', members: [alice] });
  for (const accuracy of [0.8, 0.9, 0.95]) {
    versions.push(
      await createSourceVersion(t, {
        entity: 'ml',
        project: 'train',
        name: 'resnet',
        type: 'model',
        metadata: { accuracy, framework: 'torch', nested: { depth: accuracy * 100 } },
      }),
    );
  }
});
afterAll(() => t.close());

describe('linking with the SDK documents', () => {
  it('LinkArtifact (Python SDK) links v0 with aliases and returns the linked version', async () => {
    const data = ok(await link(versions[0]!.id, 'resnet', ['staging']));
    const result = data.result as { versionIndex: number; artifactMembership: Json };
    expect(result.versionIndex).toBe(0);
    expect(result.artifactMembership).toMatchObject({
      __typename: 'ArtifactCollectionMembership',
      versionIndex: 0,
      artifactCollection: { __typename: 'ArtifactPortfolio', name: 'resnet', project: { name: REGISTRY, entity: { name: ORG } } },
      artifact: { id: versions[0]!.id, versionIndex: 0, artifactSequence: { name: 'resnet', project: { name: 'train' } } },
    });
    expect(aliasesOf(result.artifactMembership)).toEqual(['latest', 'staging']);
  });

  it('linking the same version again returns the same linked version and adds the new alias', async () => {
    const data = ok(await link(versions[0]!.id, 'resnet', ['candidate']));
    const result = data.result as { versionIndex: number; artifactMembership: Json };
    expect(result.versionIndex).toBe(0);
    expect(aliasesOf(result.artifactMembership)).toEqual(['candidate', 'latest', 'staging']);
    const rows = await t.db.selectFrom('memberships').selectAll().where('artifact_id', '=', versions[0]!.artifactId).execute();
    expect(rows).toHaveLength(2); // its own sequence and the registry collection, once each
  });

  it('LinkArtifact (Go sidecar) links v1 and v2 as v1 and v2; latest follows', async () => {
    for (const [i, v] of [versions[1]!, versions[2]!].entries()) {
      const res = await t.gql(GO_LINK, {
        artifactPortfolioName: 'resnet',
        entityName: ORG,
        projectName: REGISTRY,
        artifactId: v.id,
        aliases: [],
      });
      expect(ok(res)).toEqual({ linkArtifact: { versionIndex: i + 1 } });
    }
    expect((await byName('resnet:latest'))?.versionIndex).toBe(2);
  });

  it('ArtifactMembershipByName finds coll:v0 and coll:latest, and null for unknown versions', async () => {
    const v0 = await byName('resnet:v0');
    expect(v0).toMatchObject({ versionIndex: 0, artifactCollection: { name: 'resnet' }, artifact: { id: versions[0]!.id } });
    expect(aliasesOf(v0)).toEqual(['candidate', 'staging']);
    expect(await byName('resnet:staging')).toMatchObject({ versionIndex: 0 });
    expect(await byName('resnet')).toMatchObject({ versionIndex: 2 });
    expect(await byName('resnet:v9')).toBeNull();
    expect(await byName(':v0')).toBeNull();
    expect(await byName('nope:v0')).toBeNull();
  });

  it('ProjectArtifacts lists the collection versions, filtered by alias and by metadata', async () => {
    const run = async (filters?: Json, order?: string) => {
      const res = await t.gql(sdkDocument('ProjectArtifacts'), {
        entity: ORG,
        project: REGISTRY,
        type: 'model',
        collection: 'resnet',
        perPage: 50,
        filters: filters ? JSON.stringify(filters) : undefined,
        order,
      });
      const conn = (((ok(res).project as Json).artifactType as Json).artifactCollection as Json).artifacts as {
        totalCount: number;
        edges: { version: string; node: { id: string } }[];
      };
      return conn;
    };
    const all = await run();
    expect(all.totalCount).toBe(3);
    expect(all.edges.map((e) => e.version)).toEqual(['v2', 'v1', 'v0']);
    expect((await run({ alias: 'staging' })).edges.map((e) => e.node.id)).toEqual([versions[0]!.id]);
    expect((await run({ 'metadata.accuracy': { $gt: 0.85 } }, '+version')).edges.map((e) => e.version)).toEqual(['v1', 'v2']);
    expect((await run({ 'metadata.nested.depth': 80 })).edges.map((e) => e.version)).toEqual(['v0']);
    expect((await run({ $or: [{ version: 'v0' }, { alias: 'latest' }] })).edges.map((e) => e.version)).toEqual(['v2', 'v0']);
  });

  it('RegistryVersions searches linked versions of visible registries with all three filter levels', async () => {
    const run = async (vars: Json) => {
      const res = await t.gql(sdkDocument('RegistryVersions'), { organization: ORG, perPage: 50, ...vars });
      return ((ok(res).organization as Json).orgEntity as { artifactMemberships: { edges: { node: Json }[]; pageInfo: Json } })
        .artifactMemberships;
    };
    expect((await run({})).edges).toHaveLength(3);
    const staged = await run({
      registryFilter: JSON.stringify({ name: 'model' }),
      collectionFilter: JSON.stringify({ name: 'resnet' }),
      artifactFilter: JSON.stringify({ alias: 'staging' }),
    });
    expect(staged.edges.map((e) => e.node.versionIndex)).toEqual([0]);
    const accurate = await run({
      artifactFilter: JSON.stringify({ 'metadata.accuracy': { $gte: 0.9 }, 'metadata.framework': 'torch' }),
      order: '+version',
    });
    expect(accurate.edges.map((e) => e.node.versionIndex)).toEqual([1, 2]);
    expect((await run({ registryFilter: JSON.stringify({ name: 'dataset' }) })).edges).toEqual([]);
    // Pages: a cursor continues where the page ended.
    const first = await run({ perPage: 2, order: '+version' });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true });
    const second = await run({ perPage: 2, order: '+version', cursor: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.versionIndex)).toEqual([2]);
  });

  it('RegistryCollections lists the registry collections with totalCount', async () => {
    const res = await t.gql(sdkDocument('RegistryCollections'), {
      organization: ORG,
      perPage: 10,
      collectionFilter: JSON.stringify({ name: { $regex: '^res' } }),
    });
    const conn = ((ok(res).organization as Json).orgEntity as { artifactCollections: { totalCount: number; edges: { node: Json }[] } })
      .artifactCollections;
    expect(conn.totalCount).toBe(1);
    expect(conn.edges[0]?.node).toMatchObject({
      __typename: 'ArtifactPortfolio',
      name: 'resnet',
      type: { name: 'model' },
      project: { name: REGISTRY },
    });
  });

  it('FetchLinkedArtifacts shows every collection a source version is in', async () => {
    const res = await t.gql(sdkDocument('FetchLinkedArtifacts'), { artifactID: versions[0]!.id });
    const edges = ((ok(res).artifact as Json).artifactMemberships as { edges: { node: Json }[] }).edges;
    const portfolio = edges.find((e) => (e.node.artifactCollection as Json).__typename === 'ArtifactPortfolio');
    expect(portfolio?.node).toMatchObject({ versionIndex: 0, artifactCollection: { name: 'resnet', project: { name: REGISTRY } } });
  });

  it('AddAliases moves an alias to another version and records the move', async () => {
    const res = await t.gql(sdkDocument('AddAliases'), {
      input: {
        artifactID: versions[1]!.id,
        aliases: [{ alias: 'staging', artifactCollectionName: 'resnet', entityName: ORG, projectName: REGISTRY }],
      },
    });
    expect(ok(res)).toEqual({ result: { success: true } });
    expect(await byName('resnet:staging')).toMatchObject({ versionIndex: 1 });
    const history = await t.gql(
      `query($id: ID!) { artifactCollection(id: $id) { artifactCollectionActions { edges { node { actionType alias versionIndex before after user { username } } } } } }`,
      { id: await collectionId('resnet') },
    );
    const actions = ((ok(history).artifactCollection as Json).artifactCollectionActions as { edges: { node: Json }[] }).edges.map(
      (e) => e.node,
    );
    expect(actions[0]).toMatchObject({
      actionType: 'alias.moved',
      alias: 'staging',
      versionIndex: 1,
      before: { alias: 'staging', versionIndex: 0 },
      after: { alias: 'staging', versionIndex: 1 },
      user: { username: 'admin' },
    });
    expect(actions.filter((a) => a.actionType === 'version.linked')).toHaveLength(3);
  });

  it('DeleteAliases removes an alias; latest cannot be removed by hand', async () => {
    const del = (alias: string) =>
      t.gql(sdkDocument('DeleteAliases'), {
        input: {
          artifactID: versions[0]!.id,
          aliases: [{ alias, artifactCollectionName: 'resnet', entityName: ORG, projectName: REGISTRY }],
        },
      });
    expect(ok(await del('candidate'))).toEqual({ result: { success: true } });
    expect(aliasesOf(await byName('resnet:v0'))).toEqual([]);
    const latest = await t.gql(sdkDocument('DeleteAliases'), {
      input: {
        artifactID: versions[2]!.id,
        aliases: [{ alias: 'latest', artifactCollectionName: 'resnet', entityName: ORG, projectName: REGISTRY }],
      },
    });
    expect(latest.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(aliasesOf(await byName('resnet:v2'))).toEqual(['latest']);
  });

  it('ArtifactCollectionAliases lists the collection aliases', async () => {
    const res = await t.gql(sdkDocument('ArtifactCollectionAliases'), { id: await collectionId('resnet') });
    const edges = ((ok(res).artifactCollection as Json).aliases as { edges: { node: { alias: string } }[] }).edges;
    expect(edges.map((e) => e.node.alias).sort()).toEqual(['latest', 'staging']);
  });

  it('UnlinkArtifact removes the newest version and latest moves back', async () => {
    const res = await t.gql(sdkDocument('UnlinkArtifact'), {
      input: { artifactID: versions[2]!.id, artifactPortfolioID: await collectionId('resnet') },
    });
    expect(ok(res)).toEqual({ result: { success: true } });
    expect(await byName('resnet:v2')).toBeNull();
    expect(await byName('resnet:latest')).toMatchObject({ versionIndex: 1 });
    // The next link takes a new index: indices are never reused.
    expect(ok(await link(versions[2]!.id, 'resnet')).result).toMatchObject({ versionIndex: 3 });
  });

  it('DeleteArtifactSequence is refused while its versions are linked, listing the links', async () => {
    const res = await t.gql(sdkDocument('DeleteArtifactSequence'), {
      id: Buffer.from(`ArtifactSequence:${versions[0]!.sequenceId}`).toString('base64'),
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(res.errors?.[0]?.message).toContain(`${REGISTRY}/resnet:v0`);
  });

  it('DeleteArtifactPortfolio deletes the registry collection; the source versions stay', async () => {
    const res = await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id: await collectionId('resnet') });
    expect(ok(res)).toEqual({ result: { artifactCollection: { __typename: 'ArtifactPortfolio', state: 'DELETED' } } });
    expect(await byName('resnet:v0')).toBeNull();
    const source = await t.gql(sdkDocument('ArtifactByID'), { id: versions[0]!.id });
    expect(ok(source).artifact).toMatchObject({ id: versions[0]!.id, versionIndex: 0, state: 'COMMITTED' });
  });

  it('the whole SDK path: log a version with the logging documents, link it, read its files through the registry', async () => {
    const logged = await logArtifact(t, {
      entity: 'ml',
      project: 'train',
      name: 'tokenizer',
      type: 'model',
      files: { 'vocab.txt': 'a b c' },
      metadata: { lang: 'en' },
      key: alice.key,
    });
    const data = ok(await link(logged.artifactId, 'tokenizer', ['production']));
    expect(data.result).toMatchObject({
      versionIndex: 0,
      artifactMembership: { artifact: { id: logged.artifactId, metadata: JSON.stringify({ lang: 'en' }) } },
    });
    const files = await t.gql(sdkDocument('ArtifactMembershipFiles'), {
      entity: ORG,
      project: REGISTRY,
      collection: 'tokenizer',
      alias: 'production',
    });
    const edges = (
      ((ok(files).project as Json).artifactCollection as Json).artifactMembership as {
        files: { edges: { node: { name: string; directUrl: string } }[] };
      }
    ).files.edges;
    expect(edges.map((e) => e.node.name)).toEqual(['vocab.txt']);
    const url = new URL(edges[0]!.node.directUrl, 'http://registry.test');
    const download = await t.request(url.pathname + url.search);
    expect(await download.text()).toBe('a b c');
  });

  it('a page of 50 linked versions costs a constant number of SQL statements', async () => {
    for (let i = 0; i < 12; i++) {
      const v = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'bulk', type: 'model', metadata: { i } });
      ok(await link(v.id, 'bulk', [`tag-${i}`]));
    }
    let count = 0;
    // Counted on results: a subquery is transformed on its own but runs inside its statement.
    const counter: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        count += 1;
        return args.result;
      },
    };
    const app = createApp(t.db.withPlugin(counter), { maxBodyBytes: 1024 * 1024, webDir: path.resolve(import.meta.dirname, '../../dist') });
    const send = async (perPage: number, document = 'RegistryVersions') => {
      count = 0;
      const response = await app.fetch(
        new Request('http://registry.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`api:${ADMIN_KEY}`).toString('base64')}` },
          body: JSON.stringify({ query: sdkDocument(document), variables: { organization: ORG, perPage, includeAliases: true } }),
        }),
      );
      const body = (await response.json()) as GraphQLResult;
      expect(body.errors).toBeUndefined();
      return count;
    };
    // Per request: the API key lookup (with the organization and its entity) and the page (one
    // statement with its collections, projects, owners, aliases, artifacts and their tags), under
    // DESIGN.md's 3.
    const few = await send(2);
    expect(few).toBe(2);
    expect(await send(50)).toBe(few);
    for (let i = 0; i < 6; i++) {
      const v = await createSourceVersion(t, { entity: 'ml', project: 'train', name: `c${i}`, type: 'model' });
      ok(await link(v.id, `c${i}`));
    }
    // Collections: the page brings its tags and totalCount in the same statement.
    const fewCollections = await send(2, 'RegistryCollections');
    expect(fewCollections).toBe(2);
    expect(await send(50, 'RegistryCollections')).toBe(fewCollections);
  });
});

async function collectionId(name: string): Promise<string> {
  const res = await t.gql(sdkDocument('ProjectArtifactCollection'), { entity: ORG, project: REGISTRY, type: 'model', name });
  return (((ok(res).project as Json).artifactType as Json).artifactCollection as Json).id as string;
}
