import { sql } from 'kysely';
import type { DB } from '../../db/database.js';

/** How many versions each of these collections holds: one statement for any number of collections. */
export async function versionCountsByCollectionIds(db: DB, ids: readonly number[]): Promise<{ collection_id: number; n: number }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('memberships')
    .select(['collection_id', sql<number>`count(*)::int`.as('n')])
    .where('collection_id', 'in', ids)
    .groupBy('collection_id')
    .execute();
}
