import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';

// Changing a password and one-time links, as the browser meets them: a session cookie from sign-in,
// GraphQL with that cookie and the CSRF header; a link used signed out.

const OLD = 'the first password';
const NEW = 'the second password';

let t: TestApp;
let bob: TestUser;
let mia: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  bob = await createUser(t, { username: 'bob', password: OLD });
  mia = await createUser(t, { username: 'mia', orgRole: 'member' });
});
afterAll(() => t.close());

let address = 0;
/** Each sign-in from its own address, so the throttle never interferes here (sign-in.test.ts tests it). */
function login(username: string, password: string): Promise<Response> {
  address += 1;
  return t.app.fetchFrom(
    new Request('http://registry.test/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
      body: JSON.stringify({ username, password }),
    }),
    { clientAddress: `10.1.${Math.floor(address / 250)}.${address % 250}` },
  );
}

async function signIn(username: string, password: string): Promise<string> {
  const response = await login(username, password);
  expect(response.status, `sign-in of ${username}`).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** GraphQL as the browser sends it: the cookie (or none) and the CSRF header. */
async function gqlAs(cookie: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' };
  if (cookie) headers.cookie = cookie;
  const response = await t.request('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResult, 'status'>) };
}

async function viewerOf(cookie: string): Promise<string | null> {
  const res = await gqlAs(cookie, '{ viewer { username } }');
  return (res.data?.viewer as { username: string } | null)?.username ?? null;
}

const CHANGE = `mutation Change($input: ChangePasswordInput!) { changePassword(input: $input) { user { username } } }`;
const RESET = `mutation Reset($username: String!) { createPasswordResetLink(input: { username: $username }) { user { username } passwordLink { url expiresAt } } }`;
const LINK = `query Link($token: String!) { passwordLink(token: $token) { username expiresAt } }`;
const SET = `mutation Set($input: SetPasswordWithLinkInput!) { setPasswordWithLink(input: $input) { username } }`;

function tokenOf(url: string): string {
  const parsed = new URL(url);
  expect(parsed.pathname).toBe('/set-password');
  return parsed.hash.slice(1);
}

describe('changePassword', () => {
  it('needs the current password; refuses bad input changing nothing; then ends every other session but this one', async () => {
    const here = await signIn('bob', OLD);
    const elsewhere = await signIn('bob', OLD);

    for (const [input, message] of [
      [{ currentPassword: 'not the password', newPassword: NEW }, /current password is wrong/],
      [{ currentPassword: OLD, newPassword: 'short' }, /at least 8 characters/],
      [{ currentPassword: OLD, newPassword: 'x'.repeat(1001) }, /at most 1000 characters/],
    ] as const) {
      const res = await gqlAs(here, CHANGE, { input });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    expect(await viewerOf(elsewhere)).toBe('bob');
    expect((await login('bob', OLD)).status).toBe(200);

    const res = await gqlAs(here, CHANGE, { input: { currentPassword: OLD, newPassword: NEW } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.changePassword).toEqual({ user: { username: 'bob' } });
    expect(await viewerOf(here)).toBe('bob');
    expect(await viewerOf(elsewhere)).toBeNull();
    expect((await login('bob', OLD)).status).toBe(401);
    expect((await login('bob', NEW)).status).toBe(200);
  });

  it('anonymous callers are told to sign in', async () => {
    const res = await gqlAs(null, CHANGE, { input: { currentPassword: OLD, newPassword: NEW } });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('password reset links', () => {
  it("an org admin makes a link: the user's sessions end; the link sets a password once, then never again", async () => {
    const session = await signIn('bob', NEW);
    const made = await t.gql(RESET, { username: 'bob' });
    expect(made.errors).toBeUndefined();
    const { passwordLink } = made.data?.createPasswordResetLink as { passwordLink: { url: string; expiresAt: string } };
    expect(passwordLink.url).toMatch(/^http:\/\/registry\.test\/set-password#[A-Za-z0-9_-]{43}$/);
    const hours = (new Date(passwordLink.expiresAt).getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect(await viewerOf(session)).toBeNull();

    // Only a digest of the token is stored.
    const token = tokenOf(passwordLink.url);
    const stored = await t.db.selectFrom('password_links').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    // Looking at a link does not use it.
    expect((await gqlAs(null, LINK, { token })).data?.passwordLink).toEqual({ username: 'bob', expiresAt: passwordLink.expiresAt });
    const short = await gqlAs(null, SET, { input: { token, newPassword: 'short' } });
    expect(short.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const used = await gqlAs(null, SET, { input: { token, newPassword: 'the third password' } });
    expect(used.errors).toBeUndefined();
    expect(used.data?.setPasswordWithLink).toEqual({ username: 'bob' });
    expect((await login('bob', NEW)).status).toBe(401);
    expect((await login('bob', 'the third password')).status).toBe(200);

    const again = await gqlAs(null, SET, { input: { token, newPassword: 'the fourth password' } });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(again.errors?.[0]?.message).toMatch(/used already, has expired/);
    expect((await gqlAs(null, LINK, { token })).data?.passwordLink).toBeNull();
    expect((await login('bob', 'the third password')).status).toBe(200);
  });

  it('a link that has expired does not work and changes nothing', async () => {
    const made = await t.gql(RESET, { username: 'bob' });
    const token = tokenOf((made.data?.createPasswordResetLink as { passwordLink: { url: string } }).passwordLink.url);
    await t.db
      .updateTable('password_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', bob.userId)
      .execute();
    expect((await gqlAs(null, LINK, { token })).data?.passwordLink).toBeNull();
    const res = await gqlAs(null, SET, { input: { token, newPassword: 'an expired try' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await login('bob', 'the third password')).status).toBe(200);
  });

  it('a newer link replaces the older one; unknown tokens are NOT_FOUND', async () => {
    const first = await t.gql(RESET, { username: 'bob' });
    const second = await t.gql(RESET, { username: 'bob' });
    const url = (res: GraphQLResult) => (res.data?.createPasswordResetLink as { passwordLink: { url: string } }).passwordLink.url;
    const older = await gqlAs(null, SET, { input: { token: tokenOf(url(first)), newPassword: 'from the older link' } });
    expect(older.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    for (const token of ['', 'made-up', 'x'.repeat(5000)]) {
      expect((await gqlAs(null, SET, { input: { token, newPassword: 'a made up try' } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect((await gqlAs(null, SET, { input: { token: tokenOf(url(second)), newPassword: 'from the newer link' } })).errors).toBeUndefined();
    expect((await login('bob', 'from the newer link')).status).toBe(200);
  });

  it('only org admins make links; an unknown user is NOT_FOUND', async () => {
    const res = await t.gql(RESET, { username: 'bob' }, { key: mia.key });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toMatch(/organization admin role/);
    expect((await t.gql(RESET, { username: 'nobody' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(RESET, { username: 'bob' }, { key: null })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
