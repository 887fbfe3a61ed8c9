import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { ADMIN, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/users.js';

/** A second user, so the lockout test does not lock the admin out of the other tests. */
const BOB = 'bob';
const BOB_PASSWORD = 'bob has a long password';
const VIEWER = '{ viewer { username } }';
/** What the app's own pages send: the browser adds Origin, the app adds the CSRF header. */
const ORIGIN = { origin: 'http://registry.test' };
const FROM_APP = { 'x-registry-csrf': '1', ...ORIGIN };

interface ErrorBody {
  errors: { message: string; extensions?: { code?: string } }[];
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createUser(t, { username: BOB, password: BOB_PASSWORD });
});
afterAll(() => t.close());

function login(body: unknown, headers: Record<string, string> = FROM_APP): Promise<Response> {
  return t.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Signs in and returns the `name=value` pair to send back as the Cookie header. */
async function signIn(username: string, password: string): Promise<string> {
  const response = await login({ username, password });
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const pair = setCookie.split(';')[0] ?? '';
  expect(pair).toMatch(/^registry_session=.+/);
  return pair;
}

async function viewerWithCookie(
  cookie: string,
  headers: Record<string, string> = FROM_APP,
  fetch: (request: Request) => Promise<Response> = (r) => t.app.fetch(r),
): Promise<{ status: number; body: { data?: { viewer: { username: string } | null } } & Partial<ErrorBody> }> {
  const response = await fetch(
    new Request('http://registry.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...headers },
      body: JSON.stringify({ query: VIEWER }),
    }),
  );
  return { status: response.status, body: (await response.json()) as { data?: { viewer: { username: string } | null } } };
}

describe('POST /api/auth/login', () => {
  it('with the right password sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const response = await login({ username: ADMIN, password: ADMIN_PASSWORD });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ username: ADMIN });
    const setCookie = response.headers.get('set-cookie') ?? '';
    const attributes = setCookie.split(';').map((part) => part.trim());
    expect(attributes[0]).toMatch(/^registry_session=[^;\s]{20,}$/);
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Lax');
    expect(attributes).toContain('Path=/');
    expect(attributes.some((a) => /^Max-Age=\d+$/.test(a) && Number(a.slice(8)) > 0)).toBe(true);
    // Plain http: a Secure cookie would never come back.
    expect(attributes).not.toContain('Secure');
  });

  it('marks the cookie Secure behind an https proxy', async () => {
    const response = await login(
      { username: ADMIN, password: ADMIN_PASSWORD },
      { ...FROM_APP, origin: 'https://registry.test', 'x-forwarded-proto': 'https' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/;\s*Secure(;|$)/);
  });

  it('the cookie authenticates GraphQL from the app: POST, and GET with Sec-Fetch-Site same-origin', async () => {
    const cookie = await signIn(ADMIN, ADMIN_PASSWORD);

    const post = await viewerWithCookie(cookie);
    expect(post.status).toBe(200);
    expect(post.body.data).toEqual({ viewer: { username: ADMIN } });

    const get = await t.request(`/graphql?query=${encodeURIComponent(VIEWER)}`, {
      headers: { accept: 'application/graphql-response+json', cookie, 'x-registry-csrf': '1', 'sec-fetch-site': 'same-origin' },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: unknown }).data).toEqual({ viewer: { username: ADMIN } });
  });

  it('a cookie-authenticated POST without the CSRF header is refused with 403 naming the header', async () => {
    const cookie = await signIn(ADMIN, ADMIN_PASSWORD);
    const withoutValidHeader: Record<string, string>[] = [ORIGIN, { ...ORIGIN, 'x-registry-csrf': '0' }];
    for (const headers of withoutValidHeader) {
      const res = await viewerWithCookie(cookie, headers);
      expect(res.status).toBe(403);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors?.[0]?.message).toContain('x-registry-csrf');
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('a sign-in without the CSRF header is refused', async () => {
    const response = await login({ username: ADMIN, password: ADMIN_PASSWORD }, ORIGIN);
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(((await response.json()) as ErrorBody).errors[0]?.message).toContain('x-registry-csrf');
  });

  it('with a wrong password is 401 "Wrong username or password." and sets no cookie', async () => {
    for (const body of [
      { username: ADMIN, password: 'not the password' },
      { username: 'nobody-here', password: ADMIN_PASSWORD },
    ]) {
      const response = await login(body);
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(await response.json()).toEqual({
        errors: [{ message: 'Wrong username or password.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    // The failure above does not count against a later, correct sign-in.
    await signIn(ADMIN, ADMIN_PASSWORD);
  });

  it('with missing or malformed fields is 400', async () => {
    for (const body of [
      {},
      { username: ADMIN },
      { password: ADMIN_PASSWORD },
      { username: '  ', password: 'x' },
      { username: ADMIN, password: '' },
      { username: 1, password: 2 },
      'null',
      '{not json',
    ]) {
      const response = await login(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(((await response.json()) as ErrorBody).errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('after 5 failures the 6th attempt is 429 with retry-after, even with the right password', async () => {
    for (let i = 1; i <= 5; i++) {
      const response = await login({ username: BOB, password: `wrong ${i}` });
      expect(response.status, `attempt ${i}`).toBe(401);
    }
    const locked = await login({ username: BOB, password: BOB_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('set-cookie')).toBeNull();
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    const error = ((await locked.json()) as ErrorBody).errors[0];
    expect(error?.message).toMatch(new RegExp(`Try again in ${retryAfter} seconds?\\.`));
    expect(error?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    // Only bob is locked out.
    await signIn(ADMIN, ADMIN_PASSWORD);
  });
});

describe('POST /api/auth/logout', () => {
  it('is 204, clears the cookie, and the old cookie no longer authenticates', async () => {
    const cookie = await signIn(ADMIN, ADMIN_PASSWORD);
    expect((await viewerWithCookie(cookie)).body.data?.viewer).toEqual({ username: ADMIN });

    const response = await t.request('/api/auth/logout', { method: 'POST', headers: { cookie, ...FROM_APP } });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(/^registry_session=;.*Max-Age=0/);

    const after = await viewerWithCookie(cookie);
    expect(after.status).toBe(200);
    expect(after.body.data).toEqual({ viewer: null });
  });

  it('a logout with the cookie but without the CSRF header is refused and keeps the session', async () => {
    const cookie = await signIn(ADMIN, ADMIN_PASSWORD);
    const response = await t.request('/api/auth/logout', { method: 'POST', headers: { cookie, ...ORIGIN } });
    expect(response.status).toBe(403);
    expect((await viewerWithCookie(cookie)).body.data?.viewer).toEqual({ username: ADMIN });
  });
});

describe('sessions', () => {
  it('survive a restart: a new app on the same database accepts the cookie', async () => {
    const cookie = await signIn(ADMIN, ADMIN_PASSWORD);
    const restarted = createApp(t.db, { maxBodyBytes: 1024 * 1024, webDir: path.resolve(import.meta.dirname, '../../dist') });
    const res = await viewerWithCookie(cookie, undefined, (r) => restarted.fetch(r));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ viewer: { username: ADMIN } });
  });

  it('an unknown session cookie is anonymous, not an error', async () => {
    const res = await viewerWithCookie('registry_session=made-up-token');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ viewer: null });
  });

  it('a cookie that is not valid percent-encoding is anonymous, not a 500', async () => {
    for (const cookie of ['registry_session=%E0%A4%A', 'registry_session=%']) {
      const res = await viewerWithCookie(cookie);
      expect(res.status, cookie).toBe(200);
      expect(res.body.data).toEqual({ viewer: null });
    }
  });
});
