import * as Tabs from '@radix-ui/react-tabs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from '@/lib/router';
import { Gated } from '@/components/Gated';
import { NotFound } from '@/components/NotFoundRoute';
import { ErrorState, Loading } from '@/components/States';
import { readFragment } from '@/lib/graphql';
import { useRouteQuery } from '@/lib/routeQuery';
import { needsRole, roleAllows, ROLE_LABELS, type RegistryRole } from '@/lib/roles';
import { ActionHistory } from '../components/ActionHistory';
import { CollectionTags } from '../components/CollectionTags';
import { ModelCard } from '../components/ModelCard';
import type { VersionActionsContext } from '../components/VersionActions';
import { VersionFilters } from '../components/VersionFilters';
import { VersionRow_Membership, VersionsTable } from '../components/VersionsTable';
import { Pager } from '@/components/Pager';
import { usePageParams } from '@/lib/usePageParams';
import { useTabParam } from '../useTabParam';
import { useVersionFilters } from '../versionFilters';
import { collectionPageQuery, PAGE_SIZE } from './CollectionRoute.query';
import '../collection.css';

const LinkVersionSheet = lazy(() => import('../components/LinkVersionSheet').then((m) => ({ default: m.LinkVersionSheet })));

type LinkTarget = { id: string; name: string; type: string };

/**
 * The collection page, with its Link new version sheet beside it rather than inside: a link makes
 * the page read its collection again, and the sheet (its choices, its "Linked as") stays meanwhile.
 */
export default function Component() {
  const params = useParams();
  const [linkTarget, setLinkTarget] = useState<LinkTarget | null>(null);
  return (
    <>
      <CollectionPage onLink={setLinkTarget} />
      {linkTarget && (
        <Suspense fallback={null}>
          <LinkVersionSheet
            open
            onOpenChange={(open) => {
              if (!open) setLinkTarget(null);
            }}
            registry={params.registry ?? ''}
            collection={linkTarget}
          />
        </Suspense>
      )}
    </>
  );
}

function CollectionPage({ onLink }: { onLink: (target: LinkTarget) => void }) {
  const params = useParams();
  const registry = params.registry ?? '';
  const pages = usePageParams();
  const [tab, setTab] = useTabParam(['versions', 'history'] as const, 'versions');
  const filters = useVersionFilters();
  const [{ data, fetching, stale, error }, refetch] = useRouteQuery(collectionPageQuery);

  const orgEntity = data?.viewer?.organizations[0]?.orgEntity;
  const project = orgEntity?.project;
  const collection = project?.artifactCollection?.__typename === 'ArtifactPortfolio' ? project.artifactCollection : null;
  const edges = collection?.artifactMemberships.edges;

  const holders = useMemo(() => {
    const map = new Map<string, string>();
    for (const { node } of edges ?? []) {
      const row = readFragment(VersionRow_Membership, node);
      for (const a of row.aliases) map.set(a.alias, row.version);
    }
    return map;
  }, [edges]);

  if (fetching && !data) return <Loading label="Loading the collection…" />;
  if (error && !data) {
    return (
      <ErrorState
        title="The collection could not be loaded"
        message={error.message}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  if (!orgEntity || !project || !collection) {
    // The cache's partial answer while the rest is on its way is no answer yet.
    if (fetching || stale) return <Loading label="Loading the collection…" />;
    return <NotFound title={project ? 'Collection not found' : 'Registry not found'} />;
  }

  const role = (project.viewerRole?.role ?? null) as RegistryRole | null;
  const member = roleAllows(role, 'member');
  const basePath = `/registry/${encodeURIComponent(registry)}/${encodeURIComponent(collection.name)}`;
  const context: VersionActionsContext = {
    basePath,
    entityName: orgEntity.name,
    projectName: project.name,
    collection: { id: collection.id, name: collection.name },
    protectedAliases: project.protectedAliases,
    role,
    holders,
  };
  const memberships = collection.artifactMemberships;

  return (
    <>
      <div className="page__header page__header--row">
        <div>
          <nav aria-label="Breadcrumb">
            <ol className="breadcrumbs">
              <li>
                <Link to="/registry">Registry</Link>
              </li>
              <li aria-hidden="true">/</li>
              <li>
                <Link to={`/registry/${encodeURIComponent(registry)}`}>{project.displayName}</Link>
              </li>
              <li aria-hidden="true">/</li>
              <li>
                <span aria-current="page">{collection.name}</span>
              </li>
            </ol>
          </nav>
          <h1 className="collection__title">{collection.name}</h1>
          <p className="page__lead collection__meta">
            <span className="badge">{collection.defaultArtifactType.name}</span>
            <span>
              in <Link to={`/registry/${encodeURIComponent(registry)}`}>{project.displayName}</Link>
            </span>
            {role && <span className="muted">Your role: {ROLE_LABELS[role]}</span>}
            <Link to={`/registry/${encodeURIComponent(registry)}/automations?collection=${encodeURIComponent(collection.name)}`}>
              Automations
            </Link>
          </p>
        </div>
        <Gated allowed={member} reason={needsRole('member')}>
          {(gate) => (
            <button
              type="button"
              className="button button--primary"
              onClick={() => onLink({ id: collection.id, name: collection.name, type: collection.defaultArtifactType.name })}
              {...gate}
            >
              Link new version
            </button>
          )}
        </Gated>
      </div>

      <div className="collection__top">
        <ModelCard collection={collection} canEdit={member} />
        <aside className="panel collection__aside">
          <CollectionTags collection={collection} entityName={orgEntity.name} projectName={project.name} canEdit={member} />
          <div>
            <h2 className="section-title">Usage path</h2>
            <code className="mono">
              {orgEntity.name}/{project.name}/{collection.name}
            </code>
          </div>
        </aside>
      </div>

      <Tabs.Root value={tab} onValueChange={setTab} className="collection__tabs">
        <Tabs.List className="tabs__list" aria-label="Collection">
          <Tabs.Trigger className="tabs__trigger" value="versions">
            Versions
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs__trigger" value="history">
            Action history
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="versions">
          <VersionFilters filters={filters} />
          {memberships.edges.length === 0 && filters.filtered ? (
            <div className="state state--empty">
              <strong>No version matches these filters</strong>
              <p>
                <button type="button" className="button" onClick={filters.clear}>
                  Clear filters
                </button>
              </p>
            </div>
          ) : memberships.edges.length === 0 ? (
            <div className="state state--empty">
              <strong>No versions linked yet</strong>
              <p>{member ? 'Use Link new version to publish one here.' : 'Members of this registry can link versions here.'}</p>
            </div>
          ) : (
            <>
              <VersionsTable memberships={memberships.edges.map((e) => e.node)} context={context} />
              <Pager
                range={`${pages.index * PAGE_SIZE + 1}–${pages.index * PAGE_SIZE + memberships.edges.length} of ${memberships.totalCount ?? memberships.edges.length}`}
                hasPrevious={pages.index > 0}
                hasNext={Boolean(memberships.pageInfo.hasNextPage)}
                onPrevious={pages.previous}
                onNext={() => pages.next(memberships.pageInfo.endCursor ?? null)}
              />
            </>
          )}
        </Tabs.Content>
        <Tabs.Content value="history">
          <ActionHistory collectionId={collection.id} />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}
