import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type TestApp } from '../support/app.js';

import { onPostgres } from '../support/db.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// PGlite runs one statement at a time, so races only show on PostgreSQL (several pool connections).
describe.skipIf(!onPostgres)('concurrent links on PostgreSQL', () => {
  let t: TestApp;
  const sources: SourceVersion[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await createTeam(t, { name: 'ml' });
    const source = (i: number) => createSourceVersion(t, { entity: 'ml', project: 'train', name: `m${i % 7}`, type: 'model' });
    // Logged through the API, seven at a time (one per source collection, so each gets its versions in
    // order); the first alone, as it makes the project.
    sources.push(await source(0));
    for (let i = 1; i < 200; i += 7) {
      sources.push(...(await Promise.all(Array.from({ length: Math.min(7, 200 - i) }, (_, j) => source(i + j)))));
    }
  }, 300_000);
  afterAll(() => t?.close());

  const link = (artifactID: string, collection: string, aliases: string[] = []) =>
    t.gql(sdkDocument('LinkArtifact'), {
      input: {
        artifactID,
        artifactPortfolioName: collection,
        entityName: ORG,
        projectName: 'wandb-registry-model',
        aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
      },
    });

  async function collectionRows(name: string) {
    return t.db
      .selectFrom('memberships')
      .innerJoin('collections', 'collections.id', 'memberships.collection_id')
      .select(['memberships.version_index', 'memberships.artifact_id'])
      .where('collections.name', '=', name)
      .where('collections.kind', '=', 'PORTFOLIO')
      .orderBy('memberships.version_index')
      .execute();
  }

  it('200 links of 200 versions at once (the first ones creating the collection) get indices 0-199 exactly', async () => {
    const results = await Promise.all(sources.map((s) => link(s.id, 'race', ['shared'])));
    for (const res of results) expect(res.errors).toBeUndefined();
    const indices = results.map((res) => (res.data?.result as { versionIndex: number }).versionIndex).sort((a, b) => a - b);
    expect(indices).toEqual([...Array(200).keys()]);
    const rows = await collectionRows('race');
    expect(rows.map((r) => r.version_index)).toEqual([...Array(200).keys()]);
    expect(new Set(rows.map((r) => r.artifact_id)).size).toBe(200);
    // Each alias is on exactly one version; latest on the newest.
    const aliases = await t.db
      .selectFrom('aliases')
      .innerJoin('memberships', 'memberships.id', 'aliases.membership_id')
      .innerJoin('collections', 'collections.id', 'aliases.collection_id')
      .select(['aliases.alias', 'memberships.version_index'])
      .where('collections.name', '=', 'race')
      .execute();
    expect(aliases.filter((a) => a.alias === 'shared')).toHaveLength(1);
    expect(aliases.filter((a) => a.alias === 'latest')).toEqual([{ alias: 'latest', version_index: 199 }]);
    // One event per change: each link, and each move of `latest` and "shared" from the version before.
    const events = await t.db
      .selectFrom('events')
      .select(['action', 'version_index', 'before', 'after'])
      .where('collection_name', '=', 'race')
      .orderBy('id')
      .execute();
    const count = (action: string, alias?: string) =>
      events.filter((e) => e.action === action && (alias === undefined || (e.after as { alias?: string }).alias === alias)).length;
    expect(count('collection.created')).toBe(1);
    expect(count('version.linked')).toBe(200);
    expect(new Set(events.filter((e) => e.action === 'version.linked').map((e) => e.version_index)).size).toBe(200);
    for (const alias of ['latest', 'shared']) {
      expect([count('alias.added', alias), count('alias.moved', alias)]).toEqual([1, 199]);
    }
    const latestMoves = events.filter((e) => e.action === 'alias.moved' && (e.after as { alias: string }).alias === 'latest');
    for (const e of latestMoves) expect((e.before as { versionIndex: number }).versionIndex).toBe(e.version_index! - 1);
  }, 120_000);

  it('50 links of one version at once give one linked version', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => link(sources[0]!.id, 'once', [`a${i % 5}`])));
    for (const res of results) expect(res.errors).toBeUndefined();
    expect(new Set(results.map((res) => (res.data?.result as { versionIndex: number }).versionIndex))).toEqual(new Set([0]));
    const rows = await collectionRows('once');
    expect(rows).toEqual([{ version_index: 0, artifact_id: sources[0]!.artifactId }]);
  }, 60_000);

  it('an alias moved by 20 requests at once ends on exactly one version', async () => {
    const results = await Promise.all(
      sources.slice(0, 20).map((s) =>
        t.gql(sdkDocument('AddAliases'), {
          input: {
            artifactID: s.id,
            aliases: [{ alias: 'champion', artifactCollectionName: 'race', entityName: ORG, projectName: 'wandb-registry-model' }],
          },
        }),
      ),
    );
    for (const res of results) expect(res.errors).toBeUndefined();
    const holders = await t.db
      .selectFrom('aliases')
      .innerJoin('collections', 'collections.id', 'aliases.collection_id')
      .select('aliases.membership_id')
      .where('collections.name', '=', 'race')
      .where('aliases.alias', '=', 'champion')
      .execute();
    expect(holders).toHaveLength(1);
  }, 60_000);

  it('10 unlinks of one version at once: one succeeds, the rest are NOT_FOUND, history has one entry', async () => {
    const collection = await t.db
      .selectFrom('collections')
      .select('id')
      .where('name', '=', 'race')
      .where('kind', '=', 'PORTFOLIO')
      .executeTakeFirstOrThrow();
    const portfolioId = Buffer.from(`ArtifactPortfolio:${collection.id}`).toString('base64');
    // The newest linked version (v199): unlinking it moves latest back to v198.
    const newest = await t.db
      .selectFrom('memberships')
      .select('artifact_id')
      .where('collection_id', '=', collection.id)
      .where('version_index', '=', 199)
      .executeTakeFirstOrThrow();
    const artifactID = Buffer.from(`Artifact:${newest.artifact_id}`).toString('base64');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.gql(sdkDocument('UnlinkArtifact'), { input: { artifactID, artifactPortfolioID: portfolioId } })),
    );
    expect(results.filter((res) => res.errors === undefined)).toHaveLength(1);
    expect(results.filter((res) => res.errors?.[0]?.extensions?.code === 'NOT_FOUND')).toHaveLength(9);
    const unlinks = await t.db
      .selectFrom('events')
      .select('id')
      .where('collection_id', '=', collection.id)
      .where('action', '=', 'version.unlinked')
      .execute();
    expect(unlinks).toHaveLength(1);
    const latest = await t.db
      .selectFrom('aliases')
      .innerJoin('memberships', 'memberships.id', 'aliases.membership_id')
      .select('memberships.version_index')
      .where('aliases.collection_id', '=', collection.id)
      .where('aliases.alias', '=', 'latest')
      .execute();
    expect(latest).toEqual([{ version_index: 198 }]);
  }, 60_000);
});
