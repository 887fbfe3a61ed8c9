import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { graphql, readFragment } from '@/lib/graphql';
import { RegistryCard, RegistryCard_Project } from '../components/RegistryCard';
import '../registries.css';

// The dialog (Radix dialog, its form and mutation) loads when someone opens it, and the tooltip of a
// disabled button only for those who see it disabled: the first page stays small.
const CreateRegistryDialog = lazy(() => import('../components/CreateRegistryDialog'));
const Gated = lazy(() => import('@/components/Gated').then((m) => ({ default: m.Gated })));
const NEEDS_ORG_MEMBER = 'Needs the organization member or admin role';

const RegistryHomeQuery = graphql(
  `
    query RegistryHome {
      viewer {
        id
        orgRole
        organizations {
          id
          name
          orgEntity {
            id
            projects(first: 100, order: "+created_at") {
              edges {
                node {
                  id
                  ...RegistryCard_Project
                }
              }
              pageInfo {
                endCursor
                hasNextPage
              }
            }
          }
        }
      }
    }
  `,
  [RegistryCard_Project],
);

export default function Component() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: RegistryHomeQuery });
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
            placeholder="Name or description"
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
      {creating && (
        <Suspense fallback={null}>
          <CreateRegistryDialog open onOpenChange={setCreating} />
        </Suspense>
      )}
    </>
  );
}
