import type { ApiKey, User } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { newApiKey } from './crypto.js';
import { deleteApiKey, insertApiKey, listApiKeys, userByEntityId } from './repository.js';

/** A new API key of the viewer: the secret is returned this once, only its digest is kept. */
export async function createApiKey(ctx: Context, viewer: User, description: string): Promise<{ apiKey: ApiKey; key: string }> {
  const text = description.trim();
  if (text.length > 200) throw userError('BAD_USER_INPUT', 'The description is longer than 200 characters.');
  const key = newApiKey();
  const apiKey = await insertApiKey(ctx.db, viewer.id, key, text);
  return { apiKey, key };
}

export async function revokeApiKey(ctx: Context, viewer: User, keyId: number): Promise<void> {
  if (!(await deleteApiKey(ctx.db, viewer.id, keyId))) {
    throw userError('NOT_FOUND', 'No API key of yours has this id; it may already be revoked.');
  }
}

/** A user's keys, for the user themself only (null for anyone else). */
export async function apiKeysOf(ctx: Context, user: User): Promise<ApiKey[] | null> {
  return ctx.viewer?.id === user.id ? listApiKeys(ctx.db, user.id) : null;
}

/** The person whose own entity this is. */
export async function userOfEntity(ctx: Context, entityId: number): Promise<User | undefined> {
  return userByEntityId(ctx.db, entityId);
}
