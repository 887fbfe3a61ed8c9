import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeId } from '../../server/graphql/ids.js';
import { ADMIN, createTestApp, ORG, type TestApp } from '../support/app.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// SQL statements per request of the SDK's read documents, as docs/performance.md records them: a
// ceiling each, so a change that adds a lookup shows here. The API key statement counts (it also
// brings the organization); DESIGN.md's bar is 3.

let t: TestApp;
let statements = 0;
let version: SourceVersion;
let collectionId: number;
const team = { entity: 'team-q', project: 'train' };
const registry = { entity: ORG, project: 'wandb-registry-model' };

beforeAll(async () => {
  t = await createTestApp({ onQuery: () => (statements += 1) });
  await createTeam(t, { name: 'team-q', members: [] });
  for (let i = 0; i < 3; i++) {
    version = await createSourceVersion(t, { entity: 'team-q', project: 'train', name: 'net', type: 'model', metadata: { i } });
    const input = {
      artifactID: version.id,
      artifactPortfolioName: 'net',
      entityName: ORG,
      projectName: registry.project,
      aliases: [{ alias: 'production', artifactCollectionName: 'net' }],
    };
    const res = await t.gql(sdkDocument('LinkArtifact'), { input });
    expect(res.errors).toBeUndefined();
  }
  const row = await t.db
    .selectFrom('collections')
    .select('id')
    .where('name', '=', 'net')
    .where('kind', '=', 'PORTFOLIO')
    .executeTakeFirstOrThrow();
  collectionId = row.id;
  // The URL-signing secret is read once per process (artifacts/signing.ts); read it now, so a ceiling
  // counts what every request costs, not the first signed URL's one-off read.
  await t.gql(sdkDocument('GetArtifactMembershipFileUrls'), { ...registry, collection: 'net', alias: 'production' });
});
afterAll(() => t.close());

const cases: [document: string, variables: () => Record<string, unknown>, ceiling: number][] = [
  ['FetchOrganization', () => ({ org: ORG }), 1],
  ['OrgFeatureFlags', () => ({ org: ORG }), 1],
  ['FetchAdvancedRegistryFeatures', () => ({ organization: ORG }), 1],
  ['FetchRegistries', () => ({ organization: ORG, perPage: 50 }), 2],
  ['RegistryCollections', () => ({ organization: ORG, perPage: 50 }), 2],
  ['RegistryVersions', () => ({ organization: ORG, perPage: 50, includeAliases: true }), 2],
  ['RegistryVersions', () => ({ organization: ORG, perPage: 50, artifactFilter: JSON.stringify({ alias: 'production' }) }), 2],
  ['ArtifactByID', () => ({ id: version.id }), 2],
  ['IsProjectReadOnly', () => ({ ...registry }), 2],
  ['FetchOrgEntityFromEntity', () => ({ entityName: 'team-q' }), 2],
  ['ArtifactMembershipByName', () => ({ ...registry, name: 'net:v1', includeAliases: true }), 3],
  ['ArtifactMembershipByName', () => ({ ...registry, name: 'net:production', includeAliases: true }), 3],
  ['FetchRegistry', () => ({ name: registry.project, entity: ORG }), 3],
  ['ProjectArtifactCollections', () => ({ ...team, perPage: 50 }), 3],
  ['ProjectArtifactTypes', () => ({ ...team }), 3],
  ['ArtifactUsedBy', () => ({ id: version.id }), 3],
  ['ArtifactCreatedBy', () => ({ id: version.id }), 3],
  ['RegistryTeamMembers', () => ({ ...registry }), 3],
  ['ArtifactTypeArtifactCollections', () => ({ ...team, type: 'model', perPage: 50 }), 4],
  ['ArtifactCollectionAliases', () => ({ id: encodeId('ArtifactCollection', collectionId) }), 3],
  ['FetchLinkedArtifacts', () => ({ artifactID: version.id }), 3],
  ['RegistryUserMembers', () => ({ ...registry }), 4],
  ['ProjectArtifacts', () => ({ ...team, type: 'model', collection: 'net', perPage: 50 }), 5],
  ['ArtifactMembershipFiles', () => ({ ...registry, collection: 'net', alias: 'production' }), 5],
  ['GetArtifactMembershipFileUrls', () => ({ ...registry, collection: 'net', alias: 'production' }), 5],
  ['SearchUsers', () => ({ query: ADMIN.slice(0, 3) }), 5],
];

it.each(cases)('%s costs at most its recorded statements', async (document, variables, ceiling) => {
  statements = 0;
  const res = await t.gql(sdkDocument(document), variables());
  const used = statements;
  expect(res.errors).toBeUndefined();
  expect(JSON.stringify(res.data)).not.toMatch(/^\{"\w+":null\}$/);
  expect(used).toBeLessThanOrEqual(ceiling);
});

it('FetchLinkedArtifacts gives each membership its own aliases from the ones read with the version', async () => {
  const res = await t.gql(sdkDocument('FetchLinkedArtifacts'), { artifactID: version.id });
  expect(res.errors).toBeUndefined();
  const edges = (
    (res.data?.artifact as Record<string, unknown>).artifactMemberships as {
      edges: { node: { aliases: { alias: string }[]; artifactCollection: { __typename: string } } }[];
    }
  ).edges;
  const aliases = edges.map((e) => `${e.node.artifactCollection.__typename}:${e.node.aliases.map((a) => a.alias).join(',')}`).sort();
  expect(aliases).toEqual(['ArtifactPortfolio:latest,production', 'ArtifactSequence:latest']);
});
