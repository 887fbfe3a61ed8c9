import { sql, type Transaction } from 'kysely';
import type { Database, Membership } from '../../db/tables.js';

type Trx = Transaction<Database>;

/**
 * Adds a version to a collection (a committed source version to its sequence, or a link to a
 * portfolio): locks the collection row, takes the next index, and moves `latest` to it. Concurrent
 * calls on PostgreSQL wait on the lock, so indices have no gaps or duplicates. Returns the existing
 * membership when the artifact is already in the collection, and which membership held `latest` before
 * (null when none did), so a caller that records events can record the move.
 */
export async function appendVersion(
  trx: Trx,
  input: { collectionId: number; artifactId: number; userId: number | null },
): Promise<{ membership: Membership; created: boolean; latestFrom: number | null }> {
  const collection = await trx
    .selectFrom('collections')
    .select(['id', 'next_version_index', 'kind'])
    .where('id', '=', input.collectionId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const existing = await trx
    .selectFrom('memberships')
    .selectAll()
    .where('collection_id', '=', input.collectionId)
    .where('artifact_id', '=', input.artifactId)
    .executeTakeFirst();
  if (existing) return { membership: existing, created: false, latestFrom: null };

  const membership = await trx
    .insertInto('memberships')
    .values({
      collection_id: input.collectionId,
      artifact_id: input.artifactId,
      version_index: collection.next_version_index,
      created_by: input.userId,
      is_link: collection.kind === 'PORTFOLIO',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('collections')
    .set({ next_version_index: collection.next_version_index + 1, updated_at: new Date() })
    .where('id', '=', input.collectionId)
    .execute();
  const { movedFrom } = await setAlias(trx, { collectionId: input.collectionId, membershipId: membership.id, alias: 'latest' });
  return { membership, created: true, latestFrom: movedFrom };
}

/**
 * Puts an alias on a version; an alias is unique in its collection, so it moves from whichever
 * version held it. Returns the membership id it moved from (null when new or already there).
 */
export async function setAlias(
  trx: Trx,
  input: { collectionId: number; membershipId: number; alias: string },
): Promise<{ movedFrom: number | null; changed: boolean }> {
  const current = await trx
    .selectFrom('aliases')
    .select(['id', 'membership_id'])
    .where('collection_id', '=', input.collectionId)
    .where('alias', '=', input.alias)
    .executeTakeFirst();
  if (current?.membership_id === input.membershipId) return { movedFrom: null, changed: false };
  if (current) {
    await trx
      .updateTable('aliases')
      .set({ membership_id: input.membershipId, created_at: new Date(), linked_at: linkedAt(input.membershipId) })
      .where('id', '=', current.id)
      .execute();
    return { movedFrom: current.membership_id, changed: true };
  }
  await trx
    .insertInto('aliases')
    .values({
      collection_id: input.collectionId,
      membership_id: input.membershipId,
      alias: input.alias,
      linked_at: linkedAt(input.membershipId),
    })
    .execute();
  return { movedFrom: null, changed: true };
}

function linkedAt(membershipId: number) {
  return sql<Date>`(select created_at from memberships where id = ${membershipId})`;
}

/**
 * After the newest version leaves a collection, `latest` goes to the newest one that remains.
 * Returns that version (undefined when none remains).
 */
export async function restoreLatest(trx: Trx, collectionId: number): Promise<{ id: number; version_index: number } | undefined> {
  const newest = await trx
    .selectFrom('memberships')
    .select(['id', 'version_index'])
    .where('collection_id', '=', collectionId)
    .orderBy('version_index', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newest) await setAlias(trx, { collectionId, membershipId: newest.id, alias: 'latest' });
  return newest;
}
