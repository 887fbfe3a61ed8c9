// Loaded with the first mutation, not with the first page (see `createGraphQLClient`).
import type { Cache, Data, UpdateResolver, Variables } from '@urql/exchange-graphcache';
import schema from 'virtual:schema-introspection';
import { gql } from 'urql';

interface Node {
  __typename: string;
  id: string;
}
interface Connection {
  __typename: string;
  edges: { __typename: string; cursor: string; node: Node }[];
  totalCount?: number;
}

// Connections as the lists below are cached under each set of arguments a page asked for. Only ids
// are read and written: the entities themselves are already in the cache from the mutation result.
const lists = {
  projects: gql`
    fragment CacheRegistries on Entity {
      id
      projects(first: $first, after: $after, order: $order, filters: $filters) {
        edges {
          cursor
          node {
            id
          }
        }
      }
    }
  `,
  artifactCollections: gql`
    fragment CacheCollections on Project {
      id
      artifactCollections(first: $first, after: $after, order: $order, filters: $filters, collectionTypes: $collectionTypes) {
        totalCount
        edges {
          cursor
          node {
            id
          }
        }
      }
    }
  `,
  artifactMemberships: gql`
    fragment CacheMemberships on ArtifactPortfolio {
      id
      artifactMemberships(first: $first, after: $after, order: $order, filters: $filters) {
        totalCount
        edges {
          cursor
          node {
            id
          }
        }
      }
    }
  `,
} as const;

/**
 * Edits every cached page of `parent.field`: `edit` returns the new connection, or null when the
 * change cannot be placed in that page (filtered, sorted otherwise, or a later page), which is then
 * dropped from the cache and fetched again when next shown.
 */
function editLists(
  cache: Cache,
  parent: string,
  field: keyof typeof lists,
  edit: (list: Connection, args: Variables) => Connection | null,
) {
  for (const info of cache.inspectFields(parent)) {
    if (info.fieldName !== field) continue;
    const args = info.arguments ?? {};
    const data = cache.readFragment<Data & Record<string, Connection | null>>(lists[field], parent, args);
    const list = data?.[field];
    const next = list ? edit(list, args) : null;
    if (next)
      cache.writeFragment(
        lists[field],
        { __typename: cache.resolve(parent, '__typename'), id: cache.resolve(parent, 'id'), [field]: next },
        args,
      );
    else cache.invalidate(parent, field, args);
  }
}

function withNode(list: Connection, node: Node, where: 'start' | 'end'): Connection {
  if (list.edges.some((edge) => edge.node.id === node.id)) return list;
  const edge = { __typename: list.edges[0]?.__typename ?? `${list.__typename.replace(/Connection$/, '')}Edge`, cursor: '', node };
  const edges = where === 'start' ? [edge, ...list.edges] : [...list.edges, edge];
  return { ...list, edges, ...(list.totalCount === undefined ? {} : { totalCount: list.totalCount + 1 }) };
}

function withoutNode(list: Connection, id: string): Connection {
  const edges = list.edges.filter((edge) => edge.node.id !== id);
  const removed = list.edges.length - edges.length;
  return { ...list, edges, ...(list.totalCount === undefined ? {} : { totalCount: list.totalCount - removed }) };
}

/** A first page without filters, whose order puts the newest item first (or last): where a new item goes. */
function newestGoes(args: Variables, defaultOrder: string): 'start' | 'end' | null {
  if (args.after || args.filters) return null;
  const order = typeof args.order === 'string' ? args.order : defaultOrder;
  if (/^-(created_?at|updated_?at|version(_?index)?)$/i.test(order)) return 'start';
  if (/^\+?created_?at$/i.test(order)) return 'end';
  return null;
}

interface Keyed {
  __typename?: string;
  id?: string;
}

/** Drops every cached page of these fields (whatever their arguments), so the next read fetches them again. */
function invalidateField(cache: Cache, entity: string | null | undefined, ...fieldNames: string[]): void {
  if (!entity) return;
  for (const field of cache.inspectFields(entity)) {
    if (fieldNames.includes(field.fieldName)) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
  }
}

/** Drops the cached pages of these fields that were asked for with a filter. */
function invalidateFiltered(cache: Cache, entity: string, ...fieldNames: string[]): void {
  for (const field of cache.inspectFields(entity)) {
    if (fieldNames.includes(field.fieldName) && field.arguments?.filters) cache.invalidate(entity, field.fieldName, field.arguments);
  }
}

/** The collections a version is in, as its cached `artifactMemberships` lists name them. */
function collectionsOfArtifact(cache: Cache, artifact: string): Set<string> {
  const found = new Set<string>();
  for (const info of cache.inspectFields(artifact)) {
    if (info.fieldName !== 'artifactMemberships') continue;
    const list = cache.resolve(artifact, info.fieldKey);
    const edges = typeof list === 'string' ? cache.resolve(list, 'edges') : null;
    if (!Array.isArray(edges)) continue;
    for (const edge of edges as string[]) {
      const node = cache.resolve(edge, 'node');
      const collection = typeof node === 'string' ? cache.resolve(node, 'artifactCollection') : null;
      if (typeof collection === 'string') found.add(collection);
    }
  }
  return found;
}

interface Typed {
  __typename: string;
  id: string;
}

const keyOf = (cache: Cache, entity: Typed | undefined) =>
  entity ? cache.keyOfEntity({ __typename: entity.__typename, id: entity.id }) : null;

/** The collection of the first version a payload's `artifactMemberships` names (selected as `artifactCollection { id }`). */
function collectionOfChanged(payload: unknown): Data | null {
  const memberships = (payload as { artifactMemberships?: { artifactCollection?: Data | null }[] } | null)?.artifactMemberships;
  return memberships?.[0]?.artifactCollection ?? null;
}

/** The organization entities the viewer's cached organizations point at (they own the registries). */
function orgEntities(cache: Cache): string[] {
  const viewer = cache.resolve('Query', 'viewer');
  const orgs = typeof viewer === 'string' ? cache.resolve(viewer, 'organizations') : null;
  if (!Array.isArray(orgs)) return [];
  return orgs.flatMap((org) => {
    const entity = typeof org === 'string' ? cache.resolve(org, 'orgEntity') : null;
    return typeof entity === 'string' ? [entity] : [];
  });
}

/** Takes a deleted registry out of the cache: the organization's registry lists, lookups by name, the entity. */
function removeRegistry(cache: Cache, id: string): void {
  const project = cache.keyOfEntity({ __typename: 'Project', id });
  if (!project) return;
  const entities = orgEntities(cache);
  // Pages that look it up by name now find nothing, and say so without asking the server.
  for (const parent of ['Query', ...entities]) {
    for (const field of cache.inspectFields(parent)) {
      if (field.fieldName === 'project' && cache.resolve(parent, field.fieldKey) === project) {
        cache.link(parent, 'project', field.arguments ?? undefined, null);
      }
    }
  }
  for (const entity of entities) {
    for (const field of cache.inspectFields(entity).filter((f) => f.fieldName === 'projects')) {
      const connection = cache.resolve(entity, field.fieldKey);
      const edges = typeof connection === 'string' ? cache.resolve(connection, 'edges') : null;
      if (typeof connection !== 'string' || !Array.isArray(edges)) continue;
      const kept = edges.filter((edge): edge is string => typeof edge === 'string' && cache.resolve(edge, 'node') !== project);
      cache.link(connection, 'edges', kept);
    }
  }
  cache.invalidate(project);
}

/** The entities cached as `entity(name:)` lookups, those of `name` only when it is given. */
function entitiesByName(cache: Cache, name?: string): string[] {
  return cache.inspectFields('Query').flatMap((field) => {
    if (field.fieldName !== 'entity' || (name !== undefined && field.arguments?.name !== name)) return [];
    const entity = cache.resolve('Query', field.fieldKey);
    return typeof entity === 'string' ? [entity] : [];
  });
}

/** Drops the cached automation lists of every registry looked up by name, so they are fetched again when next shown. */
function forgetAutomationLists(cache: Cache): void {
  for (const entity of orgEntities(cache)) {
    for (const field of cache.inspectFields(entity)) {
      if (field.fieldName !== 'project') continue;
      const project = cache.resolve(entity, field.fieldKey);
      if (typeof project === 'string') invalidateField(cache, project, 'triggers');
    }
  }
}

/** Every change writes events: the cached histories of the registries looked up by name are fetched again when next shown. */
function forgetRegistryHistories(cache: Cache): void {
  for (const entity of orgEntities(cache)) {
    for (const field of cache.inspectFields(entity)) {
      if (field.fieldName !== 'project') continue;
      const project = cache.resolve(entity, field.fieldKey);
      if (typeof project === 'string') invalidateField(cache, project, 'events');
    }
  }
}

/** Each mutation's updater (when it has one), then the registry histories forgotten: for every mutation of the schema. */
function withRegistryHistories(updaters: Record<string, UpdateResolver>): Record<string, UpdateResolver> {
  const mutation = schema.__schema.mutationType?.name;
  const type = schema.__schema.types.find((t: { name: string }) => t.name === mutation);
  const fields = type && 'fields' in type && Array.isArray(type.fields) ? (type.fields as { name: string }[]) : [];
  const wrapped: Record<string, UpdateResolver> = {};
  for (const { name } of fields) {
    const own = updaters[name];
    wrapped[name] = (result, args, cache, info) => {
      own?.(result, args, cache, info);
      forgetRegistryHistories(cache);
    };
  }
  return wrapped;
}

function aliasNames(cache: Cache, membership: string): string[] {
  const aliases = cache.resolve(membership, 'aliases');
  return Array.isArray(aliases) ? (aliases as string[]).map((alias) => String(cache.resolve(alias, 'alias'))) : [];
}

/** Whether `node` is on any cached page of `parent.field`. */
function inCachedList(cache: Cache, parent: string, field: string, node: string): boolean {
  return cache.inspectFields(parent).some((info) => {
    if (info.fieldName !== field) return false;
    const list = cache.resolve(parent, info.fieldKey);
    const edges = typeof list === 'string' ? cache.resolve(list, 'edges') : null;
    return Array.isArray(edges) && (edges as string[]).some((edge) => cache.resolve(edge, 'node') === node);
  });
}

/** The versions of a collection found in any of its cached version lists. */
function cachedMemberships(cache: Cache, collection: string): Set<string> {
  const found = new Set<string>();
  for (const info of cache.inspectFields(collection)) {
    if (info.fieldName !== 'artifactMemberships') continue;
    const list = cache.resolve(collection, info.fieldKey);
    const edges = typeof list === 'string' ? cache.resolve(list, 'edges') : null;
    if (!Array.isArray(edges)) continue;
    for (const edge of edges as string[]) {
      const node = cache.resolve(edge, 'node');
      if (typeof node === 'string') found.add(node);
    }
  }
  return found;
}

/** What each mutation changes in the cached lists beyond its own result (see `createGraphQLClient`). */
export const mutationUpdates: Record<string, UpdateResolver> = withRegistryHistories({
  // A team's secrets and webhooks are short lists on its settings page: fetched again after a change.
  insertSecret: (_result, args, cache) => {
    for (const e of entitiesByName(cache, (args.input as { entityName: string }).entityName)) cache.invalidate(e, 'secrets');
  },
  deleteSecret: (_result, args, cache) => {
    for (const e of entitiesByName(cache, (args.input as { entityName: string }).entityName)) cache.invalidate(e, 'secrets');
  },
  createGenericWebhookIntegration: (_result, args, cache) => {
    const name = (args.input as { entityName: string }).entityName;
    for (const e of entitiesByName(cache, name)) invalidateField(cache, e, 'integrations');
  },
  deleteIntegration: (_result, _args, cache) => {
    for (const e of entitiesByName(cache)) invalidateField(cache, e, 'integrations');
  },
  // A registry's automations are one short list: fetched again when one is created or deleted.
  createFilterTrigger: (_result, _args, cache) => forgetAutomationLists(cache),
  deleteTrigger: (_result, _args, cache) => forgetAutomationLists(cache),
  // A new key changes which keys the viewer has: refetch that list.
  generateApiKey: (_result, _args, cache) => {
    const viewer = cache.resolve('Query', 'viewer');
    if (typeof viewer === 'string') cache.invalidate(viewer, 'apiKeys');
  },
  // An unlinked version leaves its collection's version lists, its own page and the history.
  unlinkArtifact: (result, args, cache) => {
    // Graphcache calls updaters for refused mutations too (the field is null): nothing left then.
    if (!result.unlinkArtifact) return;
    const input = args.input as { artifactID: string; artifactPortfolioID: string };
    const collection = cache.keyOfEntity({ __typename: 'ArtifactPortfolio', id: input.artifactPortfolioID });
    if (!collection) return;
    for (const field of cache.inspectFields(collection)) {
      if (field.fieldName !== 'artifactMemberships') continue;
      const connection = cache.resolve(collection, field.fieldKey);
      if (typeof connection !== 'string') continue;
      const edges = cache.resolve(connection, 'edges');
      if (!Array.isArray(edges)) continue;
      const kept = edges.filter((edge) => {
        const node = typeof edge === 'string' ? cache.resolve(edge, 'node') : null;
        const artifact = typeof node === 'string' ? cache.resolve(node, 'artifact') : null;
        const removed = typeof artifact === 'string' && cache.resolve(artifact, 'id') === input.artifactID;
        if (removed && typeof node === 'string') cache.invalidate(node);
        return !removed;
      });
      cache.link(connection, 'edges', kept as string[]);
    }
    invalidateField(cache, collection, 'artifactCollectionActions');
  },
  // The rest change entities the payload returns; only the history gains an entry.
  addAliases: (result, _args, cache) =>
    invalidateField(cache, cache.keyOfEntity(collectionOfChanged(result.addAliases)), 'artifactCollectionActions'),
  deleteAliases: (result, _args, cache) =>
    invalidateField(cache, cache.keyOfEntity(collectionOfChanged(result.deleteAliases)), 'artifactCollectionActions'),
  updateArtifactPortfolio: (result, _args, cache) => {
    const collection = (result.updateArtifactPortfolio as { artifactCollection?: Data } | null)?.artifactCollection;
    if (collection) invalidateField(cache, cache.keyOfEntity(collection), 'artifactCollectionActions');
  },
  createArtifactCollectionTagAssignments: (result, _args, cache) => {
    const collection = (result.createArtifactCollectionTagAssignments as { artifactCollection?: Data } | null)?.artifactCollection;
    if (collection) invalidateField(cache, cache.keyOfEntity(collection), 'artifactCollectionActions');
  },
  deleteArtifactCollectionTagAssignments: (result, _args, cache) => {
    const collection = (result.deleteArtifactCollectionTagAssignments as { artifactCollection?: Data } | null)?.artifactCollection;
    if (collection) invalidateField(cache, cache.keyOfEntity(collection), 'artifactCollectionActions');
  },
  // A version's tags decide which lists filtered by tag hold it: the filtered version lists of the collections
  // it is in, and the registry-wide ones, are fetched again when next shown (its own tags update by its id),
  // as are those collections' histories, which gained the change.
  updateArtifact: (result, _args, cache) => {
    const artifact = (result.updateArtifact as { artifact?: Data | null } | null)?.artifact;
    const key = artifact ? cache.keyOfEntity(artifact) : null;
    if (!key) return;
    for (const collection of collectionsOfArtifact(cache, key)) {
      invalidateFiltered(cache, collection, 'artifactMemberships', 'artifacts');
      invalidateField(cache, collection, 'artifactCollectionActions');
    }
    for (const entity of orgEntities(cache)) invalidateFiltered(cache, entity, 'artifactMemberships');
  },
  // A deleted registry leaves every list and lookup it was in, without a refetch.
  deleteModel: (_result, args, cache) => removeRegistry(cache, (args.input as { id: string }).id),
  // A committed version joins its collection, which (with its type) may be new to the project.
  commitArtifact: (result, _args, cache) => {
    const artifact = (
      result.commitArtifact as { artifact?: { artifactType?: Typed; artifactSequence?: Typed & { project?: Typed } } } | null
    )?.artifact;
    const sequence = artifact?.artifactSequence;
    if (!sequence) return;
    invalidateField(cache, keyOf(cache, sequence), 'artifactMemberships', 'artifacts', 'aliases', 'versionCount');
    invalidateField(cache, keyOf(cache, artifact.artifactType), 'artifactCollections');
    invalidateField(cache, keyOf(cache, sequence.project), 'artifactTypes', 'artifactCollections');
  },
  // A revoked key leaves every list it was in.
  deleteApiKey: (_result, args, cache) => {
    const input = args.input as { id: string };
    cache.invalidate({ __typename: 'ApiKey', id: input.id });
  },
  // A new registry joins the organization's list of registries (oldest first by default).
  upsertModel: (result, _args, cache) => {
    const payload = result.upsertModel as { inserted?: boolean; project?: Keyed | null } | null;
    const key = payload?.inserted && payload.project ? cache.keyOfEntity(payload.project as Data) : null;
    const owner = key ? cache.resolve(key, 'entity') : null;
    if (!key || typeof owner !== 'string') return;
    const node = { __typename: 'Project', id: String(cache.resolve(key, 'id')) };
    editLists(cache, owner, 'projects', (list, args) => {
      const goes = newestGoes(args, '+created_at');
      return goes ? withNode(list, node, goes) : null;
    });
  },
  // A new collection joins its registry's lists (newest first by default).
  createArtifactPortfolio: (result, _args, cache) => {
    const collection = (result.createArtifactPortfolio as { artifactCollection?: Keyed } | null)?.artifactCollection;
    const key = collection ? cache.keyOfEntity(collection as Data) : null;
    const project = key ? cache.resolve(key, 'project') : null;
    if (!key || typeof project !== 'string') return;
    const node = { __typename: String(cache.resolve(key, '__typename')), id: String(cache.resolve(key, 'id')) };
    editLists(cache, project, 'artifactCollections', (list, args) => {
      const goes = newestGoes(args, '-created_at');
      return goes ? withNode(list, node, goes) : null;
    });
  },
  // A deleted collection leaves its registry's lists.
  deleteArtifactPortfolio: (result, args, cache) => {
    const id = (args.input as { artifactPortfolioID: string }).artifactPortfolioID;
    const collection = (result.deleteArtifactPortfolio as { artifactCollection?: Keyed } | null)?.artifactCollection;
    const key = collection ? cache.keyOfEntity(collection as Data) : null;
    const project = key ? cache.resolve(key, 'project') : null;
    if (typeof project === 'string') editLists(cache, project, 'artifactCollections', (list) => withoutNode(list, id));
  },
  // A link adds a version to the collection's lists, and moves the aliases it took away from
  // the versions that held them; the source version is in one more collection.
  linkArtifact: (result, _args, cache) => {
    const membership = (result.linkArtifact as { artifactMembership?: Keyed | null } | null)?.artifactMembership;
    const key = membership ? cache.keyOfEntity(membership as Data) : null;
    const collection = key ? cache.resolve(key, 'artifactCollection') : null;
    if (!key || typeof collection !== 'string') return;
    const node = { __typename: 'ArtifactCollectionMembership', id: String(cache.resolve(key, 'id')) };
    editLists(cache, collection, 'artifactMemberships', (list, args) =>
      newestGoes(args, '-created_at') ? withNode(list, node, 'start') : null,
    );
    for (const info of cache.inspectFields(collection)) {
      // Versions listed as source artifacts carry their vN on the edge, and the history gains
      // an entry the payload does not hold: both are fetched again when next shown.
      if (info.fieldName === 'artifacts' || info.fieldName === 'artifactCollectionActions') {
        cache.invalidate(collection, info.fieldName, info.arguments ?? undefined);
      }
    }
    const taken = new Set(aliasNames(cache, key));
    for (const holder of cachedMemberships(cache, collection)) {
      if (holder === key) continue;
      const aliases = cache.resolve(holder, 'aliases');
      if (Array.isArray(aliases)) {
        cache.link(
          holder,
          'aliases',
          (aliases as string[]).filter((alias) => !taken.has(String(cache.resolve(alias, 'alias')))),
        );
      }
    }
    for (const info of cache.inspectFields(collection)) {
      const alias = info.fieldName === 'artifactMembership' ? info.arguments?.aliasName : undefined;
      if (typeof alias === 'string' && taken.has(alias)) cache.link(collection, 'artifactMembership', { aliasName: alias }, key);
    }
    // The source version is in one more collection: each cached list of its collections that the
    // answer did not bring along (other page sizes, e.g. the run page's) is fetched again.
    const artifact = cache.resolve(key, 'artifact');
    if (typeof artifact === 'string') {
      for (const info of cache.inspectFields(artifact)) {
        if (info.fieldName !== 'artifactMemberships') continue;
        const connection = cache.resolve(artifact, info.fieldKey);
        const edges = typeof connection === 'string' ? cache.resolve(connection, 'edges') : null;
        const holds = Array.isArray(edges) && edges.some((edge) => typeof edge === 'string' && cache.resolve(edge, 'node') === key);
        if (!holds) cache.invalidate(artifact, 'artifactMemberships', info.arguments ?? undefined);
      }
    }
    // A collection the link created is in none of its registry's cached pages yet.
    const project = cache.resolve(collection, 'project');
    if (typeof project === 'string' && !inCachedList(cache, project, 'artifactCollections', collection)) {
      invalidateField(cache, project, 'artifactCollections');
    }
    invalidateField(cache, collection, 'aliases');
    // Registry-wide lists (every registry's collections and versions) gain one too.
    for (const entity of orgEntities(cache)) invalidateField(cache, entity, 'artifactCollections', 'artifactMemberships');
  },
});
