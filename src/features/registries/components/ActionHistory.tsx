import { useQuery } from 'urql';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { graphql, type ResultOf } from '@/lib/graphql';
import { formatDate } from '@/lib/format';

const ActionHistoryQuery = graphql(`
  query ActionHistory($id: ID!) {
    artifactCollection(id: $id) {
      id
      artifactCollectionActions(first: 100) {
        edges {
          node {
            id
            actionType
            alias
            versionIndex
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
`);

type Action = NonNullable<ResultOf<typeof ActionHistoryQuery>['artifactCollection']>['artifactCollectionActions']['edges'][number]['node'];

function field(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === 'string' || typeof found === 'number' ? String(found) : null;
}

/** One line of history in plain words: "linked v3 from acme-ml/train/net:v7". */
function describe(action: Action): string {
  const version = action.versionIndex === null ? 'a version' : `v${action.versionIndex}`;
  const alias = action.alias ? `“${action.alias}”` : 'an alias';
  switch (action.actionType) {
    case 'version.linked': {
      const source = field(action.after, 'source');
      return `linked ${version}${source ? ` from ${source}` : ''}`;
    }
    case 'version.unlinked':
      return `unlinked ${version}`;
    case 'version.created':
      return `logged ${version}`;
    case 'version.deleted':
      return `deleted ${version}`;
    case 'version.tag_added':
      return `added tag “${field(action.after, 'tag') ?? ''}” to ${version}`;
    case 'version.tag_removed':
      return `removed tag “${field(action.before, 'tag') ?? ''}” from ${version}`;
    case 'alias.added':
      return `added alias ${alias} to ${version}`;
    case 'alias.moved': {
      const from = field(action.before, 'versionIndex');
      return `moved alias ${alias} ${from === null ? '' : `from v${from} `}to ${version}`;
    }
    case 'alias.removed':
      return `removed alias ${alias} from ${version}`;
    case 'collection.tag_added':
      return `added tag “${field(action.after, 'tag') ?? ''}”`;
    case 'collection.tag_removed':
      return `removed tag “${field(action.before, 'tag') ?? ''}”`;
    case 'collection.created':
      return 'created the collection';
    case 'collection.updated': {
      const renamedFrom = field(action.before, 'name');
      if (renamedFrom) return `renamed the collection from ${renamedFrom}`;
      const type = field(action.after, 'type');
      return type ? `changed the type to ${type}` : 'edited the model card';
    }
    default:
      return action.actionType.replace(/^[a-z]+\./, '').replace(/_/g, ' ');
  }
}

/** Who linked, unlinked, added, moved or removed which alias, when: newest first. */
export function ActionHistory({ collectionId }: { collectionId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ActionHistoryQuery, variables: { id: collectionId } });
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
  const actions = data?.artifactCollection?.artifactCollectionActions.edges.map((e) => e.node) ?? [];
  if (actions.length === 0) return <EmptyState title="Nothing has happened here yet" />;
  return (
    <ol className="history" aria-label="Action history">
      {actions.map((action) => (
        <li key={action.id} className="history__item">
          <span>
            <strong>{action.user?.username ?? 'Someone'}</strong> {describe(action)}
          </span>
          <time className="muted" dateTime={action.createdAt}>
            {formatDate(action.createdAt)}
          </time>
        </li>
      ))}
    </ol>
  );
}
