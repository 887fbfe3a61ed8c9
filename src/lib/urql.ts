import { cacheExchange, type UpdateResolver } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import schema from 'virtual:schema-introspection';
import { Client, fetchExchange, mapExchange } from 'urql';
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
 * The mutation updaters, filled in by their module before the first mutation reaches the cache. A page
 * shows without them, so they are not part of the code every page loads first.
 */
const mutationUpdates: Record<string, UpdateResolver> = {};
let updatersLoaded: Promise<void> | undefined;
const loadUpdaters = () =>
  (updatersLoaded ??= import('./cacheUpdates').then(
    (module) => {
      Object.assign(mutationUpdates, module.mutationUpdates);
    },
    () => {
      // Offline or a new deploy: the mutation still goes (a hung button is worse than a list that
      // needs a reload), and the next one tries to load them again.
      updatersLoaded = undefined;
    },
  ));

/**
 * The one GraphQL cache of the app: entities keyed by their global `id`, lists paged with
 * relayPagination, and updaters only where a mutation changes which items a list holds.
 */
export function createGraphQLClient(): Client {
  return new Client({
    url: '/graphql',
    // A page already seen renders from the cache without a request.
    requestPolicy: 'cache-first',
    // POST for queries too: browsers send Origin on every POST, and the server refuses the cookie without it.
    preferGetMethod: false,
    fetchOptions: { credentials: 'same-origin', headers: CSRF_HEADERS },
    exchanges: [
      // A mutation waits for the updaters (a small module, loaded once) so its result always updates the lists.
      mapExchange({ onOperation: (operation) => (operation.kind === 'mutation' ? loadUpdaters().then(() => operation) : operation) }),
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
          // A collection's versions are shown a page at a time (Previous / Next, cursors in the URL): each page is
          // its own list, as are the other lists of the same versions (the Link new version sheet's).
          // A run's console output ("Show more output").
          Run: { logLines: relayPagination() },
        },
        updates: {
          Mutation: mutationUpdates,
        },
      }),
      fetchExchange,
    ],
  });
}
