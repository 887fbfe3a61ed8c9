import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import type { DB } from '../../server/db/database.js';
import { bootstrap, type BootstrapInput } from '../../server/modules/organization/bootstrap.js';
import { freshDatabase } from '../support/db.js';

// No createTestApp here: it bootstraps, and this file tests bootstrap itself on an empty database.
const FIRST: BootstrapInput = { orgName: 'initech', adminUser: 'root', adminPassword: undefined, adminApiKey: undefined };

let db: DB;
let drop: () => Promise<void>;
let app: App;
beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  app = createApp(db, { maxBodyBytes: 1024 * 1024, webDir: path.resolve(import.meta.dirname, '../../dist') });
});
afterAll(() => drop());

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of ['organizations', 'entities', 'users', 'api_keys', 'projects', 'registry_types'] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    result[table] = Number(row.n);
  }
  return result;
}

function login(username: string, password: string): Promise<Response> {
  return app.fetch(
    new Request('http://registry.test/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
      body: JSON.stringify({ username, password }),
    }),
  );
}

async function viewerWithKey(key: string): Promise<{ status: number; body: unknown }> {
  const response = await app.fetch(
    new Request('http://registry.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { username admin organizations { name } } }' }),
    }),
  );
  return { status: response.status, body: await response.json() };
}

describe('bootstrap', () => {
  it('refuses invalid REGISTRY_ORG names with a clear error, before writing anything', async () => {
    for (const orgName of ['', '-acme', '.acme', 'my org', 'acme/evil', '../etc', 'é', 'a'.repeat(65), 'acme\n']) {
      await expect(bootstrap(db, { ...FIRST, orgName }), JSON.stringify(orgName)).rejects.toThrow(
        /^REGISTRY_ORG ".*" must be 1-64 letters, digits, "-", "_" or "\.", starting with a letter or digit\.$/s,
      );
    }
    // Other settings are checked the same way.
    await expect(bootstrap(db, { ...FIRST, adminUser: 'no spaces' })).rejects.toThrow(/^REGISTRY_ADMIN_USER/);
    await expect(bootstrap(db, { ...FIRST, adminUser: FIRST.orgName })).rejects.toThrow(/must differ from REGISTRY_ORG/);
    await expect(bootstrap(db, { ...FIRST, adminPassword: 'short' })).rejects.toThrow(/at least 8 characters/);
    await expect(bootstrap(db, { ...FIRST, adminApiKey: 'short key' })).rejects.toThrow(/^REGISTRY_ADMIN_API_KEY/);
    expect(await counts()).toEqual({ organizations: 0, entities: 0, users: 0, api_keys: 0, projects: 0, registry_types: 0 });
  });

  let password: string;
  let apiKey: string;

  it('on an empty database creates the org and generates the admin password and a 40-hex API key', async () => {
    const result = await bootstrap(db, FIRST);
    expect(result.created).toBe(true);
    expect(Object.keys(result.generated).sort()).toEqual(['apiKey', 'password']);
    password = result.generated.password ?? '';
    apiKey = result.generated.apiKey ?? '';
    expect(apiKey).toMatch(/^[0-9a-f]{40}$/);
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(await counts()).toEqual({ organizations: 1, entities: 2, users: 1, api_keys: 1, projects: 2, registry_types: 2 });
    // Only digests are stored.
    const stored = JSON.stringify(await db.selectFrom('users').innerJoin('api_keys', 'api_keys.user_id', 'users.id').selectAll().execute());
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(apiKey);
  });

  it('the generated password signs in', async () => {
    const response = await login(FIRST.adminUser, password);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ username: FIRST.adminUser });
    expect(response.headers.get('set-cookie')).toMatch(/^registry_session=/);
  });

  it('the generated API key authenticates GraphQL as the admin', async () => {
    expect(await viewerWithKey(apiKey)).toEqual({
      status: 200,
      body: { data: { viewer: { username: FIRST.adminUser, admin: true, organizations: [{ name: FIRST.orgName }] } } },
    });
  });

  it('a second run with other values returns created: false and changes nothing', async () => {
    const before = await counts();
    const users = await db.selectFrom('users').select(['username', 'password_hash']).execute();
    const second = await bootstrap(db, {
      orgName: 'globex',
      adminUser: 'boss',
      adminPassword: 'another password',
      adminApiKey: 'b'.repeat(40),
    });
    expect(second).toEqual({ created: false, generated: {} });
    expect(await counts()).toEqual(before);
    expect(await db.selectFrom('users').select(['username', 'password_hash']).execute()).toEqual(users);
    expect(await db.selectFrom('organizations').select('name').execute()).toEqual([{ name: FIRST.orgName }]);

    // A run without values generates nothing either.
    expect(await bootstrap(db, FIRST)).toEqual({ created: false, generated: {} });

    // The first credentials still work; the second run's do not.
    expect((await login(FIRST.adminUser, password)).status).toBe(200);
    expect((await viewerWithKey(apiKey)).status).toBe(200);
    expect((await login('boss', 'another password')).status).toBe(401);
    expect((await login(FIRST.adminUser, 'another password')).status).toBe(401);
    expect((await viewerWithKey('b'.repeat(40))).status).toBe(401);
  });
});
