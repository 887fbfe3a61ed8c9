import { useQuery } from 'urql';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { graphql } from '@/lib/graphql';
import { formatDate } from '@/lib/format';
import { describeAction } from '../describeAction';

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
            <strong>{action.user?.username ?? 'Someone'}</strong> {describeAction(action)}
          </span>
          <time className="muted" dateTime={action.createdAt}>
            {formatDate(action.createdAt)}
          </time>
        </li>
      ))}
    </ol>
  );
}
