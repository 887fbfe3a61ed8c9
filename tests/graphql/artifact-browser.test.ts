import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestApp, type TestApp } from '../support/app.js';
import { onPostgres } from '../support/db.js';
import { logArtifact } from '../../seed/sdk-logging.js';

// The artifact browser's sidebar: a project's collections with their version counts.
let t: TestApp;
let statements = 0;
beforeAll(async () => {
  t = await createTestApp({ onQuery: () => (statements += 1) });
});
afterAll(() => t.close());

const SIDEBAR = `query ($project: String!) {
  project(entityName: "${ADMIN}", name: $project) {
    artifactCollections(collectionTypes: [SEQUENCE], first: 200, order: "+name") {
      edges { node { name versionCount defaultArtifactType { name } } }
    }
  }
}`;

async function sidebar(project: string) {
  const before = statements;
  const res = await t.gql(SIDEBAR, { project });
  expect(res.errors).toBeUndefined();
  const edges = (
    res.data?.project as {
      artifactCollections: { edges: { node: { name: string; versionCount: number; defaultArtifactType: { name: string } } }[] };
    }
  ).artifactCollections.edges;
  return { rows: edges.map((e) => [e.node.name, e.node.defaultArtifactType.name, e.node.versionCount]), statements: statements - before };
}

describe('ArtifactCollection.versionCount', () => {
  it("counts each collection's versions", async () => {
    for (let i = 0; i < 3; i += 1)
      await logArtifact(t, { entity: ADMIN, project: 'counts', name: 'net', type: 'model', files: { w: `v${i}` } });
    await logArtifact(t, { entity: ADMIN, project: 'counts', name: 'data', type: 'dataset', files: { d: 'x' } });
    expect((await sidebar('counts')).rows).toEqual([
      ['data', 'dataset', 1],
      ['net', 'model', 3],
    ]);
  });

  it.skipIf(onPostgres)('costs the same statements for 1 and 8 collections', async () => {
    await logArtifact(t, { entity: ADMIN, project: 'one', name: 'c0', type: 'model', files: { w: 'x' } });
    for (let i = 0; i < 8; i += 1)
      await logArtifact(t, { entity: ADMIN, project: 'eight', name: `c${i}`, type: 'model', files: { w: `${i}` } });
    await sidebar('one'); // warm-up
    const one = await sidebar('one');
    const eight = await sidebar('eight');
    expect(eight.rows).toHaveLength(8);
    expect(eight.statements).toBe(one.statements);
  });
});
