import { createUserWithKey, type OrgRole } from '../../seed/people.js';
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

/** A user with an API key of their own, made as the user does: a password, a sign-in, "Create API key". */
export async function createUser(
  t: TestApp,
  options: { username: string; orgRole?: OrgRole; email?: string; name?: string; password?: string },
): Promise<TestUser> {
  const { id, key, username, userId } = await createUserWithKey(t, options);
  return { id, key, username, userId };
}
