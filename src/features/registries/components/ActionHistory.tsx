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
            detail
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

function field(detail: unknown, key: string): string | null {
  if (typeof detail !== 'object' || detail === null) return null;
  const value = (detail as Record<string, unknown>)[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

/** One line of history in plain words: "linked v3 from acme-ml/train/net:v7". */
function describe(action: Action): string {
  const version = action.versionIndex === null ? 'a version' : `v${action.versionIndex}`;
  const alias = action.alias ? `“${action.alias}”` : 'an alias';
  switch (action.actionType) {
    case 'LINK': {
      const source = field(action.detail, 'source');
      return `linked ${version}${source ? ` from ${source}` : ''}`;
    }
    case 'UNLINK':
      return `unlinked ${version}`;
    case 'ADD_ALIAS':
      return `added alias ${alias} to ${version}`;
    case 'MOVE_ALIAS': {
      const from = field(action.detail, 'fromVersionIndex');
      return `moved alias ${alias} ${from === null ? '' : `from v${from} `}to ${version}`;
    }
    case 'REMOVE_ALIAS':
      return `removed alias ${alias} from ${version}`;
    case 'ADD_TAG':
      return `added tag “${field(action.detail, 'tag') ?? ''}”`;
    case 'REMOVE_TAG':
      return `removed tag “${field(action.detail, 'tag') ?? ''}”`;
    case 'CREATE':
      return 'created the collection';
    case 'UPDATE':
      return field(action.detail, 'renamedFrom') ? `renamed the collection from ${field(action.detail, 'renamedFrom')}` : 'edited the model card';
    default:
      return action.actionType.toLowerCase().replace(/_/g, ' ');
  }
}

/** Who linked, unlinked, added, moved or removed which alias, when: newest first. */
export function ActionHistory({ collectionId }: { collectionId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ActionHistoryQuery, variables: { id: collectionId } });
  if (fetching && !data) return <Loading label="Loading the history…" />;
  if (error && !data) {
    return <ErrorState title="The history could not be loaded" message={error.message} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
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
