import { cacheExchange } from '@urql/exchange-graphcache';
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
        keys: embeddedKeys(),
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
