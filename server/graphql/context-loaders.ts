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
