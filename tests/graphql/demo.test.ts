import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSampleLoaded, loadDemoSample } from '../../seed/demo.js';
import { ADMIN, createTestApp, ORG, type TestApp } from '../support/app.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('npm run demo: the sample', () => {
  it('loads once through the API, and its users can read what was published', async () => {
    expect(await demoSampleLoaded(t)).toBe(false);
    const users = await loadDemoSample(t, { org: ORG, adminUser: ADMIN });
    expect(users.map((u) => u.username)).toEqual(['alice', 'bob', 'carol']);
    expect(await demoSampleLoaded(t)).toBe(true);

    const registries = await t.gql(sdkDocument('FetchRegistries'), { organization: ORG });
    const names = (
      registries.data?.organization as { orgEntity: { projects: { edges: { node: { name: string } }[] } } }
    ).orgEntity.projects.edges.map((e) => e.node.name);
    expect(names).toEqual(['wandb-registry-model', 'wandb-registry-dataset', 'wandb-registry-evaluation']);

    const production = await t.gql(sdkDocument('ArtifactMembershipByName'), {
      entity: ORG,
      project: 'wandb-registry-model',
      name: 'image-classifier:production',
    });
    expect(production.errors).toBeUndefined();
    expect(production.data).toMatchObject({ project: { artifactCollectionMembership: { versionIndex: 1 } } });
    const latest = await t.gql(sdkDocument('ArtifactMembershipByName'), {
      entity: ORG,
      project: 'wandb-registry-model',
      name: 'image-classifier:latest',
    });
    expect(latest.data).toMatchObject({ project: { artifactCollectionMembership: { versionIndex: 2 } } });

    // The sign-in route accepts the printed passwords.
    const alice = users[0];
    const login = await t.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
      body: JSON.stringify({ username: alice?.username, password: alice?.password }),
    });
    expect(login.status).toBe(200);
  }, 120_000);
});
