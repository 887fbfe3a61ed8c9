import { Link } from '@/lib/router';
import { useQuery } from 'urql';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { errorMessage } from '@/lib/errors';
import { graphql } from '@/lib/graphql';
import '../teams.css';

const TeamsQuery = graphql(`
  query Teams {
    viewer {
      id
      username
      teams {
        edges {
          node {
            id
            name
            viewerIsAdmin
          }
        }
      }
    }
  }
`);

/** The viewer's teams (and their own entity), each leading to its webhooks and secrets. */
export default function Component() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: TeamsQuery });
  if (fetching && !data) return <Loading label="Loading your teams…" />;
  if (error && !data) {
    return (
      <ErrorState
        title="Your teams could not be loaded"
        message={errorMessage(error)}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  const viewer = data?.viewer;
  const teams = viewer?.teams?.edges.map(({ node }) => node) ?? [];
  return (
    <>
      <div className="page__header">
        <h1>Teams</h1>
        <p className="page__lead">Each team keeps the webhooks its registry automations POST to, and the secrets those webhooks use.</p>
      </div>
      {teams.length === 0 && !viewer?.username ? (
        <EmptyState title="You are in no team" />
      ) : (
        <ul className="team-list">
          {teams.map((team) => (
            <li key={team.id} className="panel team-list__item">
              <Link to={`/settings/teams/${encodeURIComponent(team.name)}`}>{team.name}</Link>
              <span className="muted">{team.viewerIsAdmin ? 'Team admin' : 'Member'}</span>
            </li>
          ))}
          {viewer?.username && (
            <li className="panel team-list__item">
              <Link to={`/settings/teams/${encodeURIComponent(viewer.username)}`}>{viewer.username}</Link>
              <span className="muted">Your own</span>
            </li>
          )}
        </ul>
      )}
    </>
  );
}
