import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeId } from '../../server/graphql/ids.js';
import { ADMIN_KEY, createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry } from '../../seed/registries.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion } from '../../seed/versions.js';

// The registry-wide collection total comes from each registry's own count (projects.portfolio_count,
// kept by a trigger) when nothing narrows the list. Whatever creates or removes a collection, it must
// equal what counting the collections gives.

let t: TestApp;
let custom: { projectId: number; id: string };
type Json = Record<string, unknown>;

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

/** totalCount without a collection filter (the kept count) and with one that keeps every collection (counted). */
async function totals(registryFilter?: unknown): Promise<{ kept: number; counted: number }> {
  const total = async (collectionFilter: unknown) => {
    const res = await t.gql(sdkDocument('RegistryCollections'), {
      organization: ORG,
      registryFilter: registryFilter === undefined ? undefined : JSON.stringify(registryFilter),
      collectionFilter: collectionFilter === undefined ? undefined : JSON.stringify(collectionFilter),
      perPage: 1,
    });
    return (((ok(res).organization as Json).orgEntity as Json).artifactCollections as { totalCount: number }).totalCount;
  };
  return { kept: await total(undefined), counted: await total({ name: { $regex: '.' } }) };
}

/** Every registry's kept count against a count of its portfolios. */
async function expectCountsKept() {
  const rows = await sql<{ kept: number; counted: number }>`
    select p.portfolio_count as kept, (select count(*)::int from collections c where c.project_id = p.id and c.kind = 'PORTFOLIO') as counted
    from projects p`.execute(t.db);
  for (const row of rows.rows) expect(row.kept).toBe(row.counted);
}

async function link(versionId: string, collection: string, projectName = 'wandb-registry-model') {
  ok(
    await t.gql(
      sdkDocument('LinkArtifact'),
      { input: { artifactID: versionId, artifactPortfolioName: collection, entityName: ORG, projectName, aliases: [] } },
      { key: ADMIN_KEY },
    ),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  await createTeam(t, { name: 'team-c', members: [] });
  custom = await createRegistry(t, { name: 'scratch' });
});
afterAll(() => t.close());

it('counts collections created by links and by Create collection, and not a second link into one', async () => {
  const v = await createSourceVersion(t, { entity: 'team-c', project: 'p', name: 'net', type: 'model' });
  const w = await createSourceVersion(t, { entity: 'team-c', project: 'p', name: 'net', type: 'model' });
  await link(v.id, 'a');
  await link(w.id, 'a');
  await link(v.id, 'b');
  await link(v.id, 'c', 'wandb-registry-scratch');
  ok(
    await t.gql(
      `mutation ($input: CreateArtifactPortfolioInput!) { createArtifactPortfolio(input: $input) { artifactCollection { id } } }`,
      {
        input: { projectId: custom.id, name: 'empty', type: 'model' },
      },
    ),
  );
  expect(await totals()).toEqual({ kept: 4, counted: 4 });
  expect(await totals({ name: 'wandb-registry-model' })).toEqual({ kept: 2, counted: 2 });
  await expectCountsKept();
});

it('counts a deleted collection out, and a deleted registry with all of its own', async () => {
  const collections = await t.db.selectFrom('collections').select('id').where('name', '=', 'b').where('kind', '=', 'PORTFOLIO').execute();
  ok(await t.gql(sdkDocument('DeleteArtifactPortfolio'), { id: encodeId('ArtifactCollection', collections[0]!.id) }));
  expect(await totals()).toEqual({ kept: 3, counted: 3 });
  ok(await t.gql(sdkDocument('DeleteRegistry'), { id: custom.id }));
  expect(await totals()).toEqual({ kept: 1, counted: 1 });
  await expectCountsKept();
});
