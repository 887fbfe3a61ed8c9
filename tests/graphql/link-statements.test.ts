import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORG, type TestApp } from '../support/app.js';
import { createSourceVersion } from '../../seed/versions.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { onPostgres } from '../support/db.js';

// SQL statements of one link, on both paths that make it: the SDK's LinkArtifact and the web app's
// "Link new version" sheet (its document, as src/features/registries/components/LinkVersionSheet.tsx
// sends it). Both go through one service; a change that reads a row twice shows here.
const WEB_LINK = `
  mutation LinkVersionSheet_Link($input: LinkArtifactInput!) {
    linkArtifact(input: $input) {
      versionIndex
      artifactMembership {
        id
        version
        versionIndex
        createdAt
        aliases { id alias }
        linkedBy { id username }
        artifact { id }
        artifactCollection {
          id
          ...CollectionRow_ArtifactPortfolio
          project { id collectionCount linkedVersionCount }
        }
      }
    }
  }
  fragment CollectionRow_ArtifactPortfolio on ArtifactPortfolio {
    id
    name
    createdAt
    updatedAt
    defaultArtifactType { id name }
    tags { edges { node { id name } } }
    versionCount
    latestVersion { id version createdAt }
  }
`;

const CEILING = { sdk: 12, web: 15 };

let t: TestApp;
let statements = 0;

beforeAll(async () => {
  if (onPostgres) return;
  t = await createTestApp({
    onQuery: (s) => {
      statements += 1;
      if (process.env.LINK_SQL) console.log('SQL', s.slice(0, 160).replace(/\s+/g, ' '));
    },
  });
  await createTeam(t, { name: 'team-l' });
});
afterAll(() => t?.close());

async function link(document: string, collection: string, aliases: string[]): Promise<number> {
  const version = await createSourceVersion(t, { entity: 'team-l', project: 'train', name: collection, type: 'model' });
  const input = {
    artifactID: version.id,
    artifactPortfolioName: collection,
    entityName: ORG,
    projectName: 'wandb-registry-model',
    aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
  };
  statements = 0;
  const res = await t.gql(document, { input });
  const used = statements;
  expect(res.errors).toBeUndefined();
  expect(res.data?.result ?? res.data?.linkArtifact).toBeTruthy();
  return used;
}

describe.skipIf(onPostgres)('statements per link', () => {
  it(`the SDK's LinkArtifact costs at most ${CEILING.sdk}, into a new collection and an existing one`, async () => {
    const first = await link(sdkDocument('LinkArtifact'), 'sdk-net', ['staging']);
    const second = await link(sdkDocument('LinkArtifact'), 'sdk-net', ['staging']);
    console.log('sdk link statements', first, second);
    expect(first).toBeLessThanOrEqual(CEILING.sdk);
    expect(second).toBeLessThanOrEqual(CEILING.sdk);
  });

  it(`the web app's link costs at most ${CEILING.web}, into a new collection and an existing one`, async () => {
    const first = await link(WEB_LINK, 'web-net', ['staging']);
    const second = await link(WEB_LINK, 'web-net', ['staging']);
    console.log('web link statements', first, second);
    expect(first).toBeLessThanOrEqual(CEILING.web);
    expect(second).toBeLessThanOrEqual(CEILING.web);
  });
});
