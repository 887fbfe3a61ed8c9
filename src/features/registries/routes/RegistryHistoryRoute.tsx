import { Link, useParams } from '@/lib/router';
import { useQuery } from 'urql';
import { NotFound } from '@/components/NotFoundRoute';
import { RelativeTime } from '@/components/RelativeTime';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { graphql, type ResultOf } from '@/lib/graphql';
import { ACTION_GROUPS, describeAction, isKnownAction } from '../describeAction';
import { registryProject } from '../format';
import { Pager } from '@/components/Pager';
import { useFilterParams, usePageParams } from '@/lib/usePageParams';
import '../registries.css';

const PAGE_SIZE = 50;

const RegistryHistoryQuery = graphql(`
  query RegistryHistory($name: String!, $first: Int!, $after: String, $actions: [String!], $actor: String) {
    viewer {
      id
      organizations {
        id
        orgEntity {
          id
          project(name: $name) {
            id
            name
            displayName
            events(first: $first, after: $after, actions: $actions, actor: $actor) {
              pageInfo {
                hasNextPage
                endCursor
              }
              edges {
                node {
                  id
                  actionType
                  alias
                  versionIndex
                  collectionName
                  before
                  after
                  createdAt
                  user {
                    id
                    username
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`);

type Project = NonNullable<
  NonNullable<NonNullable<ResultOf<typeof RegistryHistoryQuery>['viewer']>['organizations'][number]['orgEntity']>['project']
>;
type Event = Project['events']['edges'][number]['node'];

/** Events whose version or collection is gone by definition: nothing to link to. */
const GONE = new Set(['version.unlinked', 'version.deleted', 'collection.deleted']);

/** The collection and version an event is about, linked to their pages (by their names at the time). */
function Subject({ event, basePath }: { event: Event; basePath: string }) {
  if (!event.collectionName) return <span className="muted">Registry</span>;
  const collectionPath = `${basePath}/${encodeURIComponent(event.collectionName)}`;
  const collection =
    event.actionType === 'collection.deleted' ? (
      <span>{event.collectionName}</span>
    ) : (
      <Link to={collectionPath}>{event.collectionName}</Link>
    );
  if (event.versionIndex === null) return collection;
  const version = `v${event.versionIndex}`;
  return (
    <span className="history-subject">
      {collection}
      <span aria-hidden="true">:</span>
      {GONE.has(event.actionType) ? <span>{version}</span> : <Link to={`${collectionPath}/${version}`}>{version}</Link>}
    </span>
  );
}

/** A registry's whole history, newest first, paged, filtered by action and by user in the URL. */
export default function Component() {
  const { registry = '' } = useParams();
  const filters = useFilterParams();
  const { params } = filters;
  const pages = usePageParams();
  const requested = params.get('action') ?? '';
  // An action this page does not know (an old link) is no filter rather than an error.
  const action = isKnownAction(requested) ? requested : '';
  const actor = params.get('user')?.trim() ?? '';
  const [{ data, fetching, stale, error }, refetch] = useQuery({
    query: RegistryHistoryQuery,
    variables: {
      name: registryProject(registry),
      first: PAGE_SIZE,
      after: pages.after,
      actions: action ? [action] : null,
      actor: actor || null,
    },
  });

  /** Changes a filter: back to the first page. */
  const update = (key: 'action' | 'user', value: string) => filters.set({ [key]: value });

  if (fetching && !data) return <Loading label="Loading the history…" />;
  if (error && !data) {
    return (
      <ErrorState
        title="The history could not be loaded"
        message={error.message}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  const project = data?.viewer?.organizations[0]?.orgEntity?.project;
  if (!project) return fetching || stale ? <Loading label="Loading the history…" /> : <NotFound title="Registry not found" />;

  const basePath = `/registry/${encodeURIComponent(registry)}`;
  const events = project.events.edges.map((e) => e.node);
  const filtered = Boolean(action || actor);
  const start = pages.index * PAGE_SIZE;

  return (
    <>
      <div className="page__header">
        <nav aria-label="Breadcrumbs" className="breadcrumbs">
          <Link to="/registry">Registry</Link>
          <span aria-hidden="true">/</span>
          <Link to={basePath}>{project.displayName}</Link>
          <span aria-hidden="true">/</span>
          <span aria-current="page">History</span>
        </nav>
        <h1>{project.displayName} history</h1>
        <p className="page__lead">Every change to this registry, its members and its collections, newest first.</p>
      </div>
      <form className="toolbar history-filters" role="search" aria-label="Filter the history" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label className="field__label" htmlFor="history-action">
            Action
          </label>
          <select id="history-action" value={action} onChange={(e) => update('action', e.target.value)}>
            <option value="">All actions</option>
            {ACTION_GROUPS.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.actions.map((a) => (
                  <option key={a.value} value={a.value}>
                    {a.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="history-user">
            User
          </label>
          <input
            id="history-user"
            defaultValue={actor}
            key={actor}
            autoComplete="off"
            spellCheck={false}
            onBlur={(e) => update('user', e.target.value.trim())}
            onKeyDown={(e) => e.key === 'Enter' && update('user', e.currentTarget.value.trim())}
            placeholder="Any user (username)"
          />
        </div>
      </form>
      {events.length === 0 ? (
        <EmptyState title={filtered ? 'No event matches these filters' : 'Nothing has happened here yet'}>
          {filtered ? (
            <p>
              <button type="button" className="button" onClick={() => filters.set({ action: '', user: '' })}>
                Clear filters
              </button>
            </p>
          ) : null}
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="History table">
            <table className="table history-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Collection</th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => (
                  <tr key={event.id}>
                    <td className="history-table__when">
                      <RelativeTime iso={event.createdAt} />
                    </td>
                    <td>{event.user?.username ?? <span className="muted">System</span>}</td>
                    <td className="history-table__what">{describeAction(event)}</td>
                    <td className="history-table__subject">
                      <Subject event={event} basePath={basePath} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            range={`${start + 1}–${start + events.length}`}
            hasPrevious={pages.index > 0}
            hasNext={Boolean(project.events.pageInfo.hasNextPage)}
            onPrevious={pages.previous}
            onNext={() => pages.next(project.events.pageInfo.endCursor ?? null)}
          />
        </>
      )}
    </>
  );
}
