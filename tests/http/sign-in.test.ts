import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { httpHandler } from '../../server/main.js';
import { legacyHashPassword } from '../../server/modules/auth/crypto.js';
import { SIGN_IN_LIMITS } from '../../server/modules/auth/sign-in.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, signInFrom } from '../support/users.js';

// Sign-in as the browser does it, from given client addresses (as main.ts passes the socket's peer).

const PASSWORD = 'a long enough password';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface ErrorBody {
  errors: { message: string; extensions?: { code?: string } }[];
}

const login = (username: string, password: string, clientAddress: string) => signInFrom(t, username, password, clientAddress);

async function failTimes(username: string, times: number, clientAddress: string): Promise<void> {
  for (let i = 1; i <= times; i++) {
    const response = await login(username, `wrong ${i}`, clientAddress);
    expect(response.status, `failure ${i} from ${clientAddress}`).toBe(401);
  }
}

async function expectThrottled(response: Response, message: RegExp): Promise<number> {
  expect(response.status).toBe(429);
  expect(response.headers.get('set-cookie')).toBeNull();
  const wait = Number(response.headers.get('retry-after'));
  expect(wait).toBeGreaterThan(0);
  const error = ((await response.json()) as ErrorBody).errors[0];
  expect(error?.extensions?.code).toBe('TOO_MANY_REQUESTS');
  expect(error?.message).toMatch(message);
  expect(error?.message).toContain(`Try again in ${wait} second`);
  return wait;
}

describe('throttling', () => {
  it('locks the address that failed, not the user: another address still signs in', async () => {
    await createUser(t, { username: 'tom', password: PASSWORD });
    await failTimes('tom', SIGN_IN_LIMITS.perAddressAndUser, '198.51.100.1');
    await expectThrottled(await login('tom', PASSWORD, '198.51.100.1'), /for "tom"/);
    expect((await login('tom', PASSWORD, '198.51.100.2')).status).toBe(200);
    // The first wait is 2 s, which a busy machine can outlast: a few more failures make it minutes.
    await t.db
      .updateTable('sign_in_throttles')
      .set({ failures: 12, last_failure_at: new Date() })
      .where('key', '=', 'address:198.51.100.1|user:tom')
      .execute();
    // The lock stays where it was earned until it runs out, and is kept in the database, so another
    // process on the same database (here: a second app) holds it too.
    expect((await login('tom', PASSWORD, '198.51.100.1')).status).toBe(429);
    const other = createApp(t.db, { maxBodyBytes: 1024 * 1024, webDir: t.dataDir });
    const response = await other.fetchFrom(
      new Request('http://registry.test/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
        body: JSON.stringify({ username: 'tom', password: PASSWORD }),
      }),
      { clientAddress: '198.51.100.1' },
    );
    expect(response.status).toBe(429);
  });

  it("a success clears that address's count", async () => {
    await createUser(t, { username: 'uma', password: PASSWORD });
    const key = 'address:198.51.100.3|user:uma';
    await t.db
      .insertInto('sign_in_throttles')
      .values({ key, failures: SIGN_IN_LIMITS.perAddressAndUser - 1, last_failure_at: new Date() })
      .execute();
    expect((await login('uma', PASSWORD, '198.51.100.3')).status).toBe(200);
    expect(await t.db.selectFrom('sign_in_throttles').select('failures').where('key', '=', key).executeTakeFirst()).toBeUndefined();
  });

  it('failures from many addresses reach a slower per-user limit whose wait is at most a minute', async () => {
    await createUser(t, { username: 'vic', password: PASSWORD });
    // As if guessed from many addresses already: one short of the per-user limit.
    await t.db
      .insertInto('sign_in_throttles')
      .values({ key: 'user:vic', failures: SIGN_IN_LIMITS.perUser - 1, last_failure_at: new Date() })
      .execute();
    await failTimes('vic', 1, '203.0.113.7');
    const wait = await expectThrottled(await login('vic', PASSWORD, '203.0.113.8'), /for "vic"/);
    expect(wait).toBeLessThanOrEqual(60);
    // Names compare without case: "VIC" is the same user's count.
    expect((await login('VIC', PASSWORD, '203.0.113.9')).status).toBe(429);
  });

  it('one address trying many names is throttled for every name', async () => {
    await createUser(t, { username: 'wes', password: PASSWORD });
    await t.db
      .insertInto('sign_in_throttles')
      .values({ key: 'address:192.0.2.50', failures: SIGN_IN_LIMITS.perAddress - 1, last_failure_at: new Date() })
      .execute();
    await failTimes('someone-else', 1, '192.0.2.50');
    await expectThrottled(await login('wes', PASSWORD, '192.0.2.50'), /from your address/);
    expect((await login('wes', PASSWORD, '192.0.2.51')).status).toBe(200);
  });

  it('failures older than an hour are forgotten', async () => {
    await createUser(t, { username: 'xia', password: PASSWORD });
    const key = 'address:198.51.100.20|user:xia';
    await t.db
      .insertInto('sign_in_throttles')
      .values({ key, failures: SIGN_IN_LIMITS.perAddressAndUser, last_failure_at: new Date() })
      .execute();
    expect((await login('xia', PASSWORD, '198.51.100.20')).status).toBe(429);
    await t.db
      .updateTable('sign_in_throttles')
      .set({ last_failure_at: new Date(Date.now() - 2 * 3600 * 1000) })
      .where('key', '=', key)
      .execute();
    expect((await login('xia', PASSWORD, '198.51.100.20')).status).toBe(200);
  });

  it('over node:http the address is the socket peer; X-Forwarded-For is ignored unless proxies are configured', async () => {
    await createUser(t, { username: 'zed', password: PASSWORD });
    const direct = http.createServer(httpHandler(t.app, 0));
    const proxied = http.createServer(httpHandler(t.app, 1));
    await new Promise<void>((resolve) => direct.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => proxied.listen(0, '127.0.0.1', resolve));
    const post = (server: http.Server, password: string, forwardedFor: string) => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return fetch(`${origin}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin, 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ username: 'zed', password }),
      });
    };
    try {
      for (let i = 1; i <= SIGN_IN_LIMITS.perAddressAndUser; i++)
        expect((await post(direct, `wrong ${i}`, `10.9.9.${i}`)).status).toBe(401);
      // A made-up header does not escape the lock of the socket's address.
      expect((await post(direct, PASSWORD, '10.9.9.99')).status).toBe(429);
      const keys = await t.db.selectFrom('sign_in_throttles').select('key').where('key', 'like', 'address:%|user:zed').execute();
      expect(keys.map((k) => k.key)).toEqual([expect.stringMatching(/^address:(::ffff:)?127\.0\.0\.1\|user:zed$/)]);
      // Behind one trusted proxy the address is the last X-Forwarded-For entry, the one the proxy wrote.
      expect((await post(proxied, PASSWORD, '6.6.6.6, 10.9.9.100')).status).toBe(200);
    } finally {
      direct.close();
      proxied.close();
    }
  });
});

describe('hashing', () => {
  it("a password stored with the old, weaker parameters still signs in and is stored again at today's", async () => {
    const user = await createUser(t, { username: 'old-timer', password: PASSWORD });
    await t.db
      .updateTable('users')
      .set({ password_hash: await legacyHashPassword('an old password here') })
      .where('id', '=', user.userId)
      .execute();
    const before = await t.db.selectFrom('users').select('password_hash').where('id', '=', user.userId).executeTakeFirstOrThrow();
    expect(before.password_hash).toMatch(/^scrypt\$[^$]+\$[^$]+$/);

    expect((await login('old-timer', 'an old password here', '198.51.100.40')).status).toBe(200);
    const after = await t.db.selectFrom('users').select('password_hash').where('id', '=', user.userId).executeTakeFirstOrThrow();
    expect(after.password_hash).toMatch(/^scrypt\$ln=17,r=8,p=1\$/);
    expect((await login('old-timer', 'an old password here', '198.51.100.40')).status).toBe(200);
    expect((await login('old-timer', 'not it', '198.51.100.41')).status).toBe(401);
  });

  it('new passwords are hashed with scrypt N=2^17, r=8, p=1', async () => {
    const user = await createUser(t, { username: 'fresh', password: PASSWORD });
    const row = await t.db.selectFrom('users').select('password_hash').where('id', '=', user.userId).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
  });
});

describe('users without a password', () => {
  it('a user without a password yet (made from an email) cannot sign in with any password', async () => {
    const made = await t.gql(`mutation { createUser(input: { email: "nopass@example.com" }) { user { username } } }`);
    expect(made.errors).toBeUndefined();
    for (const password of ['anything at all', '!', 'null']) expect((await login('nopass', password, '100.64.2.1')).status).toBe(401);
    const row = await t.db
      .selectFrom('users')
      .select(sql<boolean>`password_hash is null`.as('none'))
      .where('username', '=', 'nopass')
      .executeTakeFirstOrThrow();
    expect(row.none).toBe(true);
  });
});
