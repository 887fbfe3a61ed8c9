import DataLoader from 'dataloader';

const loaders = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

/**
 * A DataLoader that lives as long as one request's context, made on first use. Modules declare
 * their own batch functions here instead of growing one central list.
 */
export function contextLoader<K, V>(
  ctx: object,
  name: string,
  batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
): DataLoader<K, V> {
  let byName = loaders.get(ctx);
  if (!byName) {
    byName = new Map();
    loaders.set(ctx, byName);
  }
  let loader = byName.get(name);
  if (!loader) {
    loader = new DataLoader<K, V>(batch) as unknown as DataLoader<unknown, unknown>;
    byName.set(name, loader);
  }
  return loader as unknown as DataLoader<K, V>;
}

// Batch functions return one result per key, in the keys' order: these put rows there.

/** The row of each key, or undefined where there is none. */
export function byKey<K, V>(keys: readonly K[], rows: readonly V[], key: (row: V) => K): (V | undefined)[] {
  const map = new Map(rows.map((row) => [key(row), row]));
  return keys.map((k) => map.get(k));
}

/** The row of each id, for rows that must exist: a missing one fails its own key only. */
export function requiredById<V extends { id: number }>(ids: readonly number[], rows: readonly V[]): (V | Error)[] {
  return byKey(ids, rows, (row) => row.id).map((row, i) => row ?? new Error(`row ${ids[i]} not found`));
}

/** The rows of each key, in the rows' order (one pass, not a scan per key). */
export function groupByKey<K, V>(keys: readonly K[], rows: readonly V[], key: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}
