import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole, type SeededRegistry } from '../../seed/registries.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// Who may link, unlink, alias and edit, and what hostile input gets: a clear error, nothing changed.

type Json = Record<string, unknown>;
let t: TestApp;
const u: Record<'rv' | 'vw' | 'mb' | 'ad' | 'orgViewer' | 'stranger', TestUser> = {} as never;
let prod: SeededRegistry;
let secret: SeededRegistry;
const models: SourceVersion[] = [];
let dataset: SourceVersion;
let pending: SourceVersion;

function code(res: GraphQLResult): string | undefined {
  return res.errors?.[0]?.extensions?.code;
}

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

function link(key: string, artifactID: string, collection: string, aliases: string[] = [], projectName = prod.projectName) {
  return t.gql(
    sdkDocument('LinkArtifact'),
    {
      input: {
        artifactID,
        artifactPortfolioName: collection,
        entityName: ORG,
        projectName,
        aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
      },
    },
    { key },
  );
}

async function portfolioId(name: string, projectName = prod.projectName): Promise<string> {
  const row = await t.db
    .selectFrom('collections')
    .innerJoin('projects', 'projects.id', 'collections.project_id')
    .select('collections.id')
    .where('projects.name', '=', projectName)
    .where('collections.name', '=', name)
    .executeTakeFirstOrThrow();
  return Buffer.from(`ArtifactPortfolio:${row.id}`).toString('base64');
}

async function snapshot() {
  const [m, a, c, tags] = await Promise.all([
    t.db.selectFrom('memberships').select(['id', 'collection_id', 'version_index']).orderBy('id').execute(),
    t.db.selectFrom('aliases').select(['membership_id', 'alias']).orderBy('id').execute(),
    t.db.selectFrom('collections').select(['id', 'name', 'description', 'type_name']).orderBy('id').execute(),
    t.db.selectFrom('collection_tags').selectAll().orderBy('tag').execute(),
  ]);
  return { m, a, c, tags };
}

beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['rv', 'vw', 'mb', 'ad', 'stranger'] as const) u[name] = await createUser(t, { username: name, orgRole: 'member' });
  u.orgViewer = await createUser(t, { username: 'orgviewer', orgRole: 'viewer' });
  await createTeam(t, { name: 'ml', members: [u.rv, u.vw, u.mb, u.ad, u.orgViewer] });
  prod = await createRegistry(t, { name: 'prod', types: ['model'], protectedAliases: ['production'] });
  secret = await createRegistry(t, { name: 'secret', restricted: true, types: ['model'] });
  await grantRegistryRole(t, { registry: prod.name, username: u.rv.username, role: 'restricted_viewer' });
  await grantRegistryRole(t, { registry: prod.name, username: u.vw.username, role: 'viewer' });
  await grantRegistryRole(t, { registry: prod.name, username: u.mb.username, role: 'member' });
  await grantRegistryRole(t, { registry: prod.name, username: u.ad.username, role: 'admin' });
  await grantRegistryRole(t, { registry: prod.name, username: u.stranger.username, role: 'member' });
  for (let i = 0; i < 4; i++)
    models.push(await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'net', type: 'model', metadata: { i } }));
  dataset = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'data', type: 'dataset' });
  pending = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'net', type: 'model', state: 'PENDING' });
  ok(await link(ADMIN_KEY, models[0]!.id, 'net', ['production']));
  ok(await link(ADMIN_KEY, models[0]!.id, 'hidden', [], secret.projectName));
});
afterAll(() => t.close());

describe('linking: roles', () => {
  it('restricted viewers and viewers cannot link: FORBIDDEN naming the member role', async () => {
    for (const who of [u.rv, u.vw]) {
      const res = await link(who.key, models[1]!.id, 'net');
      expect(code(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message).toContain('member role');
    }
  });

  it('an org user without a grant is a viewer of an organization registry: FORBIDDEN', async () => {
    const res = await link(u.orgViewer.key, models[1]!.id, 'net');
    expect(code(res)).toBe('FORBIDDEN');
  });

  it('a registry member who cannot read the source project cannot link it (not found)', async () => {
    const res = await link(u.stranger.key, models[1]!.id, 'net');
    expect(code(res)).toBe('NOT_FOUND');
    expect(await t.db.selectFrom('memberships').where('artifact_id', '=', models[1]!.artifactId).select('id').execute()).toHaveLength(1);
  });

  it('members and admins link', async () => {
    expect((ok(await link(u.mb.key, models[1]!.id, 'net')).result as Json).versionIndex).toBe(1);
    expect((ok(await link(u.ad.key, models[2]!.id, 'net')).result as Json).versionIndex).toBe(2);
  });

  it('a restricted registry does not exist for non-members: linking is NOT_FOUND, reads are null or empty', async () => {
    const res = await link(u.mb.key, models[1]!.id, 'hidden', [], secret.projectName);
    expect(code(res)).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.message).not.toContain('member role');
    const byName = await t.gql(
      sdkDocument('ArtifactMembershipByName'),
      { entity: ORG, project: secret.projectName, name: 'hidden:v0' },
      { key: u.mb.key },
    );
    expect(ok(byName)).toEqual({ project: null });
    const versions = await t.gql(sdkDocument('RegistryVersions'), { organization: ORG, perPage: 100 }, { key: u.mb.key });
    const names = (
      ((ok(versions).organization as Json).orgEntity as Json).artifactMemberships as {
        edges: { node: { artifactCollection: { name: string } } }[];
      }
    ).edges.map((e) => e.node.artifactCollection.name);
    expect(names).not.toContain('hidden');
    expect(names).toContain('net');
    const collections = await t.gql(sdkDocument('RegistryCollections'), { organization: ORG, perPage: 100 }, { key: u.mb.key });
    const cnames = (
      ((ok(collections).organization as Json).orgEntity as Json).artifactCollections as { edges: { node: { name: string } }[] }
    ).edges.map((e) => e.node.name);
    expect(cnames).toEqual(['net']);
    const linked = await t.gql(sdkDocument('FetchLinkedArtifacts'), { artifactID: models[0]!.id }, { key: u.mb.key });
    const lnames = (
      (ok(linked).artifact as Json).artifactMemberships as { edges: { node: { artifactCollection: { name: string } } }[] }
    ).edges.map((e) => e.node.artifactCollection.name);
    expect(lnames.sort()).toEqual(['net', 'net']); // its sequence and the visible registry collection, not "hidden"
    const unlink = await t.gql(
      sdkDocument('UnlinkArtifact'),
      { input: { artifactID: models[0]!.id, artifactPortfolioID: await portfolioId('hidden', secret.projectName) } },
      { key: u.mb.key },
    );
    expect(code(unlink)).toBe('NOT_FOUND');
  });

  it('protected aliases: only registry admins add, remove, unlink or delete around them', async () => {
    const added = await link(u.mb.key, models[1]!.id, 'net', ['production']);
    expect(code(added)).toBe('FORBIDDEN');
    expect(added.errors?.[0]?.message).toContain('admin');
    const addAliases = await t.gql(
      sdkDocument('AddAliases'),
      {
        input: {
          artifactID: models[1]!.id,
          aliases: [{ alias: 'production', artifactCollectionName: 'net', entityName: ORG, projectName: prod.projectName }],
        },
      },
      { key: u.mb.key },
    );
    expect(code(addAliases)).toBe('FORBIDDEN');
    const delAliases = await t.gql(
      sdkDocument('DeleteAliases'),
      {
        input: {
          artifactID: models[0]!.id,
          aliases: [{ alias: 'production', artifactCollectionName: 'net', entityName: ORG, projectName: prod.projectName }],
        },
      },
      { key: u.mb.key },
    );
    expect(code(delAliases)).toBe('FORBIDDEN');
    const unlink = await t.gql(
      sdkDocument('UnlinkArtifact'),
      { input: { artifactID: models[0]!.id, artifactPortfolioID: await portfolioId('net') } },
      { key: u.mb.key },
    );
    expect(code(unlink)).toBe('FORBIDDEN');
    const del = await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id: await portfolioId('net') }, { key: u.mb.key });
    expect(code(del)).toBe('FORBIDDEN');
    // Non-protected aliases are fine for members; protected ones for admins.
    const mbAdd = await t.gql(
      sdkDocument('AddAliases'),
      {
        input: {
          artifactID: models[1]!.id,
          aliases: [{ alias: 'candidate', artifactCollectionName: 'net', entityName: ORG, projectName: prod.projectName }],
        },
      },
      { key: u.mb.key },
    );
    expect(ok(mbAdd)).toEqual({ result: { success: true } });
    expect(ok(await link(u.ad.key, models[1]!.id, 'net', ['production'])).result).toMatchObject({ versionIndex: 1 });
  });

  it('viewers cannot unlink, alias, tag, edit or delete', async () => {
    const id = await portfolioId('net');
    const before = await snapshot();
    const results = [
      await t.gql(sdkDocument('UnlinkArtifact'), { input: { artifactID: models[2]!.id, artifactPortfolioID: id } }, { key: u.vw.key }),
      await t.gql(
        sdkDocument('AddAliases'),
        {
          input: {
            artifactID: models[2]!.id,
            aliases: [{ alias: 'x', artifactCollectionName: 'net', entityName: ORG, projectName: prod.projectName }],
          },
        },
        { key: u.vw.key },
      ),
      await t.gql(sdkDocument('UpdateArtifactPortfolio'), { input: { artifactPortfolioID: id, description: 'mine' } }, { key: u.vw.key }),
      await t.gql(
        sdkDocument('AddArtifactCollectionTags'),
        { input: { entityName: ORG, projectName: prod.projectName, artifactCollectionName: 'net', tags: [{ tagName: 'x' }] } },
        { key: u.rv.key },
      ),
      await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id }, { key: u.vw.key }),
    ];
    for (const res of results) expect(code(res)).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  it('members unlink (latest moves back) and edit; admins delete a collection with a protected alias', async () => {
    const id = await portfolioId('net');
    ok(await t.gql(sdkDocument('UnlinkArtifact'), { input: { artifactID: models[2]!.id, artifactPortfolioID: id } }, { key: u.mb.key }));
    const latest = await t.gql(
      sdkDocument('ArtifactMembershipByName'),
      { entity: ORG, project: prod.projectName, name: 'net:latest' },
      { key: u.mb.key },
    );
    expect((ok(latest).project as Json).artifactCollectionMembership).toMatchObject({ versionIndex: 1 });
    const updated = await t.gql(
      sdkDocument('UpdateArtifactPortfolio'),
      { input: { artifactPortfolioID: id, description: '# Net\nThe model card.' } },
      { key: u.mb.key },
    );
    expect((ok(updated).result as Json).artifactCollection).toMatchObject({
      __typename: 'ArtifactPortfolio',
      name: 'net',
      description: '# Net\nThe model card.',
    });
    const del = await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id }, { key: u.ad.key });
    expect(ok(del)).toEqual({ result: { artifactCollection: { __typename: 'ArtifactPortfolio', state: 'DELETED' } } });
  });
});

describe('linking: rules on the version and the collection', () => {
  it('a type the registry does not accept is BAD_USER_INPUT naming the accepted types', async () => {
    const res = await link(u.ad.key, dataset.id, 'data');
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('"model"');
  });

  it('a collection keeps its type', async () => {
    const any = await createRegistry(t, { name: 'any' });
    ok(await link(ADMIN_KEY, models[3]!.id, 'mixed', [], any.projectName));
    const res = await link(ADMIN_KEY, dataset.id, 'mixed', [], any.projectName);
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('"model"');
  });

  it('pending versions cannot be linked', async () => {
    expect(code(await link(ADMIN_KEY, pending.id, 'net2'))).toBe('BAD_USER_INPUT');
  });
});

describe('hostile input gets BAD_USER_INPUT and changes nothing', () => {
  it('bad aliases, names and ids', async () => {
    const before = await snapshot();
    const cases = [
      await link(ADMIN_KEY, models[3]!.id, 'net3', ['a/b']),
      await link(ADMIN_KEY, models[3]!.id, 'net3', ['a:b']),
      await link(ADMIN_KEY, models[3]!.id, 'net3', ['x'.repeat(129)]),
      await link(ADMIN_KEY, models[3]!.id, 'net3', ['v7']),
      await link(ADMIN_KEY, models[3]!.id, 'net/3'),
      await link(ADMIN_KEY, models[3]!.id, "net'; drop table users; --"),
      await link(ADMIN_KEY, 'not-an-id', 'net3'),
      await link(ADMIN_KEY, Buffer.from('Project:1').toString('base64'), 'net3'),
      await t.gql(sdkDocument('LinkArtifact'), {
        input: {
          artifactID: models[3]!.id,
          artifactPortfolioName: 'net3',
          entityName: ORG,
          projectName: prod.projectName,
          aliases: [{ alias: 'ok', artifactCollectionName: 'other' }],
        },
      }),
      await t.gql(sdkDocument('UnlinkArtifact'), { input: { artifactID: '%%%', artifactPortfolioID: '%%%' } }),
      await t.gql(sdkDocument('AddAliases'), {
        input: {
          artifactID: models[0]!.id,
          aliases: [{ alias: 'a:b', artifactCollectionName: 'net', entityName: ORG, projectName: prod.projectName }],
        },
      }),
      await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id: 'QXJ0aWZhY3RQb3J0Zm9saW86eA==' }),
      await t.gql(sdkDocument('UpdateArtifactPortfolio'), { input: { artifactPortfolioID: 'bad', name: 'x' } }),
    ];
    for (const res of cases) {
      expect(code(res), JSON.stringify(res.errors)).toBe('BAD_USER_INPUT');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('unknown filter operators and fields, bad metadata paths, bad cursors and orders', async () => {
    const query = (vars: Json) => t.gql(sdkDocument('RegistryVersions'), { organization: ORG, perPage: 10, ...vars });
    for (const vars of [
      { artifactFilter: JSON.stringify({ alias: { $where: 'x' } }) },
      { artifactFilter: JSON.stringify({ password_hash: 'x' }) },
      { artifactFilter: JSON.stringify({ 'metadata.a;drop': 1 }) },
      { artifactFilter: JSON.stringify({ 'metadata.a': { $gt: { nested: 1 } } }) },
      { artifactFilter: '{not json' },
      { collectionFilter: JSON.stringify({ $where: 'true' }) },
      { registryFilter: JSON.stringify({ name: { $regex: 5 } }) },
      { cursor: 'garbage' },
      { order: 'name; drop table users' },
      { perPage: 100000 },
    ]) {
      const res = await query(vars);
      expect(code(res), JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });

  it('SQL in filter values is only ever a value', async () => {
    const res = await t.gql(sdkDocument('RegistryVersions'), {
      organization: ORG,
      artifactFilter: JSON.stringify({ alias: "x' or '1'='1", 'metadata.i': '1; drop table users' }),
    });
    expect((((ok(res).organization as Json).orgEntity as Json).artifactMemberships as { edges: unknown[] }).edges).toEqual([]);
    expect(await t.db.selectFrom('users').select('id').execute()).not.toHaveLength(0);
  });
});

describe('createArtifactPortfolio (web app)', () => {
  const create = (key: string, input: Json) =>
    t.gql(
      `mutation Create($input: CreateArtifactPortfolioInput!) { createArtifactPortfolio(input: $input) { artifactCollection { __typename name description tags { edges { node { name } } } type: defaultArtifactType { name } } } }`,
      { input: { projectId: prod.id, ...input } },
      { key },
    );

  it('members create a collection of an accepted type with tags', async () => {
    const res = await create(u.mb.key, { name: 'detector', type: 'model', description: 'Finds things.', tags: ['vision', 'v2 candidate'] });
    expect((ok(res).createArtifactPortfolio as Json).artifactCollection).toEqual({
      __typename: 'ArtifactPortfolio',
      name: 'detector',
      description: 'Finds things.',
      type: { name: 'model' },
      tags: { edges: [{ node: { name: 'v2 candidate' } }, { node: { name: 'vision' } }] },
    });
  });

  it('refuses viewers, other types, duplicate and bad names', async () => {
    expect(code(await create(u.vw.key, { name: 'x1', type: 'model' }))).toBe('FORBIDDEN');
    const wrongType = await create(u.mb.key, { name: 'x2', type: 'dataset' });
    expect(code(wrongType)).toBe('BAD_USER_INPUT');
    expect(wrongType.errors?.[0]?.message).toContain('"model"');
    expect(code(await create(u.mb.key, { name: 'detector', type: 'model' }))).toBe('CONFLICT');
    expect(code(await create(u.mb.key, { name: 'a/b', type: 'model' }))).toBe('BAD_USER_INPUT');
    expect(code(await create(u.mb.key, { name: 'ok-name', type: 'model', tags: ['bad/tag'] }))).toBe('BAD_USER_INPUT');
    const hidden = await t.gql(
      `mutation Create($input: CreateArtifactPortfolioInput!) { createArtifactPortfolio(input: $input) { artifactCollection { name } } }`,
      { input: { projectId: secret.id, name: 'x3', type: 'model' } },
      { key: u.mb.key },
    );
    expect(code(hidden)).toBe('NOT_FOUND');
  });
});
