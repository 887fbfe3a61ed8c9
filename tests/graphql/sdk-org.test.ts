import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestApp, ORG, type TestApp } from '../support/app.js';
import { allSdkOperations } from '../../seed/sdk-operations.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Every definition of a name (the Go sidecar and the Python SDK send different documents under one name). */
function documents(name: string): string[] {
  return allSdkOperations.filter((op) => op.name === name).map((op) => op.document);
}

describe('organization and viewer documents of the SDK and its Go sidecar', () => {
  it('FetchOrgInfoFromEntity and FetchOrgEntityFromEntity find the org from a user entity and from the org entity', async () => {
    for (const entity of [ADMIN, ORG]) {
      const res = await t.gql(documents('FetchOrgInfoFromEntity')[0] ?? '', { entity });
      expect(res.errors).toBeUndefined();
      expect(res.data?.entity).toMatchObject({ organization: { name: ORG, orgEntity: { name: ORG } } });
      for (const doc of documents('FetchOrgEntityFromEntity')) {
        const sidecar = await t.gql(doc, { entityName: entity });
        expect(sidecar.errors).toBeUndefined();
        expect(sidecar.data?.entity).toMatchObject({ organization: { name: ORG, orgEntity: { name: ORG } } });
      }
    }
    const user = await t.gql(documents('FetchOrgInfoFromEntity')[0] ?? '', { entity: ADMIN });
    expect(user.data?.entity).toMatchObject({ user: { organizations: [{ name: ORG, orgEntity: { name: ORG } }] } });
  });

  it('an unknown entity is null', async () => {
    const res = await t.gql(documents('FetchOrgInfoFromEntity')[0] ?? '', { entity: 'nobody' });
    expect(res).toMatchObject({ data: { entity: null } });
    expect(res.errors).toBeUndefined();
  });

  it('FetchAdvancedRegistryFeatures reports basic search only', async () => {
    const res = await t.gql(documents('FetchAdvancedRegistryFeatures')[0] ?? '', { organization: ORG });
    expect(res.data).toEqual({ organization: { advancedRegistryFeatures: { advancedSearch: false } } });
  });

  it('OrgFeatureFlags, ServerInfo, Viewer and GetDefaultEntity answer without errors', async () => {
    const flags = await t.gql(documents('OrgFeatureFlags')[0] ?? '', { org: ORG });
    expect(flags).toMatchObject({ data: { organization: { featureFlags: [] } } });
    const info = await t.gql(documents('ServerInfo')[0] ?? '');
    expect(info.errors).toBeUndefined();
    expect(info.data?.serverInfo).toMatchObject({ latestLocalVersionInfo: { outOfDate: false } });
    const viewer = await t.gql(documents('Viewer')[0] ?? '');
    expect(viewer.data?.viewer).toMatchObject({ username: ADMIN, entity: ADMIN });
    const entity = await t.gql(documents('GetDefaultEntity')[0] ?? '');
    expect(entity.data?.viewer).toMatchObject({ entity: ADMIN });
  });

  it('the Go sidecar sends "operationName": "" and gets an answer', async () => {
    const doc = documents('ServerFeaturesQuery').at(-1) ?? '';
    const res = await t.gql(doc, undefined, { operationName: '' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.serverInfo).toBeTruthy();
  });
});
