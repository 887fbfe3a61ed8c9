import type { DB } from '../../db/database.js';
import { sql } from 'kysely';
import type { ApiKey, Entity, Organization, User } from '../../db/tables.js';
import { digest } from './crypto.js';

export const SESSION_DAYS = 30;

export async function findUserByUsername(db: DB, username: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).where('deleted_at', 'is', null).executeTakeFirst();
}

/** The longest-standing organization admin: who the operator's command-line actions are recorded as. */
export async function findFirstOrgAdmin(db: DB): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('org_role', '=', 'admin')
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(1)
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
const ORG_ENTITY_JSON = sql<SignedInRow['org_entity']>`(select row_to_json(oe) from entities oe where oe.id = o.org_entity_id)`.as(
  'org_entity',
);

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
  await db
    .insertInto('sessions')
    .values({ user_id: userId, token_hash: digest(token), expires_at: expires })
    .execute();
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
  const result = await db.deleteFrom('api_keys').where('id', '=', keyId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface ThrottleRow {
  key: string;
  failures: number;
  last_failure_at: Date;
}

export async function throttleRows(db: DB, keys: readonly string[]): Promise<ThrottleRow[]> {
  return db.selectFrom('sign_in_throttles').selectAll().where('key', 'in', keys).execute();
}

/**
 * Counts a failure under each key, starting again from 1 where the last failure is older than
 * `forgetBefore`; the same statement purges rows nobody failed on since then, so names that were only
 * ever guessed do not pile up.
 */
export async function recordThrottleFailures(db: DB, keys: readonly string[], now: Date, forgetBefore: Date): Promise<void> {
  await db
    .with('purged', (qb) => qb.deleteFrom('sign_in_throttles').where('last_failure_at', '<', forgetBefore).where('key', 'not in', keys))
    .insertInto('sign_in_throttles')
    .values(keys.map((key) => ({ key, failures: 1, last_failure_at: now })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when sign_in_throttles.last_failure_at < ${forgetBefore} then 1 else sign_in_throttles.failures + 1 end`,
        last_failure_at: now,
      }),
    )
    .execute();
}

export async function clearThrottles(db: DB, keys: readonly string[]): Promise<void> {
  await db.deleteFrom('sign_in_throttles').where('key', 'in', keys).execute();
}

export async function setPasswordHash(db: DB, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/** Ends the user's sessions, all of them or all but the one with this token. */
export async function deleteSessionsOfUser(db: DB, userId: number, keepToken?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepToken !== undefined) query = query.where('token_hash', '<>', digest(keepToken));
  await query.execute();
}

/** A new one-time link for the user; any earlier unused link of theirs stops working. */
export async function replacePasswordLink(db: DB, userId: number, token: string, createdBy: number, expiresAt: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('password_links').where('user_id', '=', userId).execute();
    await trx
      .insertInto('password_links')
      .values({ user_id: userId, token_hash: digest(token), created_by: createdBy, expires_at: expiresAt })
      .execute();
  });
}

/** The user a link is for, while it is unused and unexpired. */
export async function findUserByPasswordLink(db: DB, token: string): Promise<(User & { link_expires_at: Date }) | undefined> {
  return db
    .selectFrom('password_links')
    .innerJoin('users', 'users.id', 'password_links.user_id')
    .selectAll('users')
    .select('password_links.expires_at as link_expires_at')
    .where('password_links.token_hash', '=', digest(token))
    .where('password_links.expires_at', '>', new Date())
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Sets the password through a link and spends it, in one transaction: the link row is deleted first,
 * so of two requests with the same link only one finds it. Every session of the user ends.
 * Returns the user, or undefined when the link is unknown, used or expired.
 */
export async function usePasswordLink(db: DB, token: string, passwordHash: string): Promise<User | undefined> {
  return db.transaction().execute(async (trx) => {
    const link = await trx
      .deleteFrom('password_links')
      .where('token_hash', '=', digest(token))
      .returning(['user_id', 'expires_at'])
      .executeTakeFirst();
    if (!link || link.expires_at <= new Date()) return undefined;
    const user = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', link.user_id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!user) return undefined;
    await trx.deleteFrom('password_links').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    return user;
  });
}

export async function userByEntityId(db: DB, entityId: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('entity_id', '=', entityId).executeTakeFirst();
}

export async function usersByIds(db: DB, ids: readonly number[]): Promise<User[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}
