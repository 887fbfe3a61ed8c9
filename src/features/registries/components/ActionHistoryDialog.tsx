import { useQuery } from 'urql';
import { Dialog } from '@/components/Dialog';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { graphql } from '@/lib/graphql';
import { fullDate, timeAgo } from '../names';

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

interface Action {
  actionType: string;
  alias: string | null;
  versionIndex: number | null;
  detail: unknown;
}

/** What happened, in words: "linked v2", "moved alias production from v1 to v2". */
function describe(a: Action): string {
  const v = a.versionIndex === null ? '' : `v${a.versionIndex}`;
  const detail = (a.detail ?? {}) as { fromVersionIndex?: number; type?: string };
  switch (a.actionType) {
    case 'LINK':
      return `linked ${v}`;
    case 'UNLINK':
      return `unlinked ${v}`;
    case 'ADD_ALIAS':
      return `added alias “${a.alias ?? ''}” to ${v}`;
    case 'MOVE_ALIAS':
      return `moved alias “${a.alias ?? ''}”${detail.fromVersionIndex === undefined ? '' : ` from v${detail.fromVersionIndex}`} to ${v}`;
    case 'REMOVE_ALIAS':
      return `removed alias “${a.alias ?? ''}” from ${v}`;
    case 'CREATE':
      return `created the collection${detail.type ? ` (type ${detail.type})` : ''}`;
    case 'ADD_TAG':
      return 'added a tag';
    case 'REMOVE_TAG':
      return 'removed a tag';
    default:
      return 'edited the collection';
  }
}

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  collection: { id: string; name: string };
}

/** Who linked, unlinked, added or moved which alias, when: newest first. */
export default function ActionHistoryDialog({ open, onOpenChange, collection }: Props) {
  const [{ data, fetching, error }] = useQuery({ query: ActionHistoryQuery, variables: { id: collection.id } });
  const actions = data?.artifactCollection?.artifactCollectionActions.edges ?? [];
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Action history of ${collection.name}`}>
      {fetching && !data ? (
        <Loading label="Loading the history…" />
      ) : error && !data ? (
        <ErrorState title="The history could not be loaded" message={error.message} />
      ) : actions.length === 0 ? (
        <EmptyState title="Nothing happened yet" />
      ) : (
        <ol className="history" aria-label="Actions, newest first">
          {actions.map(({ node }) => (
            <li key={node.id}>
              <span>
                <strong>{node.user?.username ?? 'Someone'}</strong> {describe(node)}
              </span>
              <time className="muted" dateTime={node.createdAt} title={fullDate(node.createdAt)}>
                {timeAgo(node.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
