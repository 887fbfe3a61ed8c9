import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from '@/lib/router';
import { useQuery } from 'urql';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { graphql, readFragment } from '@/lib/graphql';
import { useRouteQuery } from '@/lib/routeQuery';
import { useSettled } from '@/lib/useSettled';
import { RegistryCard, RegistryCard_Project } from '../components/RegistryCard';
import { SearchResults, SearchResults_RegistrySearch } from '../components/SearchResults';
import { registryHomeQuery } from './RegistryHomeRoute.query';
import '../registries.css';

// The dialog (Radix dialog, its form and mutation) loads when someone opens it, and the tooltip of a
// disabled button only for those who see it disabled: the first page stays small.
const CreateRegistryDialog = lazy(() => import('../components/CreateRegistryDialog'));
const Gated = lazy(() => import('@/components/Gated').then((m) => ({ default: m.Gated })));
const NEEDS_ORG_MEMBER = 'Needs the organization member or admin role';

// Registry cards are filtered here, in the browser; collections, tags, aliases and versions are the server's to find.
const RegistryHomeSearchQuery = graphql(
  `
    query RegistryHomeSearch($q: String!) {
      viewer {
        id
        organizations {
          id
          orgEntity {
            id
            registrySearch(query: $q, first: 10) {
              ...SearchResults_RegistrySearch
            }
          }
        }
      }
    }
  `,
  [SearchResults_RegistrySearch],
);

/** The server's results for what the box holds once typing pauses; nothing while it is empty. */
function ServerResults({ text }: { text: string }) {
  const settled = useSettled(text);
  // A search shows what is there now: a collection made since the last visit must be found.
  const [{ data, fetching, error }] = useQuery({
    query: RegistryHomeSearchQuery,
    variables: { q: settled },
    pause: settled === '',
    requestPolicy: 'cache-and-network',
  });
  const found = data?.viewer?.organizations[0]?.orgEntity?.registrySearch;
  if (settled === '' || text === '') return null;
  if (error && !found) return <ErrorState title="The search could not be run" message={error.message} />;
  if (!found) return fetching ? <Loading label="Searching collections and versions…" /> : null;
  return <SearchResults search={found} />;
}

export default function Component() {
  const [{ data, fetching, error }, refetch] = useRouteQuery(registryHomeQuery);
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const search = params.get('q') ?? '';
  const org = data?.viewer?.organizations[0];
  const registries = org?.orgEntity?.projects?.edges ?? [];
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? registries.filter(({ node }) => {
        const r = readFragment(RegistryCard_Project, node);
        return [r.name, r.displayName, r.description ?? ''].some((text) => text.toLowerCase().includes(needle));
      })
    : registries;
  const mayCreate = data?.viewer?.orgRole === 'admin' || data?.viewer?.orgRole === 'member';

  return (
    <>
      <div className="page__header page__header--row">
        <div>
          <h1>Registry</h1>
          <p className="page__lead">Versions your organization has published, by registry.</p>
        </div>
        {mayCreate || !data ? (
          <button type="button" className="button button--primary" onClick={() => setCreating(true)} disabled={!mayCreate}>
            Create registry
          </button>
        ) : (
          <Suspense
            fallback={
              <button type="button" className="button button--primary" disabled>
                Create registry
              </button>
            }
          >
            <Gated allowed={false} reason={NEEDS_ORG_MEMBER}>
              {(gate) => (
                <button type="button" className="button button--primary" {...gate}>
                  Create registry
                </button>
              )}
            </Gated>
          </Suspense>
        )}
      </div>
      <div className="toolbar">
        <div className="field">
          <label className="field__label" htmlFor="registry-search">
            Search registries
          </label>
          <input
            id="registry-search"
            type="search"
            value={search}
            maxLength={200}
            placeholder="Registry, collection, tag, alias or vN"
            onChange={(e) => setParams(e.target.value ? { q: e.target.value } : {}, { replace: true })}
          />
        </div>
      </div>
      {fetching && !data ? (
        <Loading label="Loading registries…" />
      ) : error && !data ? (
        <ErrorState
          title="The registries could not be loaded"
          message={error.message}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
        />
      ) : registries.length === 0 ? (
        <EmptyState title="No registries yet">
          <p>Registries you can see will be listed here.</p>
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title="No registry matches">
          <p>No registry you can see has “{search}” in its name or description.</p>
        </EmptyState>
      ) : (
        <section className="grid" aria-label="Registries">
          {shown.map(({ node }) => (
            <RegistryCard key={node.id} registry={node} />
          ))}
        </section>
      )}
      <ServerResults text={search.trim()} />
      {creating && (
        <Suspense fallback={null}>
          <CreateRegistryDialog open onOpenChange={setCreating} />
        </Suspense>
      )}
    </>
  );
}
