import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion } from '../../seed/versions.js';

// The registry-wide pages fetch a version's aliases in every collection only when the document asks
// for them ($includeAliases), skip the source-version join unless a filter or order reads it, and
// stay at 2 statements either way (the API key statement also reads the organization).

let t: TestApp;
let statements = 0;
const REGISTRY = 'wandb-registry-model';

type Json = Record<string, unknown>;
interface VersionNode {
  versionIndex: number;
  aliases: { alias: string }[];
  artifactCollection: { name: string };
  artifact: { metadata: string; aliases?: { alias: string; artifactCollection: { name: string } }[] };
}

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

async function versions(variables: Record<string, unknown>): Promise<{ nodes: VersionNode[]; statements: number }> {
  statements = 0;
  const res = await t.gql(sdkDocument('RegistryVersions'), { organization: ORG, perPage: 50, ...variables });
  const used = statements;
  const page = ((ok(res).organization as Json).orgEntity as Json).artifactMemberships as { edges: { node: VersionNode }[] };
  return { nodes: page.edges.map((e) => e.node), statements: used };
}

beforeAll(async () => {
  t = await createTestApp({ onQuery: () => statements++ });
  await createTeam(t, { name: 'team-a', members: [] });
  for (const [i, accuracy] of [0.5, 0.7, 0.9].entries()) {
    const v = await createSourceVersion(t, { entity: 'team-a', project: 'train', name: 'net', type: 'model', metadata: { accuracy } });
    // The same source version in two collections: its aliases in both show on the artifact.
    for (const collection of ['net', i === 2 ? 'best' : 'net']) {
      const res = await t.gql(
        sdkDocument('LinkArtifact'),
        { input: { artifactID: v.id, artifactPortfolioName: collection, entityName: ORG, projectName: REGISTRY, aliases: [] } },
        { key: ADMIN_KEY },
      );
      ok(res);
    }
  }
});
afterAll(() => t.close());

it('gives every alias of the source version only with $includeAliases, in 2 statements both ways', async () => {
  const without = await versions({ includeAliases: false });
  expect(without.statements).toBe(2);
  expect(without.nodes.every((n) => n.artifact.aliases === undefined)).toBe(true);

  const withAliases = await versions({ includeAliases: true });
  expect(withAliases.statements).toBe(2);
  const newest = withAliases.nodes.find((n) => n.artifactCollection.name === 'best');
  // `latest` in both registry collections and in its own source sequence (also named "net"), and, as
  // W&B answers, its version number in each registry collection (the SDK reads `vN` from there).
  expect(newest?.artifact.aliases?.map((a) => `${a.artifactCollection.name}:${a.alias}`).sort()).toEqual([
    'best:latest',
    'best:v0',
    'net:latest',
    'net:latest',
    'net:v2',
  ]);
  expect(withAliases.nodes.map((n) => `${n.artifactCollection.name}:v${n.versionIndex}:${n.aliases.map((a) => a.alias).join()}`)).toEqual([
    'best:v0:latest',
    'net:v2:latest',
    'net:v1:',
    'net:v0:',
  ]);
});

it('filters and orders on the source version (metadata, updatedAt) as before', async () => {
  const accurate = await versions({ artifactFilter: JSON.stringify({ 'metadata.accuracy': { $gte: 0.7 } }), order: '+version' });
  expect(accurate.statements).toBe(2);
  expect(accurate.nodes.map((n) => JSON.parse(n.artifact.metadata).accuracy as number).sort()).toEqual([0.7, 0.9, 0.9]);
  const byUpdate = await versions({ order: '-updatedAt' });
  expect(byUpdate.nodes).toHaveLength(4);
  const byAlias = await versions({ artifactFilter: JSON.stringify({ alias: 'latest' }) });
  expect(byAlias.nodes.map((n) => n.artifactCollection.name).sort()).toEqual(['best', 'net']);
});

it('fetches a version by name (vN, alias, bare name) in 3 statements, with everything the SDK shows', async () => {
  const byName = async (name: string) => {
    statements = 0;
    const res = await t.gql(sdkDocument('ArtifactMembershipByName'), { entity: ORG, project: REGISTRY, name, includeAliases: true });
    const used = statements;
    const membership = (ok(res).project as Json).artifactCollectionMembership as
      (VersionNode & { artifact: { artifactSequence: { name: string } } }) | null;
    return { membership, statements: used };
  };
  for (const [name, index] of [
    ['net:v1', 1],
    ['net:latest', 2],
    ['net', 2],
    ['best:v0', 0],
  ] as const) {
    const { membership, statements: used } = await byName(name);
    expect(used, name).toBeLessThanOrEqual(3);
    expect(membership?.versionIndex, name).toBe(index);
    expect(membership?.artifactCollection.name, name).toBe(name.split(':')[0]);
    expect(membership?.artifact.artifactSequence.name, name).toBe('net');
  }
  expect((await byName('net:latest')).membership?.aliases.map((a) => a.alias)).toEqual(['latest']);
  for (const missing of ['net:v9', 'net:nope', 'nope:v0', ':v0']) expect((await byName(missing)).membership, missing).toBeNull();
});
