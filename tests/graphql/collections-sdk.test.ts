import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion } from '../../seed/versions.js';

// A team project's collections (ArtifactSequence) through the SDK's documents: listing, filtering,
// paging, reading one, renaming, retyping, tagging and deleting.

type Json = Record<string, unknown>;
let t: TestApp;
let member: TestUser;
let outsider: TestUser;
const sequenceIds: Record<string, string> = {};

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

function code(res: GraphQLResult): string | undefined {
  return res.errors?.[0]?.extensions?.code;
}

async function list(vars: Json = {}, key?: string) {
  const res = await t.gql(sdkDocument('ProjectArtifactCollections'), { entity: 'ml', project: 'train', perPage: 50, ...vars }, { key });
  const project = ok(res).project as { artifactCollections: { totalCount: number; pageInfo: Json; edges: { node: Json }[] } } | null;
  return project?.artifactCollections ?? null;
}

const tagInput = (name: string, tags: string[]) => ({
  input: { entityName: 'ml', projectName: 'train', artifactCollectionName: name, tags: tags.map((tagName) => ({ tagName })) },
});

beforeAll(async () => {
  t = await createTestApp();
  member = await createUser(t, { username: 'maria', orgRole: 'member' });
  outsider = await createUser(t, { username: 'otto', orgRole: 'member' });
  await createTeam(t, { name: 'ml', members: [member] });
  for (const [name, type] of [
    ['resnet', 'model'],
    ['vit', 'model'],
    ['imagenet', 'dataset'],
    ['cifar', 'dataset'],
    ['bert', 'model'],
  ] as const) {
    const v = await createSourceVersion(t, { entity: 'ml', project: 'train', name, type });
    sequenceIds[name] = Buffer.from(`ArtifactSequence:${v.sequenceId}`).toString('base64');
  }
});
afterAll(() => t.close());

describe('team project collections with the SDK documents', () => {
  it('ProjectArtifactCollections lists every collection with totalCount, type and project', async () => {
    const conn = await list({ order: '+name' }, member.key);
    expect(conn?.totalCount).toBe(5);
    expect(conn?.edges.map((e) => e.node.name)).toEqual(['bert', 'cifar', 'imagenet', 'resnet', 'vit']);
    expect(conn?.edges[0]?.node).toMatchObject({
      __typename: 'ArtifactSequence',
      type: { name: 'model' },
      project: { name: 'train', entity: { name: 'ml' } },
      tags: { edges: [] },
    });
  });

  it('pages with keyset cursors that survive inserts', async () => {
    const first = await list({ perPage: 2, order: '+name' });
    expect(first?.edges.map((e) => e.node.name)).toEqual(['bert', 'cifar']);
    expect(first?.pageInfo).toMatchObject({ hasNextPage: true });
    await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'alexnet', type: 'model' });
    const second = await list({ perPage: 2, order: '+name', cursor: first?.pageInfo.endCursor });
    expect(second?.edges.map((e) => e.node.name)).toEqual(['imagenet', 'resnet']);
    expect(second?.totalCount).toBe(6);
  });

  it('ArtifactTypeArtifactCollections lists one type, filtered', async () => {
    const res = await t.gql(sdkDocument('ArtifactTypeArtifactCollections'), {
      entity: 'ml',
      project: 'train',
      type: 'dataset',
      perPage: 10,
      filters: JSON.stringify({ name: { $in: ['cifar', 'imagenet', 'resnet'] } }),
      order: '-name',
    });
    const conn = ((ok(res).project as Json).artifactType as Json).artifactCollections as { totalCount: number; edges: { node: Json }[] };
    expect(conn.totalCount).toBe(2);
    expect(conn.edges.map((e) => e.node.name)).toEqual(['imagenet', 'cifar']);
  });

  it('ProjectArtifactCollection reads one collection of a type; another type is null', async () => {
    const read = (type: string, name: string) =>
      t.gql(sdkDocument('ProjectArtifactCollection'), { entity: 'ml', project: 'train', type, name });
    expect(((ok(await read('model', 'resnet')).project as Json).artifactType as Json).artifactCollection as Json).toMatchObject({
      __typename: 'ArtifactSequence',
      id: sequenceIds.resnet,
      name: 'resnet',
    });
    expect((ok(await read('dataset', 'resnet')).project as Json).artifactType).toMatchObject({ artifactCollection: null });
  });

  it('AddArtifactCollectionTags and DeleteArtifactCollectionTags; tags filter the list', async () => {
    const added = await t.gql(sdkDocument('AddArtifactCollectionTags'), tagInput('resnet', ['vision', 'baseline', 'vision']), {
      key: member.key,
    });
    expect(ok(added)).toEqual({
      result: {
        tags: [
          { __typename: 'Tag', id: expect.any(String), name: 'vision' },
          { __typename: 'Tag', id: expect.any(String), name: 'baseline' },
        ],
      },
    });
    ok(await t.gql(sdkDocument('AddArtifactCollectionTags'), tagInput('vit', ['vision'])));
    expect((await list({ filters: JSON.stringify({ tag: 'vision' }), order: '+name' }))?.edges.map((e) => e.node.name)).toEqual([
      'resnet',
      'vit',
    ]);
    const removed = await t.gql(sdkDocument('DeleteArtifactCollectionTags'), tagInput('resnet', ['vision']), { key: member.key });
    expect(ok(removed)).toEqual({ result: { success: true } });
    expect((await list({ filters: JSON.stringify({ tag: 'vision' }) }))?.edges.map((e) => e.node.name)).toEqual(['vit']);
    const conn = await list({ filters: JSON.stringify({ name: 'resnet' }) });
    expect(conn?.edges[0]?.node.tags).toEqual({ edges: [{ node: { __typename: 'Tag', id: expect.any(String), name: 'baseline' } }] });
    for (const bad of [['a/b'], ['x'.repeat(129)], [''], Array.from({ length: 21 }, (_, i) => `t${i}`)]) {
      expect(code(await t.gql(sdkDocument('AddArtifactCollectionTags'), tagInput('resnet', bad)))).toBe('BAD_USER_INPUT');
    }
  });

  it('UpdateArtifactSequence renames and describes; duplicate names are CONFLICT, bad ones BAD_USER_INPUT', async () => {
    const update = (input: Json, key?: string) =>
      t.gql(sdkDocument('UpdateArtifactSequence'), { input: { artifactSequenceID: sequenceIds.bert, ...input } }, { key });
    const res = await update({ name: 'bert-base', description: 'A language model.' }, member.key);
    expect((ok(res).result as Json).artifactCollection).toMatchObject({
      __typename: 'ArtifactSequence',
      name: 'bert-base',
      description: 'A language model.',
    });
    expect(code(await update({ name: 'vit' }))).toBe('CONFLICT');
    expect(code(await update({ name: 'a:b' }))).toBe('BAD_USER_INPUT');
    expect(code(await update({ name: 'z' }, outsider.key))).toBe('NOT_FOUND');
  });

  it('UpdateArtifactSequenceType moves a collection to another type', async () => {
    const res = await t.gql(sdkDocument('UpdateArtifactSequenceType'), {
      input: { artifactSequenceID: sequenceIds.vit, destinationArtifactTypeName: 'checkpoint' },
    });
    expect((ok(res).result as Json).artifactCollection).toMatchObject({ name: 'vit', type: { name: 'checkpoint' } });
    expect(
      code(
        await t.gql(sdkDocument('UpdateArtifactSequenceType'), {
          input: { artifactSequenceID: sequenceIds.vit, destinationArtifactTypeName: 'bad/type' },
        }),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('a user outside the team sees nothing and changes nothing', async () => {
    expect(await list({}, outsider.key)).toBeNull();
    expect(code(await t.gql(sdkDocument('AddArtifactCollectionTags'), tagInput('vit', ['x']), { key: outsider.key }))).toBe('NOT_FOUND');
    expect(code(await t.gql(sdkDocument('DeleteArtifactSequence'), { id: sequenceIds.vit }, { key: outsider.key }))).toBe('NOT_FOUND');
    const aliases = await t.gql(sdkDocument('ArtifactCollectionAliases'), { id: sequenceIds.vit }, { key: outsider.key });
    expect(ok(aliases)).toEqual({ artifactCollection: null });
  });

  it('ArtifactCollectionAliases lists a sequence aliases', async () => {
    const res = await t.gql(sdkDocument('ArtifactCollectionAliases'), { id: sequenceIds.vit }, { key: member.key });
    expect(((ok(res).artifactCollection as Json).aliases as { edges: { node: Json }[] }).edges.map((e) => e.node.alias)).toEqual([
      'latest',
    ]);
  });

  it('DeleteArtifactSequence deletes an unlinked collection with its versions', async () => {
    const res = await t.gql(sdkDocument('DeleteArtifactSequence'), { id: sequenceIds.cifar }, { key: member.key });
    expect(ok(res)).toEqual({ result: { artifactCollection: { __typename: 'ArtifactSequence', state: 'DELETED' } } });
    expect((await list({ filters: JSON.stringify({ name: 'cifar' }) }))?.totalCount).toBe(0);
    expect(code(await t.gql(sdkDocument('DeleteArtifactSequence'), { id: sequenceIds.cifar }))).toBe('NOT_FOUND');
  });

  it('a registry collection is not reachable through the sequence mutations', async () => {
    const v = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'linked', type: 'model' });
    const linked = await t.gql(sdkDocument('LinkArtifact'), {
      input: { artifactID: v.id, artifactPortfolioName: 'linked', entityName: ORG, projectName: 'wandb-registry-model', aliases: [] },
    });
    expect(ok(linked).result).toMatchObject({ versionIndex: 0 });
    const portfolio = await t.db
      .selectFrom('collections')
      .select('id')
      .where('kind', '=', 'PORTFOLIO')
      .where('name', '=', 'linked')
      .executeTakeFirstOrThrow();
    const asSequence = Buffer.from(`ArtifactSequence:${portfolio.id}`).toString('base64');
    expect(code(await t.gql(sdkDocument('DeleteArtifactSequence'), { id: asSequence }))).toBe('NOT_FOUND');
  });
});
