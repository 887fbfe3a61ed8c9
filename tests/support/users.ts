import { createUser as createSeededUser, type UserOptions } from '../../seed/people.js';
import { newApiKey } from '../../server/modules/auth/crypto.js';
import { insertApiKey } from '../../server/modules/auth/repository.js';
import type { TestApp } from './app.js';

export interface TestUser {
  /** The GraphQL User id (base64 `User:N`). */
  id: string;
  /** An API key of the user, for `t.gql(query, variables, { key })`. */
  key: string;
  username: string;
  /** The user's integer id in the database. */
  userId: number;
}

/**
 * A user made through the API (createUser), with an API key of their own. The API makes a key only
 * for its signed-in owner (seed's createUserWithKey: a password, a sign-in, "Create API key"), which
 * costs two password hashes of ~0.8 s each: with several users per file that made test files more
 * than twice as slow (links-roles' setup alone went past 60 s), so the key is stored directly here.
 */
export async function createUser(t: TestApp, options: UserOptions): Promise<TestUser> {
  const { id, username, userId } = await createSeededUser(t, options);
  const key = newApiKey();
  await insertApiKey(t.db, userId, key, 'test');
  return { id, key, username, userId };
}

/** A sign-in as the browser sends it, from `clientAddress` (as main.ts passes the socket's peer). */
export function signInFrom(t: TestApp, username: string, password: string, clientAddress: string): Promise<Response> {
  return t.app.fetchFrom(
    new Request('http://registry.test/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
      body: JSON.stringify({ username, password }),
    }),
    { clientAddress },
  );
}
