import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import schema from 'virtual:schema-introspection';
import { Client, fetchExchange } from 'urql';
import { CSRF_HEADERS } from './http';

/**
 * The one GraphQL cache of the app. Entities are keyed by their global `id`; wrappers without an
 * identity of their own (connections, edges, page info, server info) are embedded in their parent.
 */
export function createGraphQLClient(): Client {
  const embedded = () => null;
  return new Client({
    url: '/graphql',
    // A page already seen renders from the cache without a request.
    requestPolicy: 'cache-first',
    fetchOptions: { credentials: 'same-origin', headers: CSRF_HEADERS },
    exchanges: [
      cacheExchange({
        schema,
        keys: {
          PageInfo: embedded,
          ServerInfo: embedded,
          ServerFeature: embedded,
          AdvancedRegistryFeatures: embedded,
          FeatureFlag: embedded,
          LocalVersionInfo: embedded,
          GenerateApiKeyPayload: embedded,
          DeleteApiKeyPayload: embedded,
          ApiKeyConnection: embedded,
          ApiKeyEdge: embedded,
          ProjectConnection: embedded,
          ProjectEdge: embedded,
          ArtifactTypeConnection: embedded,
          ArtifactTypeEdge: embedded,
          EntityConnection: embedded,
          EntityEdge: embedded,
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
