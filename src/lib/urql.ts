import { cacheExchange, type Cache, type Data } from '@urql/exchange-graphcache';
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

/** Drops every cached page of a field (whatever its arguments), so the next read fetches it again. */
function invalidateField(cache: Cache, entity: string | null, fieldName: string): void {
  if (!entity) return;
  for (const field of cache.inspectFields(entity)) if (field.fieldName === fieldName) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
}

/** The collection of the first version a payload's `artifactMemberships` names (selected as `artifactCollection { id }`). */
function collectionOfChanged(payload: unknown): Data | null {
  const memberships = (payload as { artifactMemberships?: { artifactCollection?: Data | null }[] } | null)?.artifactMemberships;
  return memberships?.[0]?.artifactCollection ?? null;
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
          // A collection's versions too ("Show older versions").
          ArtifactPortfolio: { artifactMemberships: relayPagination() },
        },
        updates: {
          Mutation: {
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
            addAliases: (result, _args, cache) => invalidateField(cache, cache.keyOfEntity(collectionOfChanged(result.addAliases)), 'artifactCollectionActions'),
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
