import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestApp, ORG, type TestApp } from '../support/app.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

let t: TestApp;
let statements = 0;
beforeAll(async () => {
  t = await createTestApp({ onQuery: () => (statements += 1) });
});
afterAll(() => t.close());

describe('the SDK documents, sent as they are with an API key', () => {
  it('ServerFeaturesQuery reports the registry features as enabled', async () => {
    const res = await t.gql(sdkDocument('ServerFeaturesQuery'));
    expect(res.errors).toBeUndefined();
    const features = (res.data?.serverInfo as { features: { name: string; isEnabled: boolean }[] }).features;
    for (const name of [
      'ARTIFACT_REGISTRY_SEARCH',
      'INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION',
      'ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE',
      'PROJECT_ARTIFACT_COLLECTION_MEMBERSHIP',
      'ARTIFACT_TAGS',
    ]) {
      expect(features).toContainEqual({ name, isEnabled: true });
    }
  });

  it('GetViewer returns the admin', async () => {
    const res = await t.gql(sdkDocument('GetViewer'));
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer).toMatchObject({
      username: ADMIN,
      admin: true,
      entity: ADMIN,
      deletedAt: null,
      apiKeys: { edges: [{ node: { description: 'Created at first start' } }] },
      teams: { edges: [] },
    });
    const id = (res.data?.viewer as { id: string }).id;
    expect(Buffer.from(id, 'base64').toString()).toMatch(/^User:\d+$/);
  });

  it('FetchOrganization returns the org and its entity', async () => {
    const res = await t.gql(sdkDocument('FetchOrganization'), { org: ORG });
    expect(res.errors).toBeUndefined();
    expect(res.data?.organization).toMatchObject({
      name: ORG,
      orgEntity: { __typename: 'Entity', name: ORG, entityType: 'ORGANIZATION' },
    });
  });

  it('FetchOrganization of an unknown org is null, not an error', async () => {
    const res = await t.gql(sdkDocument('FetchOrganization'), { org: 'nope' });
    expect(res).toMatchObject({ status: 200, data: { organization: null } });
    expect(res.errors).toBeUndefined();
  });

  it('FetchRegistry returns a core registry in the SDK shape', async () => {
    const res = await t.gql(sdkDocument('FetchRegistry'), { name: 'wandb-registry-model', entity: ORG });
    expect(res.errors).toBeUndefined();
    const project = (res.data?.entity as { project: Record<string, unknown> }).project;
    expect(project).toMatchObject({
      __typename: 'Project',
      name: 'wandb-registry-model',
      entity: { name: ORG, organization: { name: ORG } },
      access: 'PRIVATE',
      allowAllArtifactTypes: false,
      artifactTypes: { edges: [{ node: { name: 'model' } }] },
    });
    expect(Buffer.from(String(project.internalId), 'base64').toString()).toMatch(/^Project:\d+$/);
  });

  it('FetchRegistry of a registry that does not exist is project: null (create_registry relies on it)', async () => {
    const res = await t.gql(sdkDocument('FetchRegistry'), { name: 'wandb-registry-nope', entity: ORG });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ entity: { project: null } });
  });

  it('FetchRegistries lists the two core registries with a cursor', async () => {
    const res = await t.gql(sdkDocument('FetchRegistries'), { organization: ORG, perPage: 100 });
    expect(res.errors).toBeUndefined();
    const projects = (res.data?.organization as { orgEntity: { projects: { edges: { node: { name: string } }[]; pageInfo: unknown } } })
      .orgEntity.projects;
    expect(projects.edges.map((e) => e.node.name)).toEqual(['wandb-registry-model', 'wandb-registry-dataset']);
    expect(projects.pageInfo).toMatchObject({ __typename: 'PageInfo', hasNextPage: false });
  });

  it('FetchRegistries costs 2 SQL statements: API key with the organization and its entity, page with types', async () => {
    const before = statements;
    const res = await t.gql(sdkDocument('FetchRegistries'), { organization: ORG, perPage: 100 });
    expect(res.errors).toBeUndefined();
    expect(statements - before).toBe(2);
  });

  it('FetchRegistries pages with keyset cursors, orders and filters', async () => {
    const doc = sdkDocument('FetchRegistries');
    const names = async (variables: Record<string, unknown>) => {
      const res = await t.gql(doc, { organization: ORG, ...variables });
      expect(res.errors).toBeUndefined();
      const p = (
        res.data?.organization as {
          orgEntity: { projects: { edges: { node: { name: string } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } };
        }
      ).orgEntity.projects;
      return { names: p.edges.map((e) => e.node.name), pageInfo: p.pageInfo };
    };
    const first = await names({ perPage: 1, order: '+name' });
    expect(first.names).toEqual(['wandb-registry-dataset']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await names({ perPage: 1, order: '+name', cursor: first.pageInfo.endCursor });
    expect(second).toMatchObject({ names: ['wandb-registry-model'], pageInfo: { hasNextPage: false } });
    expect((await names({ order: '-name' })).names).toEqual(['wandb-registry-model', 'wandb-registry-dataset']);
    expect((await names({ filters: JSON.stringify({ name: 'model' }) })).names).toEqual(['wandb-registry-model']);
    expect((await names({ filters: JSON.stringify({ name: { $regex: '^data' } }) })).names).toEqual(['wandb-registry-dataset']);
    expect(
      (await names({ filters: JSON.stringify({ $or: [{ name: 'wandb-registry-model' }, { description: { $contains: 'Dataset' } }] }) }))
        .names,
    ).toHaveLength(2);
  });

  it('rejects unknown filter operators and fields, bad cursors and orders with BAD_USER_INPUT', async () => {
    const doc = sdkDocument('FetchRegistries');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filters: JSON.stringify({ name: { $where: 'x' } }) }, /unknown operator "\$where"/],
      [{ filters: JSON.stringify({ password: 'x' }) }, /unknown field "password"/],
      [{ filters: '{not json' }, /not valid JSON/],
      [{ filters: JSON.stringify({ name: "x'; drop table projects; --" }) }, /^$/],
      [{ cursor: 'garbage!' }, /cursor is not valid/],
      [{ order: 'password' }, /Cannot order by "password"/],
      [{ perPage: 100000 }, /"first" must be between 0 and 1000/],
      [{ filters: JSON.stringify({ created_at: { $gt: 'yesterday' } }) }, /takes a date/],
    ];
    for (const [variables, message] of cases) {
      const res = await t.gql(doc, { organization: ORG, ...variables });
      expect(res.status).toBe(200);
      if (message.source === '^$') {
        expect(res.errors).toBeUndefined();
        continue;
      }
      expect(res.errors?.[0]?.message).toMatch(message);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // The injection string changed nothing.
    const after = await t.gql(doc, { organization: ORG });
    expect((after.data?.organization as { orgEntity: { projects: { edges: unknown[] } } }).orgEntity.projects.edges).toHaveLength(2);
  });
});
