import type { ApiKey, User } from '../../db/tables.js';
import type { DB } from '../../db/database.js';
import { userError } from '../../graphql/errors.js';
import { newApiKey } from './crypto.js';
import { deleteApiKey, findFirstOrgAdmin, insertApiKey, listApiKeys, userByEntityId } from './repository.js';

/** A new API key of the viewer: the secret is returned this once, only its digest is kept. */
export async function createApiKey(db: DB, viewer: User, description: string): Promise<{ apiKey: ApiKey; key: string }> {
  const text = description.trim();
  if (text.length > 200) throw userError('BAD_USER_INPUT', 'The description is longer than 200 characters.');
  const key = newApiKey();
  const apiKey = await insertApiKey(db, viewer.id, key, text);
  return { apiKey, key };
}

export async function revokeApiKey(db: DB, viewer: User, keyId: number): Promise<void> {
  if (!(await deleteApiKey(db, viewer.id, keyId))) {
    throw userError('NOT_FOUND', 'No API key of yours has this id; it may already be revoked.');
  }
}

/** A user's keys, for the user themself only (null for anyone else). */
export async function apiKeysOf(db: DB, viewer: User | null, user: User): Promise<ApiKey[] | null> {
  return viewer?.id === user.id ? listApiKeys(db, user.id) : null;
}

/** The person whose own entity this is. */
export async function userOfEntity(db: DB, entityId: number): Promise<User | undefined> {
  return userByEntityId(db, entityId);
}

/** Who an operator's command-line change is made as: the first organization admin, who always exists after the first start. */
export async function operatorAdmin(db: DB): Promise<User> {
  const admin = await findFirstOrgAdmin(db);
  if (!admin) throw new Error('This database has no organization admin yet: start the server once to set it up.');
  return admin;
}
