import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { logArtifact } from '../../seed/sdk-logging.js';

// The web app's "Log version" runs the SDK's write path from a signed-in browser: GraphQL with the
// session cookie and the CSRF header, then PUTs to the upload URLs with no credentials at all.

let t: TestApp;
const PASSWORD = 'browser password 123';
beforeAll(async () => {
  t = await createTestApp();
  const carol = await createUser(t, { username: 'carol', password: PASSWORD });
  await createTeam(t, { name: 'vision', members: [carol] });
});
afterAll(() => t.close());

async function sessionCookie(username: string, password: string): Promise<string> {
  const response = await t.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** A client that speaks GraphQL as the browser does: cookie, the app's Origin and the CSRF header, no API key. */
function browser(cookie: string, csrf = true): Pick<TestApp, 'gql' | 'request'> {
  return {
    request: (pathname, init) => t.request(pathname, init),
    async gql(query, variables) {
      const response = await t.request('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie,
          origin: 'http://registry.test',
          ...(csrf ? { 'x-registry-csrf': '1' } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<GraphQLResult, 'status'>) };
    },
  };
}

describe('logging a version from a browser session', () => {
  it('runs the whole write path with the session cookie and lands as the next version', async () => {
    const cookie = await sessionCookie('carol', PASSWORD);
    const files = { 'model.txt': 'weights', 'config/params.json': '{"lr":0.1}' };
    const first = await logArtifact(browser(cookie), { entity: 'vision', project: 'cls', name: 'net', type: 'model', files });
    const second = await logArtifact(browser(cookie), {
      entity: 'vision',
      project: 'cls',
      name: 'net',
      type: 'model',
      files: { 'model.txt': 'better' },
    });
    expect([first.versionIndex, second.versionIndex]).toEqual([0, 1]);
    const read = await t.gql(`query ($id: ID!) { artifact(id: $id) { state fileCount files { edges { node { name sizeBytes } } } } }`, {
      id: second.artifactId,
    });
    expect(read.data?.artifact).toEqual({
      state: 'COMMITTED',
      fileCount: 1,
      files: { edges: [{ node: { name: 'model.txt', sizeBytes: 6 } }] },
    });
  });

  it('refuses the cookie without the CSRF header, before anything is written', async () => {
    const cookie = await sessionCookie('carol', PASSWORD);
    await expect(
      logArtifact(browser(cookie, false), { entity: 'vision', project: 'cls', name: 'other', type: 'model', files: { a: 'b' } }),
    ).rejects.toThrow(/x-registry-csrf/);
    const project = await t.gql(`{ project(entityName: "vision", name: "cls") { artifactCollection(name: "other") { id } } }`);
    expect(project.data?.project).toEqual({ artifactCollection: null });
  });
});
