import { cacheExchange, type Cache } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import schema from 'virtual:schema-introspection';
import { Client, fetchExchange } from 'urql';
import { CSRF_HEADERS } from './http';

type Keys = Record<string, () => null>;

/**
 * Types without an `id` (connections, edges, page info, payloads, role info) have no identity of
 * their own: they are embedded in their parent. Every type with an `id` is keyed by it.
 */
function embeddedKeys(): Keys {
  const keys: Keys = {};
  for (const type of schema.__schema.types) {
    if (type.kind === 'OBJECT' && !type.fields.some((field: { name: string }) => field.name === 'id')) keys[type.name] = () => null;
  }
  return keys;
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

/**
 * The one GraphQL cache of the app: entities keyed by their global `id`, lists paged with
 * relayPagination, and updaters only where a mutation changes which items a list holds.
 */
export function createGraphQLClient(): Client {
  return new Client({
    url: '/graphql',
    // A page already seen renders from the cache without a request.
    requestPolicy: 'cache-first',
    fetchOptions: { credentials: 'same-origin', headers: CSRF_HEADERS },
    exchanges: [
      cacheExchange({
        schema,
        keys: {
          ...embeddedKeys(),
          // Its id is the user's, the same in every registry, while its role is per registry: keep it inside its registry.
          ProjectMember: () => null,
        },
        resolvers: {
          // Registries page through one growing list.
          Entity: { projects: relayPagination() },
        },
        updates: {
          Mutation: {
            // A new key changes which keys the viewer has: refetch that list.
            generateApiKey: (_result, _args, cache) => {
              const viewer = cache.resolve('Query', 'viewer');
              if (typeof viewer === 'string') cache.invalidate(viewer, 'apiKeys');
            },
            // A deleted registry leaves every list and lookup it was in, without a refetch.
            deleteModel: (_result, args, cache) => removeRegistry(cache, (args.input as { id: string }).id),
            // A revoked key leaves every list it was in.
            deleteApiKey: (_result, args, cache) => {
              const input = args.input as { id: string };
              cache.invalidate({ __typename: 'ApiKey', id: input.id });
            },
          },
        },
      }),
      fetchExchange,
    ],
  });
}
