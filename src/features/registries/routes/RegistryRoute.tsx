import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useParams } from '@/lib/router';
import { Gated } from '@/components/Gated';
import { NotFound } from '@/components/NotFoundRoute';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { useRouteQuery } from '@/lib/routeQuery';
import { needsRole, roleAllows } from '@/lib/roles';
import { CollectionRow, type RowAction } from '../components/CollectionRow';
import { RegistryHeader } from '../components/RegistryHeader';
import { Pager } from '@/components/Pager';
import { useFilterParams, usePageParams } from '@/lib/usePageParams';
import { PAGE_SIZE, registryPageQuery, SORTS } from './RegistryRoute.query';
import '../registries.css';

// Dialogs and the sheet load when first opened.
const CreateCollectionDialog = lazy(() => import('../components/CreateCollectionDialog'));
const ActionHistoryDialog = lazy(() => import('../components/ActionHistoryDialog'));
const DeleteCollectionDialog = lazy(() => import('../components/DeleteCollectionDialog'));
const LinkVersionSheet = lazy(() => import('../components/LinkVersionSheet').then((m) => ({ default: m.LinkVersionSheet })));

type Open = { action: RowAction | 'create'; collection?: { id: string; name: string; type: string } } | null;

export default function Component() {
  const { registry = '' } = useParams();
  const filters = useFilterParams();
  const { params } = filters;
  /** Changes filters or sort: back to the first page. */
  const update = filters.set;
  const search = params.get('q') ?? '';
  const type = params.get('type') ?? '';
  const tag = params.get('tag') ?? '';
  const order = params.get('sort') ?? SORTS[0].value;
  const pages = usePageParams();
  const [open, setOpen] = useState<Open>(null);

  // Typing updates the URL a moment after the last key, so each word is one request, not each letter.
  const [searchText, setSearchText] = useState(search);
  // The URL changed another way (back, a link): the box shows it (adjusting state while rendering).
  const [shownSearch, setShownSearch] = useState(search);
  if (shownSearch !== search) {
    setShownSearch(search);
    setSearchText(search);
  }
  useEffect(() => {
    if (searchText === search) return;
    const timer = setTimeout(() => update({ q: searchText }), 250);
    return () => clearTimeout(timer);
  });

  const [{ data, fetching, stale, error }, refetch] = useRouteQuery(registryPageQuery);

  if (fetching && !data) return <Loading label="Loading the registry…" />;
  if (error && !data) {
    return (
      <ErrorState
        title="The registry could not be loaded"
        message={error.message}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  const project = data?.viewer?.organizations[0]?.orgEntity?.project;
  // A restricted registry the viewer is not in answers null, exactly like one that does not exist.
  if (!project) return fetching || stale ? <Loading label="Loading the registry…" /> : <NotFound title="Registry not found" />;

  const role = project.viewerRole?.role;
  const mayWrite = roleAllows(role, 'member');
  const denied = mayWrite ? null : needsRole('member');
  const types = project.artifactTypes.edges.map(({ node }) => node.name);
  const list = project.artifactCollections;
  const rows = list?.edges ?? [];
  const filtered = Boolean(search || type || tag);
  const basePath = `/registry/${encodeURIComponent(registry)}`;
  const start = pages.index * PAGE_SIZE;

  return (
    <>
      <RegistryHeader registry={project} />
      <section aria-labelledby="collections-heading">
        <div className="section-header">
          <h2 id="collections-heading">Collections</h2>
          <Gated allowed={mayWrite} reason={needsRole('member')}>
            {(gate) => (
              <button type="button" className="button button--primary" onClick={() => setOpen({ action: 'create' })} {...gate}>
                Create collection
              </button>
            )}
          </Gated>
        </div>
        <form className="toolbar" role="search" aria-label="Filter collections" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label className="field__label" htmlFor="collection-search">
              Search by name
            </label>
            <input
              id="collection-search"
              type="search"
              value={searchText}
              onChange={(e) => setSearchText(e.target.value)}
              placeholder="Collection name"
            />
          </div>
          <div className="field field--narrow">
            <label className="field__label" htmlFor="collection-type">
              Type
            </label>
            {project.allowAllArtifactTypesInRegistry ? (
              <input
                id="collection-type"
                defaultValue={type}
                key={type}
                onBlur={(e) => update({ type: e.target.value.trim() })}
                onKeyDown={(e) => e.key === 'Enter' && update({ type: e.currentTarget.value.trim() })}
                placeholder="Any type"
              />
            ) : (
              <select id="collection-type" value={type} onChange={(e) => update({ type: e.target.value })}>
                <option value="">All types</option>
                {types.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </div>
          <div className="field field--narrow">
            <label className="field__label" htmlFor="collection-tag">
              Tag
            </label>
            <input
              id="collection-tag"
              defaultValue={tag}
              key={tag}
              onBlur={(e) => update({ tag: e.target.value.trim() })}
              onKeyDown={(e) => e.key === 'Enter' && update({ tag: e.currentTarget.value.trim() })}
              placeholder="Any tag"
            />
          </div>
          <div className="field field--narrow">
            <label className="field__label" htmlFor="collection-sort">
              Sort by
            </label>
            <select
              id="collection-sort"
              value={order}
              onChange={(e) => update({ sort: e.target.value === SORTS[0].value ? '' : e.target.value })}
            >
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        </form>
        {rows.length === 0 ? (
          <EmptyState title={filtered ? 'No collection matches' : 'No collections yet'}>
            <p>
              {filtered ? (
                <Link to={basePath}>Clear the filters</Link>
              ) : mayWrite ? (
                'Create a collection, then link versions into it.'
              ) : (
                'Collections of this registry will be listed here.'
              )}
            </p>
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap collections-wrap" tabIndex={0} role="region" aria-label="Collections table">
              <table className="table table--actions collections-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Tags</th>
                    <th scope="col">Latest</th>
                    <th scope="col">Versions</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ node }) =>
                    node.__typename !== 'ArtifactPortfolio' ? null : (
                      <CollectionRow
                        key={node.id}
                        collection={node}
                        basePath={basePath}
                        denied={denied}
                        onAction={(action, collection) => setOpen({ action, collection })}
                      />
                    ),
                  )}
                </tbody>
              </table>
            </div>
            <Pager
              range={`${start + 1}–${start + rows.length} of ${list?.totalCount ?? rows.length}`}
              hasPrevious={pages.index > 0}
              hasNext={Boolean(list?.pageInfo.hasNextPage)}
              onPrevious={pages.previous}
              onNext={() => pages.next(list?.pageInfo.endCursor ?? null)}
            />
          </>
        )}
      </section>
      <Suspense fallback={null}>
        {open?.action === 'create' && (
          <CreateCollectionDialog
            open
            onOpenChange={() => setOpen(null)}
            projectId={project.id}
            types={project.allowAllArtifactTypesInRegistry ? null : types}
          />
        )}
        {open?.action === 'history' && open.collection && (
          <ActionHistoryDialog open onOpenChange={() => setOpen(null)} collection={open.collection} />
        )}
        {open?.action === 'delete' && open.collection && (
          <DeleteCollectionDialog open onOpenChange={() => setOpen(null)} collection={open.collection} />
        )}
        {open?.action === 'link' && open.collection && (
          <LinkVersionSheet open onOpenChange={() => setOpen(null)} registry={registry} collection={open.collection} />
        )}
      </Suspense>
    </>
  );
}
