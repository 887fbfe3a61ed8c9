import type { DB } from '../../db/database.js';
import type { ApiKey, User } from '../../db/tables.js';
import { digest } from './crypto.js';

export const SESSION_DAYS = 30;

export async function findUserByUsername(db: DB, username: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findUserById(db: DB, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByApiKey(db: DB, key: string): Promise<User | undefined> {
  const user = await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .selectAll('users')
    .where('api_keys.key_hash', '=', digest(key))
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
  return user;
}

export async function findUserBySession(db: DB, token: string): Promise<User | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.token_hash', '=', digest(token))
    .where('sessions.expires_at', '>', new Date())
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function createSession(db: DB, userId: number, token: string): Promise<void> {
  const expires = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);
  await db.insertInto('sessions').values({ user_id: userId, token_hash: digest(token), expires_at: expires }).execute();
}

export async function deleteSession(db: DB, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute();
}

export async function insertApiKey(db: DB, userId: number, key: string, description: string): Promise<ApiKey> {
  return db
    .insertInto('api_keys')
    .values({ user_id: userId, key_hash: digest(key), prefix: key.slice(0, 6), description })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listApiKeys(db: DB, userId: number): Promise<ApiKey[]> {
  return db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

/** Deletes the key only when it belongs to the user; returns whether one was deleted. */
export async function deleteApiKey(db: DB, userId: number, keyId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('api_keys')
    .where('id', '=', keyId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function loginFailures(db: DB, username: string) {
  return db.selectFrom('login_failures').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function recordLoginFailure(db: DB, username: string): Promise<void> {
  await db
    .insertInto('login_failures')
    .values({ username, failures: 1, last_failure_at: new Date() })
    .onConflict((oc) =>
      oc.column('username').doUpdateSet((eb) => ({
        failures: eb('login_failures.failures', '+', 1),
        last_failure_at: new Date(),
      })),
    )
    .execute();
}

export async function clearLoginFailures(db: DB, username: string): Promise<void> {
  await db.deleteFrom('login_failures').where('username', '=', username).execute();
}

export async function userByEntityId(db: DB, entityId: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('entity_id', '=', entityId).executeTakeFirst();
}
