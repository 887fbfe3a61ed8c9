import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../server/graphql/ids.js';
import { ADMIN, ADMIN_KEY, createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/users.js';

const VIEWER = '{ viewer { username } }';
const GENERATE =
  'mutation Generate($description: String) { generateApiKey(input: { description: $description }) { key apiKey { id name description } } }';
const DELETE = 'mutation Delete($id: ID!) { deleteApiKey(input: { id: $id }) { success } }';

interface Generated {
  key: string;
  apiKey: { id: string; name: string; description: string | null };
}

interface ErrorBody {
  data?: unknown;
  errors: { message: string; extensions?: { code?: string } }[];
}

/** A second user with a key of their own, to check that keys are per user. */
const BOB = 'bob';
let bobKey: string;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  bobKey = (await createUser(t, { username: BOB })).key;
});
afterAll(() => t.close());

function withAuthorization(authorization: string, query = VIEWER): Promise<Response> {
  return t.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query }),
  });
}

async function generate(key: string, description: string): Promise<Generated> {
  const res = await t.gql(GENERATE, { description }, { key });
  expect(res.errors).toBeUndefined();
  return res.data?.generateApiKey as Generated;
}

describe('API key authentication', () => {
  it('an invalid key, as Basic or Bearer, is HTTP 401 UNAUTHENTICATED saying "Invalid API key"', async () => {
    for (const authorization of [
      `Basic ${Buffer.from('api:wrong').toString('base64')}`,
      'Bearer wrong',
      'Bearer ',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Bearer ${'a'.repeat(1000)}`,
      'Token something',
    ]) {
      const response = await withAuthorization(authorization);
      expect(response.status, authorization).toBe(401);
      const body = (await response.json()) as ErrorBody;
      expect(body.data).toBeUndefined();
      expect(body.errors[0]?.message).toContain('Invalid API key');
      expect(body.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('Bearer with the admin key authenticates as the admin', async () => {
    const response = await withAuthorization(`Bearer ${ADMIN_KEY}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { viewer: { username: ADMIN } } });
  });

  it('Basic api:<key> with the admin key authenticates as the admin', async () => {
    const res = await t.gql(VIEWER);
    expect(res).toMatchObject({ status: 200, data: { viewer: { username: ADMIN } } });
  });

  it('an anonymous request is viewer: null, not an error', async () => {
    const res = await t.gql(VIEWER, undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ viewer: null });
  });
});

describe('generateApiKey and deleteApiKey', () => {
  it('generateApiKey returns a 40-hex key that authenticates as the admin', async () => {
    const generated = await generate(ADMIN_KEY, 'CI runner');
    expect(generated.key).toMatch(/^[0-9a-f]{40}$/);
    expect(generated.apiKey).toMatchObject({ description: 'CI runner', name: `${generated.key.slice(0, 6)}…` });
    expect(Buffer.from(generated.apiKey.id, 'base64').toString()).toMatch(/^ApiKey:\d+$/);

    expect(await t.gql(VIEWER, undefined, { key: generated.key })).toMatchObject({ status: 200, data: { viewer: { username: ADMIN } } });
    const bearer = await withAuthorization(`Bearer ${generated.key}`);
    expect(await bearer.json()).toEqual({ data: { viewer: { username: ADMIN } } });

    // The key is listed for its owner, by prefix only: the secret is never shown again.
    const list = await t.gql('{ viewer { apiKeys { edges { node { id name } } } } }');
    const nodes = (list.data?.viewer as { apiKeys: { edges: { node: { id: string; name: string } }[] } }).apiKeys.edges.map((e) => e.node);
    expect(nodes).toContainEqual({ id: generated.apiKey.id, name: generated.apiKey.name });
    expect(JSON.stringify(list)).not.toContain(generated.key);
  });

  it('generateApiKey needs a signed-in user', async () => {
    const res = await t.gql(GENERATE, { description: 'x' }, { key: null });
    expect(res.data?.generateApiKey ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('deleteApiKey revokes the key: it then gets 401', async () => {
    const generated = await generate(ADMIN_KEY, 'to revoke');
    expect((await t.gql(VIEWER, undefined, { key: generated.key })).status).toBe(200);

    const res = await t.gql(DELETE, { id: generated.apiKey.id });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ deleteApiKey: { success: true } });

    const after = await t.gql(VIEWER, undefined, { key: generated.key });
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.message).toContain('Invalid API key');
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Revoking it again finds nothing.
    const again = await t.gql(DELETE, { id: generated.apiKey.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // The admin's own key is untouched.
    expect(await t.gql(VIEWER)).toMatchObject({ status: 200, data: { viewer: { username: ADMIN } } });
  });

  it("deleting someone else's key or an unknown id is NOT_FOUND and deletes nothing", async () => {
    const bobs = await generate(bobKey, 'bob CI');
    for (const id of [bobs.apiKey.id, encodeId('ApiKey', 999_999)]) {
      const res = await t.gql(DELETE, { id });
      expect(res.status).toBe(200);
      expect(res.data?.deleteApiKey ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code, id).toBe('NOT_FOUND');
    }
    expect(await t.gql(VIEWER, undefined, { key: bobs.key })).toMatchObject({ status: 200, data: { viewer: { username: BOB } } });
  });

  it('a malformed id is BAD_USER_INPUT', async () => {
    for (const id of ['xyz', encodeId('User', 1), '', 'QXBpS2V5Oi0x' /* ApiKey:-1 */]) {
      const res = await t.gql(DELETE, { id });
      expect(res.data?.deleteApiKey ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code, id).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(/is not a valid ApiKey id/);
    }
  });

  it('deleteApiKey needs a signed-in user', async () => {
    const res = await t.gql(DELETE, { id: encodeId('ApiKey', 1) }, { key: null });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
