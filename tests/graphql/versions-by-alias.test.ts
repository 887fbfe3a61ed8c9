import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// A top-level alias filter walks the aliases in link order (aliases_alias_linked) instead of testing
// every version in scope. It must answer exactly what the general filter answers, page by page, and
// follow an alias when it moves to a version linked at another time.

let t: TestApp;
const REGISTRY = 'wandb-registry-model';
type Json = Record<string, unknown>;
interface Node {
  versionIndex: number;
  artifactCollection: { name: string };
}
interface Page {
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  edges: { node: Node }[];
}

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

async function page(filter: unknown, extra: Record<string, unknown> = {}): Promise<Page> {
  const res = await t.gql(sdkDocument('RegistryVersions'), {
    organization: ORG,
    artifactFilter: JSON.stringify(filter),
    perPage: 50,
    ...extra,
  });
  return ((ok(res).organization as Json).orgEntity as Json).artifactMemberships as Page;
}

const names = (p: Page) => p.edges.map((e) => `${e.node.artifactCollection.name}:v${e.node.versionIndex}`);

async function link(version: SourceVersion, collection: string, aliases: string[]) {
  const input = {
    artifactID: version.id,
    artifactPortfolioName: collection,
    entityName: ORG,
    projectName: REGISTRY,
    aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
  };
  ok(await t.gql(sdkDocument('LinkArtifact'), { input }, { key: ADMIN_KEY }));
}

const versions: SourceVersion[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await createTeam(t, { name: 'team-a', members: [] });
  for (let i = 0; i < 7; i++) {
    versions.push(
      await createSourceVersion(t, { entity: 'team-a', project: 'train', name: 'net', type: 'model', metadata: { accuracy: i / 10 } }),
    );
  }
  // Linked one after the other: a:v0 (prod), b:v0 (prod), a:v1, c:v0 (prod), b:v1, c:v1 (prod moves to it), d:v0 (prod).
  await link(versions[0]!, 'a', ['prod']);
  await link(versions[1]!, 'b', ['prod']);
  await link(versions[2]!, 'a', []);
  await link(versions[3]!, 'c', ['prod']);
  await link(versions[4]!, 'b', []);
  await link(versions[5]!, 'c', ['prod']);
  await link(versions[6]!, 'd', ['prod']);
});
afterAll(() => t.close());

it('lists the versions holding an alias newest link first, as the general filter does', async () => {
  const walked = await page({ alias: 'prod' });
  expect(names(walked)).toEqual(['d:v0', 'c:v1', 'b:v0', 'a:v0']);
  // `$and` keeps the alias inside the general filter: the same answer by another plan.
  expect(names(await page({ $and: [{ alias: 'prod' }] }))).toEqual(names(walked));
  expect(names(await page({ alias: { $eq: 'prod' } }))).toEqual(names(walked));
  expect(names(await page({ alias: 'prod' }, { order: '+createdAt' }))).toEqual([...names(walked)].reverse());
  expect(names(await page({ alias: 'prod' }, { order: '-version' }))).toEqual(
    names(await page({ $and: [{ alias: 'prod' }] }, { order: '-version' })),
  );
});

it('combines the alias with the rest of the filter', async () => {
  const filter = { alias: 'prod', 'metadata.accuracy': { $gte: 0.3 } };
  expect(names(await page(filter))).toEqual(['d:v0', 'c:v1']);
  expect(names(await page({ alias: 'nobody' }))).toEqual([]);
});

/** Every version of the filter, one per page, following the cursors. */
async function walk(filter: unknown): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const p: Page = await page(filter, { perPage: 1, cursor });
    seen.push(...names(p));
    if (!p.pageInfo.hasNextPage) break;
    cursor = p.pageInfo.endCursor;
  }
  return seen;
}

it('pages through with cursors, each version once', async () => {
  expect(await walk({ alias: 'prod' })).toEqual(['d:v0', 'c:v1', 'b:v0', 'a:v0']);
});

it('follows an alias moved to a version linked at another time', async () => {
  // a's prod goes from a:v0 (linked first) to a:v1 (linked third): it now sorts before b:v0.
  const input = {
    artifactID: versions[2]!.id,
    aliases: [{ alias: 'prod', artifactCollectionName: 'a', entityName: ORG, projectName: REGISTRY }],
  };
  ok(await t.gql(sdkDocument('AddAliases'), { input }, { key: ADMIN_KEY }));
  expect(await walk({ alias: 'prod' })).toEqual(['d:v0', 'c:v1', 'a:v1', 'b:v0']);
  expect(await walk({ $and: [{ alias: 'prod' }] })).toEqual(['d:v0', 'c:v1', 'a:v1', 'b:v0']);
});
