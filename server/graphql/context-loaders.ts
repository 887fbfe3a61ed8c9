import DataLoader from 'dataloader';

/**
 * A DataLoader that also keeps the values it was primed with or has loaded, so a resolver can answer
 * from them without a promise (`get`): a page of 50 rows reads about 500 such values, and a promise
 * each costs more than the value.
 */
export class RequestLoader<K, V> extends DataLoader<K, V> {
  private readonly known: Map<K, V>;

  constructor(batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>) {
    const known = new Map<K, V>();
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, i) => {
        const value = values[i];
        if (!(value instanceof Error)) known.set(key, value as V);
      });
      return values;
    });
    this.known = known;
  }

  /** The value when it is known, else a promise of it. */
  get(key: K): V | Promise<V> {
    return this.known.has(key) ? (this.known.get(key) as V) : this.load(key);
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    // Like DataLoader's prime: a value already there stays.
    if (!(value instanceof Error) && !isPromiseLike(value) && !this.known.has(key)) this.known.set(key, value);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.known.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.known.clear();
    return super.clearAll();
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Applies `f` to a value or to the value of a promise, staying synchronous when it can. */
export function andThen<T, R>(value: T | Promise<T>, f: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/** The request's loaders by name: the context carries it, so every module's loaders live as long as the request. */
export type LoaderRegistry = Map<string, RequestLoader<unknown, unknown>>;

/**
 * A loader that lives as long as one request's context, made on first use. Modules declare their
 * own batch functions here instead of growing one central list.
 */
export function contextLoader<K, V>(
  ctx: { loaders: LoaderRegistry },
  name: string,
  batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
): RequestLoader<K, V> {
  let loader = ctx.loaders.get(name);
  if (!loader) {
    loader = new RequestLoader<K, V>(batch) as unknown as RequestLoader<unknown, unknown>;
    ctx.loaders.set(name, loader);
  }
  return loader as unknown as RequestLoader<K, V>;
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
