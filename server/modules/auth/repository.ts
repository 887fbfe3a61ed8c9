import type { DB } from '../../db/database.js';
import { sql } from 'kysely';
import type { ApiKey, Entity, Organization, User } from '../../db/tables.js';
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

/**
 * A signed-in user with their organization and its entity, read by the same statement: nearly every
 * registry request names that organization first (`organization(name:)`), and then costs no
 * statement of its own for it.
 */
export interface SignedInUser {
  user: User;
  organization: Organization;
  orgEntity: Entity | undefined;
}

interface SignedInRow extends User {
  org: Organization & { created_at: string };
  org_entity: (Entity & { created_at: string }) | null;
}

function signedIn(row: SignedInRow | undefined): SignedInUser | undefined {
  if (!row) return undefined;
  const { org, org_entity, ...user } = row;
  return {
    user,
    organization: { ...org, created_at: new Date(org.created_at) },
    orgEntity: org_entity ? { ...org_entity, created_at: new Date(org_entity.created_at) } : undefined,
  };
}

const ORG_JSON = sql<SignedInRow['org']>`row_to_json(o)`.as('org');
const ORG_ENTITY_JSON = sql<SignedInRow['org_entity']>`(select row_to_json(oe) from entities oe where oe.id = o.org_entity_id)`.as('org_entity');

export async function findUserByApiKey(db: DB, key: string): Promise<SignedInUser | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .innerJoin('organizations as o', 'o.id', 'users.organization_id')
    .selectAll('users')
    .select([ORG_JSON, ORG_ENTITY_JSON])
    .where('api_keys.key_hash', '=', digest(key))
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
  return signedIn(row);
}

export async function findUserBySession(db: DB, token: string): Promise<SignedInUser | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('organizations as o', 'o.id', 'users.organization_id')
    .selectAll('users')
    .select([ORG_JSON, ORG_ENTITY_JSON])
    .where('sessions.token_hash', '=', digest(token))
    .where('sessions.expires_at', '>', new Date())
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
  return signedIn(row);
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
