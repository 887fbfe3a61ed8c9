import { sql } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Membership } from '../../db/tables.js';

export interface CollectionSummaryRow {
  collection_id: number;
  version_count: number;
  /** The newest linked version (the one holding `latest`), absent when the collection is empty. */
  latest: Membership | undefined;
}

/** Each collection's number of linked versions and its newest one: one statement for a whole page. */
export async function summariesByCollectionIds(db: DB, ids: readonly number[]): Promise<CollectionSummaryRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('memberships')
    .selectAll()
    .select(sql<string>`count(*) over (partition by collection_id)`.as('version_count'))
    .distinctOn('collection_id')
    .where('collection_id', 'in', ids)
    .orderBy('collection_id')
    .orderBy('version_index', 'desc')
    .execute();
  return rows.map(({ version_count, ...latest }) => ({
    collection_id: latest.collection_id,
    version_count: Number(version_count),
    latest,
  }));
}

export interface RegistrySummaryRow {
  project_id: number;
  collection_count: number;
  version_count: number;
}

/** Each registry's number of collections and of linked versions: one statement for a page of registries. */
export async function summariesByProjectIds(db: DB, ids: readonly number[]): Promise<RegistrySummaryRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('collections')
    .where('collections.project_id', 'in', ids)
    .where('collections.kind', '=', 'PORTFOLIO')
    .select((eb) => [
      'collections.project_id',
      eb.fn.countAll<string>().as('collection_count'),
      sql<string>`coalesce(sum((select count(*) from memberships m where m.collection_id = collections.id)), 0)`.as('version_count'),
    ])
    .groupBy('collections.project_id')
    .execute();
  return rows.map((row) => ({
    project_id: row.project_id,
    collection_count: Number(row.collection_count),
    version_count: Number(row.version_count),
  }));
}
