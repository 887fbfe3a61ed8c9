import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../server/graphql/cursor.js';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion } from '../../seed/versions.js';

// Inputs that used to reach the database unchecked and came back as "Unexpected error.": each one is
// now a BAD_USER_INPUT error that says what to fix, and changes nothing.

let t: TestApp;
const REGISTRY = 'wandb-registry-model';
type Json = Record<string, unknown>;

function refused(res: GraphQLResult, ...mentions: string[]): void {
  expect(res.status).toBe(200);
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  for (const text of mentions) expect(res.errors?.[0]?.message).toContain(text);
}

/** Every row a refused mutation could have touched. */
async function snapshot() {
  const tables = [
    'projects',
    'collections',
    'memberships',
    'aliases',
    'collection_tags',
    'events',
    'users',
    'entities',
    'api_keys',
    'sign_in_throttles',
    'sessions',
  ] as const;
  const rows = await Promise.all(tables.map((table) => t.db.selectFrom(table).selectAll().execute()));
  return Object.fromEntries(tables.map((table, i) => [table, rows[i]]));
}

const versions = (vars: Json) => t.gql(sdkDocument('RegistryVersions'), { organization: ORG, perPage: 10, ...vars });
const collections = (vars: Json) => t.gql(sdkDocument('RegistryCollections'), { organization: ORG, perPage: 10, ...vars });
const registries = (vars: Json) => t.gql(sdkDocument('FetchRegistries'), { organization: ORG, perPage: 10, ...vars });

beforeAll(async () => {
  t = await createTestApp();
  const alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  await createTeam(t, { name: 'ml', members: [alice] });
  for (const accuracy of [0.8, 0.9]) {
    const v = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'resnet', metadata: { accuracy } });
    const res = await t.gql(sdkDocument('LinkArtifact'), {
      input: {
        artifactID: v.id,
        artifactPortfolioName: 'resnet',
        entityName: ORG,
        projectName: REGISTRY,
        aliases: [{ alias: 'staging', artifactCollectionName: 'resnet' }],
      },
    });
    expect(res.errors).toBeUndefined();
  }
});
afterAll(() => t.close());

describe('text PostgreSQL cannot store', () => {
  it('a NUL or an unpaired surrogate in any mutation argument is refused, naming the argument, and changes nothing', async () => {
    const portfolio = await t.db
      .selectFrom('collections')
      .select('id')
      .where('name', '=', 'resnet')
      .where('kind', '=', 'PORTFOLIO')
      .executeTakeFirstOrThrow();
    const portfolioID = Buffer.from(`ArtifactPortfolio:${portfolio.id}`).toString('base64');
    const artifact = await t.db.selectFrom('artifacts').select('id').orderBy('id').executeTakeFirstOrThrow();
    const artifactID = Buffer.from(`Artifact:${artifact.id}`).toString('base64');
    const before = await snapshot();
    const cases: [Promise<GraphQLResult>, string][] = [
      [
        t.gql(sdkDocument('UpsertRegistry'), { input: { name: REGISTRY, entityName: ORG, description: 'card\u0000' } }),
        'input.description',
      ],
      [
        t.gql(sdkDocument('UpsertRegistry'), { input: { name: REGISTRY, entityName: ORG, description: 'half \ud800 a pair' } }),
        'input.description',
      ],
      [
        t.gql(sdkDocument('UpdateArtifactPortfolio'), { input: { artifactPortfolioID: portfolioID, description: '# Card\u0000' } }),
        'input.description',
      ],
      [
        t.gql(sdkDocument('AddAliases'), {
          input: {
            artifactID,
            aliases: [{ alias: 'prod\u0000', artifactCollectionName: 'resnet', entityName: ORG, projectName: REGISTRY }],
          },
        }),
        'input.aliases[0].alias',
      ],
      [
        t.gql(`mutation { createUser(input: { username: "eve\\u0000", password: "long enough pw", orgRole: "member" }) { user { id } } }`),
        'createUser(input.username)',
      ],
      [t.gql('mutation G($d: String) { generateApiKey(input: { description: $d }) { key } }', { d: 'ci\u0000' }), '$d'],
    ];
    for (const [pending, where] of cases) refused(await pending, where, 'U+');
    expect(await snapshot()).toEqual(before);
  });

  it('a NUL inside a JSON filter, as value or as field name, is refused', async () => {
    refused(await collections({ collectionFilter: JSON.stringify({ name: 'res\u0000' }) }), '$collectionFilter', 'U+0000');
    refused(await versions({ artifactFilter: JSON.stringify({ 'metadata.a\u0000': 1 }) }), '$artifactFilter', 'U+0000');
    refused(await registries({ filters: JSON.stringify({ description: { $regex: '\u0000' } }) }), '$filters');
  });

  it('the sign-in route refuses a NUL in the user name or password with 400, recording no failure', async () => {
    const before = await snapshot();
    for (const body of [
      { username: 'admin\u0000', password: 'x' },
      { username: 'admin', password: 'pw\u0000' },
      { username: '\ud800', password: 'x' },
    ]) {
      const response = await t.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      const json = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(json.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(json.errors[0]?.message).toMatch(/U\+/);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('filter numbers, dates and patterns', () => {
  it('ids take integers in range: fractions, exponent giants and long numeric strings are refused, naming the field', async () => {
    for (const id of [{ $gt: 1.5 }, 1e300, '99999999999999', { $in: [1, 2 ** 31] }, -1e20]) {
      refused(await versions({ artifactFilter: JSON.stringify({ id }) }), '"id"', 'integer');
      refused(await collections({ collectionFilter: JSON.stringify({ id }) }), '"id"', 'integer');
      refused(await registries({ filters: JSON.stringify({ id }) }), '"id"', 'integer');
    }
    refused(await registries({ filters: JSON.stringify({ entity_id: { $lte: 2147483648 } }) }), '"entity_id"');
  });

  it('ids in range still filter, as numbers or numeric strings', async () => {
    const res = await collections({ collectionFilter: JSON.stringify({ id: { $gte: '1', $lte: 2147483647 } }) });
    expect(res.errors).toBeUndefined();
    const edges = ((res.data?.organization as Json).orgEntity as { artifactCollections: { edges: unknown[] } }).artifactCollections.edges;
    expect(edges).toHaveLength(1);
  });

  it('dates outside years 1 to 9999 are refused', async () => {
    for (const date of ['-271821-04-20', '+275760-09-13', '0000-01-01', '10000-01-01']) {
      refused(await versions({ artifactFilter: JSON.stringify({ created_at: { $gt: date } }) }), '"created_at"', '9999');
      refused(await registries({ filters: JSON.stringify({ updated_at: { $lt: date } }) }), '"updated_at"');
    }
    const fine = await versions({ artifactFilter: JSON.stringify({ created_at: { $gt: '0001-01-01', $lt: '9999-12-31T23:59:59Z' } }) });
    expect(fine.errors).toBeUndefined();
  });

  it('an invalid regular expression is refused with what PostgreSQL found wrong', async () => {
    refused(await collections({ collectionFilter: JSON.stringify({ name: { $regex: '(' } }) }), '$regex', 'parentheses');
    refused(await registries({ filters: JSON.stringify({ name: { $regex: '[a' } }) }), '$regex');
    refused(await versions({ artifactFilter: JSON.stringify({ 'metadata.accuracy': { $regex: 'a{2,1}' } }) }), '$regex');
  });
});

describe('cursors', () => {
  it('a forged cursor (huge id, fraction, NUL, not ours at all) is refused whatever the order', async () => {
    const forged = [
      encodeCursor({ v: 1, id: 1e20 }),
      encodeCursor({ v: 1e300, id: 1 }),
      encodeCursor({ v: 1.5, id: 1 }),
      encodeCursor({ v: 'x\u0000', id: 1 }),
      encodeCursor({ v: 'x', id: -1 }),
      'not base64 at all!',
      Buffer.from('{"v":null,"id":1.5}').toString('base64url'),
      Buffer.from('[1, 2]').toString('base64url'),
    ];
    for (const cursor of forged) {
      refused(await versions({ cursor }), 'cursor');
      refused(await collections({ cursor }), 'cursor');
      refused(await registries({ cursor }), 'cursor');
      refused(await registries({ cursor, order: '+name' }), 'cursor');
    }
  });

  it('a cursor whose value does not fit the order (out-of-range or no date, text for a number) is refused', async () => {
    for (const v of ['-271821-04-20', '+275760-09-13', 'not a date', 5]) {
      const cursor = encodeCursor({ v, id: 1 });
      refused(await collections({ cursor }), 'cursor', 'same order');
      refused(await registries({ cursor }), 'cursor', 'same order');
      refused(await versions({ cursor, order: '-created_at' }), 'cursor', 'same order');
    }
    refused(await versions({ cursor: encodeCursor({ v: 'v3', id: 1 }) }), 'cursor', 'same order');
    refused(await registries({ cursor: encodeCursor({ v: 5, id: 1 }), order: '+name' }), 'cursor', 'same order');
  });

  it('a real endCursor still pages', async () => {
    const first = await versions({ perPage: 1 });
    const cursor = (((first.data?.organization as Json).orgEntity as Json).artifactMemberships as { pageInfo: { endCursor: string } })
      .pageInfo.endCursor;
    const next = await versions({ perPage: 1, cursor });
    expect(next.errors).toBeUndefined();
  });
});

describe('database data exceptions', () => {
  it('a value the database still refuses reaches the caller as BAD_USER_INPUT, not "Unexpected error.", and changes nothing', async () => {
    const bucket = await t.gql(sdkDocument('UpsertBucket'), { name: 'r1', project: 'train', entity: 'ml', jobType: 'train' });
    expect(bucket.errors).toBeUndefined();
    const tables = async () => ({ ...(await snapshot()), artifacts: await t.db.selectFrom('artifacts').selectAll().execute() });
    const before = await tables();
    // The Int64 scalar takes any number; PostgreSQL's bigint ends at 2^63.
    const res = await t.gql(sdkDocument('CreateArtifact'), {
      input: {
        entityName: 'ml',
        projectName: 'train',
        runName: 'r1',
        artifactTypeName: 'model',
        artifactCollectionName: 'big-step',
        artifactCollectionNames: ['big-step'],
        digest: 'd'.repeat(32),
        digestAlgorithm: 'MANIFEST_MD5',
        metadata: '{}',
        aliases: [],
        clientID: 'c'.repeat(32),
        sequenceClientID: 's'.repeat(32),
        enableDigestDeduplication: false,
        historyStep: 1e300,
      },
    });
    refused(res, 'bigint', '1e+300');
    expect(await tables()).toEqual(before);
  });
});
