import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry } from '../../seed/registries.js';
import { createSourceVersion } from '../../seed/versions.js';

// A registry's collections table shows each collection's latest version and number of versions:
// batched for the page, and returned by a link so the row changes without a refetch.

let t: TestApp;
let statements = 0;
let registry: { id: string; projectName: string };

type Json = Record<string, unknown>;
function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

const LINK = `mutation ($input: LinkArtifactInput!) {
  linkArtifact(input: $input) {
    versionIndex
    artifactMembership { artifactCollection { name ... on ArtifactPortfolio { versionCount latestVersion { version } } } }
  }
}`;

const PAGE = `query ($name: String!) {
  project(entityName: "${ORG}", name: $name) {
    artifactCollections(first: 50, collectionTypes: [PORTFOLIO], order: "+name") {
      edges { node { name ... on ArtifactPortfolio { versionCount latestVersion { version versionIndex } } } }
    }
  }
}`;

function link(artifactID: string, collection: string) {
  return t.gql(
    LINK,
    { input: { artifactID, artifactPortfolioName: collection, entityName: ORG, projectName: registry.projectName } },
    { key: ADMIN_KEY },
  );
}

beforeAll(async () => {
  t = await createTestApp({ onQuery: () => statements++ });
  await createTeam(t, { name: 'team-s', members: [] });
  registry = await createRegistry(t, { name: 'summaries' });
  await t.gql(
    `mutation ($input: CreateArtifactPortfolioInput!) { createArtifactPortfolio(input: $input) { artifactCollection { id } } }`,
    { input: { projectId: registry.id, name: 'empty', type: 'model' } },
    { key: ADMIN_KEY },
  );
});
afterAll(() => t.close());

it('a link returns the collection with its new latest version and count', async () => {
  const a = await createSourceVersion(t, { entity: 'team-s', project: 'p', name: 'net', type: 'model' });
  const b = await createSourceVersion(t, { entity: 'team-s', project: 'p', name: 'net', type: 'model' });
  const first = ok(await link(a.id, 'net')).linkArtifact as Json;
  expect((first.artifactMembership as Json).artifactCollection).toEqual({ name: 'net', versionCount: 1, latestVersion: { version: 'v0' } });
  const second = ok(await link(b.id, 'net')).linkArtifact as Json;
  expect((second.artifactMembership as Json).artifactCollection).toEqual({
    name: 'net',
    versionCount: 2,
    latestVersion: { version: 'v1' },
  });
  // The same source version again: no new version, the count stays.
  const again = ok(await link(b.id, 'net')).linkArtifact as Json;
  expect(again.versionIndex).toBe(1);
  expect((again.artifactMembership as Json).artifactCollection).toEqual({ name: 'net', versionCount: 2, latestVersion: { version: 'v1' } });
});

it('a page of collections gets every summary in one statement', async () => {
  for (const name of ['c1', 'c2', 'c3']) {
    const v = await createSourceVersion(t, { entity: 'team-s', project: 'p', name, type: 'model' });
    ok(await link(v.id, name));
  }
  const without = `query ($name: String!) { project(entityName: "${ORG}", name: $name) { artifactCollections(first: 50, collectionTypes: [PORTFOLIO], order: "+name") { edges { node { name } } } } }`;
  statements = 0;
  ok(await t.gql(without, { name: registry.projectName }));
  const base = statements;
  statements = 0;
  const data = ok(await t.gql(PAGE, { name: registry.projectName }));
  expect(statements).toBe(base + 1);
  const nodes = ((data.project as Json).artifactCollections as { edges: { node: Json }[] }).edges.map((e) => e.node);
  expect(nodes).toEqual([
    { name: 'c1', versionCount: 1, latestVersion: { version: 'v0', versionIndex: 0 } },
    { name: 'c2', versionCount: 1, latestVersion: { version: 'v0', versionIndex: 0 } },
    { name: 'c3', versionCount: 1, latestVersion: { version: 'v0', versionIndex: 0 } },
    { name: 'empty', versionCount: 0, latestVersion: null },
    { name: 'net', versionCount: 2, latestVersion: { version: 'v1', versionIndex: 1 } },
  ]);
});

it('a registry counts its collections and linked versions, for a page of registries in one statement', async () => {
  const list = (fields: string) =>
    `{ organization(name: "${ORG}") { orgEntity { projects(first: 50) { edges { node { name ${fields} } } } } } }`;
  statements = 0;
  ok(await t.gql(list(''), {}, { key: ADMIN_KEY }));
  const base = statements;
  statements = 0;
  const data = ok(await t.gql(list('collectionCount linkedVersionCount'), {}, { key: ADMIN_KEY }));
  expect(statements).toBe(base + 1);
  const nodes = (((data.organization as Json).orgEntity as Json).projects as { edges: { node: Json }[] }).edges.map((e) => e.node);
  expect(nodes.find((n) => n.name === registry.projectName)).toEqual({
    name: registry.projectName,
    collectionCount: 5,
    linkedVersionCount: 5,
  });
  expect(nodes.find((n) => n.name === 'wandb-registry-dataset')).toEqual({
    name: 'wandb-registry-dataset',
    collectionCount: 0,
    linkedVersionCount: 0,
  });
});
