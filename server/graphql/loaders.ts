import DataLoader from 'dataloader';
import type { DB } from '../db/database.js';
import type { Entity, Organization } from '../db/tables.js';
import { entitiesByIds, organizationsByIds } from '../modules/organization/repository.js';
import { registryTypesByProjectIds } from '../modules/registries/repository.js';

function byId<K, V>(keys: readonly K[], rows: V[], key: (row: V) => K): (V | undefined)[] {
  const map = new Map(rows.map((row) => [key(row), row]));
  return keys.map((k) => map.get(k));
}

function grouped<K, V>(keys: readonly K[], rows: V[], key: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return keys.map((k) => map.get(k) ?? []);
}

/** Per-request batch loaders, so a list never costs one query per row. */
export function createLoaders(db: DB) {
  return {
    entity: new DataLoader<number, Entity | undefined>(async (ids) => byId(ids, await entitiesByIds(db, ids), (e) => e.id)),
    organization: new DataLoader<number, Organization | undefined>(async (ids) =>
      byId(ids, await organizationsByIds(db, ids), (o) => o.id),
    ),
    registryTypes: new DataLoader(async (ids: readonly number[]) =>
      grouped(ids, await registryTypesByProjectIds(db, ids), (t) => t.project_id),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
