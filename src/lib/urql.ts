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

/** Marks every cached variant of a field (whatever its arguments) stale, so lists showing it reload. */
function invalidateField(cache: Cache, entity: string | null | undefined, ...fieldNames: string[]): void {
  if (!entity) return;
  for (const field of cache.inspectFields(entity)) {
    if (fieldNames.includes(field.fieldName)) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
  }
}

interface Typed {
  __typename: string;
  id: string;
}

const keyOf = (cache: Cache, entity: Typed | undefined) => (entity ? cache.keyOfEntity({ __typename: entity.__typename, id: entity.id }) : null);

/** The organization entity, which lists every registry's collections and linked versions. */
function orgEntityKey(cache: Cache): string | null {
  const viewer = cache.resolve('Query', 'viewer');
  const orgs = typeof viewer === 'string' ? cache.resolve(viewer, 'organizations') : null;
  const org = Array.isArray(orgs) && typeof orgs[0] === 'string' ? orgs[0] : null;
  const entity = org ? cache.resolve(org, 'orgEntity') : null;
  return typeof entity === 'string' ? entity : null;
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
            // A link adds a version to its collection (and maybe a collection to its registry); the
            // version's own "Linked to" list comes back in the mutation's answer.
            linkArtifact: (result, _args, cache) => {
              const membership = (result.linkArtifact as { artifactMembership?: { artifactCollection?: Typed & { project?: Typed } } } | null)
                ?.artifactMembership;
              const collection = membership?.artifactCollection;
              if (!collection) return;
              invalidateField(cache, keyOf(cache, collection), 'artifactMemberships', 'artifacts', 'aliases', 'versionCount');
              invalidateField(cache, keyOf(cache, collection.project), 'artifactCollections');
              invalidateField(cache, orgEntityKey(cache), 'artifactCollections', 'artifactMemberships');
            },
            // A committed version joins its collection, which (with its type) may be new to the project.
            commitArtifact: (result, _args, cache) => {
              const artifact = (result.commitArtifact as { artifact?: { artifactType?: Typed; artifactSequence?: Typed & { project?: Typed } } } | null)
                ?.artifact;
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
          },
        },
      }),
      fetchExchange,
    ],
  });
}
