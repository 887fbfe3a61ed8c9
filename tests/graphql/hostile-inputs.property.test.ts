import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../server/graphql/ids.js';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { sdkDocument } from '../../seed/sdk-operations.js';
import { createSourceVersion } from '../../seed/versions.js';

// Random JSON, text with control characters and odd numbers thrown at every parser a caller reaches:
// the filter compiler, the cursor decoder and the text arguments of mutations, through the real API.
// Whatever comes in, the answer is a clear error (or a result), never a 500 or "Unexpected error.",
// and a refused mutation leaves every row as it was.

let t: TestApp;
const REGISTRY = 'wandb-registry-model';
let portfolioID: string;
let artifactID: string;

/** A fixed seed keeps CI reproducible; FC_SEED explores other inputs. */
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261207;
const RUNS = 60;

/** Codes a refusal may carry: ours, and GraphQL's own for a document it cannot read or validate. */
const CLEAR = ['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN', 'NOT_FOUND', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'];

function expectClear(res: GraphQLResult, what: unknown): void {
  const context = JSON.stringify(what);
  expect(res.status, context).toBeLessThan(500);
  for (const error of res.errors ?? []) {
    expect(error.message, context).not.toBe('Unexpected error.');
    if (res.status === 200) expect(CLEAR, `${context} → ${error.message}`).toContain(error.extensions?.code);
  }
}

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
    'sign_in_throttles',
    'sessions',
  ] as const;
  const rows = await Promise.all(tables.map((table) => t.db.selectFrom(table).selectAll().orderBy(sortKey(table)).execute()));
  const keys = await t.db.selectFrom('api_keys').select(['id', 'user_id', 'key_hash', 'description']).orderBy('id').execute();
  return { ...Object.fromEntries(tables.map((table, i) => [table, rows[i]])), api_keys: keys };
}

function sortKey(table: string) {
  if (table === 'sign_in_throttles') return 'key' as const;
  if (table === 'collection_tags') return 'tag' as const;
  return 'id' as const;
}

// ---- arbitraries ------------------------------------------------------------------------------

/** One UTF-16 unit, often one that tends to break things: NUL, controls, surrogate halves, quotes. */
const char = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u001f',
      '\u007f',
      '\ud800',
      '\udfff',
      '\ufffe',
      '\\',
      '"',
      "'",
      '%',
      '_',
      '/',
      ':',
      '$',
      '(',
      '[',
      '{',
      '*',
      '+',
      '?',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'v', '1', '-', '.', ' ') },
);
const someText = fc.string({ unit: char, maxLength: 24 });
/** Text, a quarter of it holding at least one character PostgreSQL cannot store. */
const text = fc.oneof(
  { weight: 3, arbitrary: someText },
  { weight: 1, arbitrary: fc.tuple(someText, fc.constantFrom('\u0000', '\ud800', '\udfff'), someText).map(([a, c, b]) => a + c + b) },
);

const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1.5, 1e300, -1e300, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53 + 1, 1e20, -0, 0, 1),
);
const numericText = fc.oneof(
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom('99999999999999', '1e300', '0x10', ' 1', '1.0', '-0', '00000000001'),
);
const dateText = fc.oneof(
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toISOString()),
  fc.constantFrom('-271821-04-20', '+275760-09-13', '0000-01-01', '10000-01-01', '2026-02-30', 'yesterday', '1', ''),
);
const pattern = fc.oneof(text, fc.constantFrom('(', '[a', 'a{2,1}', '\\', '(?<x>a)', '***:a', '(a|b', 'a**', '[[:alpha:]]', '\\m', '.*'));
const scalar = fc.oneof(text, number, numericText, dateText, fc.boolean(), fc.constant(null));

const COMPARE = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte'] as const;
const condition = fc.oneof(
  scalar,
  fc.tuple(fc.constantFrom(...COMPARE), scalar).map(([op, value]) => ({ [op]: value })),
  fc.record({ $gte: number, $lt: numericText }, { requiredKeys: [] }),
  fc.record({ $in: fc.array(scalar, { maxLength: 4 }) }),
  fc.record({ $nin: fc.array(scalar, { maxLength: 4 }) }),
  fc.record({ $regex: pattern }),
  fc.record({ $contains: text }),
  fc.record({ $exists: fc.oneof(fc.boolean(), scalar) }),
  fc.record({ $not: fc.record({ $regex: pattern }) }),
  fc.dictionary(fc.oneof(fc.constantFrom('$lte', '$bogus', '$eq'), text), scalar, { maxKeys: 2 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Filters over the fields one level accepts (so most reach SQL), now and then any other key. */
function filterOf(fields: readonly string[]): fc.Arbitrary<string | undefined> {
  const field = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: text });
  const { filter } = fc.letrec<{ filter: unknown }>((tie) => ({
    filter: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: fc.tuple(field, condition).map(([name, c]) => ({ [name]: c })) },
      { weight: 1, arbitrary: fc.dictionary(field, condition, { maxKeys: 3 }) },
      { weight: 1, arbitrary: fc.record({ $and: fc.array(tie('filter'), { maxLength: 2 }) }) },
      { weight: 1, arbitrary: fc.record({ $or: fc.array(tie('filter'), { maxLength: 2 }) }) },
      { weight: 1, arbitrary: fc.record({ $nor: fc.array(tie('filter'), { maxLength: 2 }) }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
  }));
  // JSON of a filter, nothing, or text that may not be JSON at all.
  return fc.oneof(
    { weight: 8, arbitrary: filter.map((f) => JSON.stringify(f)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: text },
  );
}

const registryFilter = filterOf(['id', 'entity_id', 'name', 'description', 'created_at', 'updated_at']);
const collectionFilter = filterOf([
  'id',
  'artifact_collection_id',
  'collection_id',
  'name',
  'description',
  'type',
  'tag',
  'created_at',
  'updatedAt',
]);
const versionFilter = filterOf([
  'id',
  'version',
  'alias',
  'tag',
  'metadata',
  'metadata.accuracy',
  'metadata.a.b',
  'metadata.x y',
  'created_at',
  'updated_at',
]);

const base64url = (value: string) => Buffer.from(value, 'utf8').toString('base64url');
const cursor = fc.oneof(
  fc
    .record({ v: fc.oneof(scalar, fc.jsonValue({ maxDepth: 1 })), id: fc.oneof(number, numericText, fc.constant(null)) })
    .map((c) => base64url(JSON.stringify(c))),
  fc.jsonValue({ maxDepth: 2 }).map((v) => base64url(JSON.stringify(v))),
  text.map(base64url),
  text,
);
const order = fc.oneof(fc.constantFrom(undefined, '+name', '-created_at', '+updated_at', '-id', '+version', 'createdAt', '-bogus'), text);

// ---- properties -------------------------------------------------------------------------------

beforeAll(async () => {
  t = await createTestApp();
  const alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  await createTeam(t, { name: 'ml', members: [alice] });
  for (const accuracy of [0.8, 0.9]) {
    const v = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'resnet', metadata: { accuracy, a: { b: 'c' } } });
    artifactID = v.id;
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
  const portfolio = await t.db.selectFrom('collections').select('id').where('kind', '=', 'PORTFOLIO').executeTakeFirstOrThrow();
  portfolioID = encodeId('ArtifactPortfolio', portfolio.id);
});
afterAll(() => t.close());

describe('random input never reaches a 500', () => {
  it('filters of RegistryVersions, RegistryCollections and FetchRegistries', async () => {
    // One level at a time, so one refused level does not hide the others; now and then all three.
    const levels = fc.oneof(
      registryFilter.map((f) => ({ registryFilter: f })),
      collectionFilter.map((f) => ({ collectionFilter: f })),
      versionFilter.map((f) => ({ artifactFilter: f })),
      fc.record({ registryFilter, collectionFilter, artifactFilter: versionFilter }),
    );
    await fc.assert(
      fc.asyncProperty(levels, order, async (filters, sort) => {
        const vars = { organization: ORG, perPage: 5, order: sort, ...filters };
        expectClear(await t.gql(sdkDocument('RegistryVersions'), vars), vars);
        if (!('artifactFilter' in filters) || 'registryFilter' in filters) {
          expectClear(await t.gql(sdkDocument('RegistryCollections'), vars), vars);
        }
        if ('registryFilter' in filters) {
          expectClear(
            await t.gql(sdkDocument('FetchRegistries'), { organization: ORG, perPage: 5, filters: filters.registryFilter, order: sort }),
            vars,
          );
        }
      }),
      { seed, numRuns: RUNS * 2 },
    );
  });

  it('after cursors, with any order', async () => {
    await fc.assert(
      fc.asyncProperty(cursor, order, async (after, sort) => {
        const vars = { organization: ORG, perPage: 5, cursor: after, order: sort };
        expectClear(await t.gql(sdkDocument('RegistryVersions'), vars), vars);
        expectClear(await t.gql(sdkDocument('RegistryCollections'), vars), vars);
        expectClear(await t.gql(sdkDocument('FetchRegistries'), { organization: ORG, perPage: 5, cursor: after, order: sort }), vars);
        const aliases = await t.gql(sdkDocument('ArtifactCollectionAliases'), { id: portfolioID, cursor: after, perPage: 5 });
        expectClear(aliases, vars);
      }),
      { seed, numRuns: RUNS },
    );
  });

  it('text arguments of mutations, as variables or literals; a refused one changes nothing', async () => {
    const mutations: ((s: string) => { query: string; variables?: Record<string, unknown> })[] = [
      (s) => ({ query: sdkDocument('UpsertRegistry'), variables: { input: { name: REGISTRY, entityName: ORG, description: s } } }),
      (s) => ({
        query: sdkDocument('UpdateArtifactPortfolio'),
        variables: { input: { artifactPortfolioID: portfolioID, description: s } },
      }),
      (s) => ({
        query: sdkDocument('AddAliases'),
        variables: {
          input: { artifactID, aliases: [{ alias: s, artifactCollectionName: 'resnet', entityName: ORG, projectName: REGISTRY }] },
        },
      }),
      (s) => ({ query: 'mutation G($d: String) { generateApiKey(input: { description: $d }) { key } }', variables: { d: s } }),
      (s) => ({
        query:
          'mutation U($u: String!) { createUser(input: { username: $u, password: "long enough pw", orgRole: "member" }) { user { id } } }',
        variables: { u: s },
      }),
      // The same text written into the document: JSON's escapes are GraphQL's, except for half surrogates.
      (s) => ({ query: `mutation { generateApiKey(input: { description: ${JSON.stringify(s)} }) { key } }` }),
      (s) => ({ query: `mutation { upsertModel(input: { name: "${REGISTRY}", description: ${JSON.stringify(s)} }) { inserted } }` }),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(mutations.length - 1), text, async (which, s) => {
        const { query, variables } = mutations[which]!(s);
        const before = await snapshot();
        const res = await t.gql(query, variables);
        expectClear(res, { which, s });
        if (res.errors?.length) expect(await snapshot(), JSON.stringify({ which, s })).toEqual(before);
      }),
      { seed, numRuns: RUNS * 2 },
    );
  });

  it('the sign-in route', async () => {
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.record({ username: text, password: text }) },
      { weight: 1, arbitrary: fc.record({ username: fc.constantFrom('admin', 'alice'), password: text }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 5, arbitrary: body.map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: text }),
        async (raw) => {
          const before = await t.db.selectFrom('sign_in_throttles').selectAll().orderBy('key').execute();
          const response = await t.request('/api/auth/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
            body: raw,
          });
          expect([200, 400, 401, 429], raw).toContain(response.status);
          const json = (await response.json()) as { errors?: { extensions: { code: string } }[] };
          if (response.status === 400) {
            expect(json.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
            expect(await t.db.selectFrom('sign_in_throttles').selectAll().orderBy('key').execute()).toEqual(before);
          }
        },
      ),
      { seed, numRuns: RUNS },
    );
  });
});
