import type { DB } from '../db/database.js';
import type { Entity, Organization } from '../db/tables.js';
import { byKey, groupByKey, RequestLoader } from './context-loaders.js';
import { entitiesByIds, organizationsByIds } from '../modules/organization/repository.js';
import { registryTypesByProjectIds } from '../modules/registries/repository.js';

/** Per-request batch loaders, so a list never costs one query per row. */
export function createLoaders(db: DB) {
  return {
    entity: new RequestLoader<number, Entity | undefined>(async (ids) => byKey(ids, await entitiesByIds(db, ids), (e) => e.id)),
    organization: new RequestLoader<number, Organization | undefined>(async (ids) =>
      byKey(ids, await organizationsByIds(db, ids), (o) => o.id),
    ),
    registryTypes: new RequestLoader(async (ids: readonly number[]) =>
      groupByKey(ids, await registryTypesByProjectIds(db, ids), (t) => t.project_id),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
