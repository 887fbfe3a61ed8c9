import { Link } from '@/lib/router';
import { useQuery } from 'urql';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { graphql } from '@/lib/graphql';
import '../artifacts.css';

const ProjectsQuery = graphql(`
  query Projects {
    viewer {
      id
      teams {
        edges {
          node {
            id
            name
            projects(first: 100) {
              edges {
                node {
                  id
                  name
                  createdAt
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
  }
`);

/** The viewer's teams and their projects, each a link to its artifact browser. */
export default function Component() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ProjectsQuery });
  const teams = data?.viewer?.teams?.edges.map((e) => e.node) ?? [];

  return (
    <>
      <div className="page__header">
        <h1>Projects</h1>
        <p className="page__lead">Your teams' projects and the artifacts they log.</p>
      </div>
      {fetching && !data ? (
        <Loading label="Loading projects…" />
      ) : error && !data ? (
        <ErrorState
          title="The projects could not be loaded"
          message={error.message}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
        />
      ) : teams.length === 0 ? (
        <EmptyState title="You are in no team yet">
          <p>Ask an organization admin to add you to a team; its projects will be listed here.</p>
        </EmptyState>
      ) : (
        <div className="stack">
          {teams.map((team) => {
            const projects = team.projects?.edges.map((e) => e.node) ?? [];
            return (
              <section key={team.id} className="panel" aria-labelledby={`team-${team.id}`}>
                <h2 id={`team-${team.id}`} className="team__name">
                  {team.name}
                </h2>
                {projects.length === 0 ? (
                  <p className="muted">
                    No projects yet. Log a version with the SDK, e.g. <code>wandb.init(entity="{team.name}", project="…")</code>.
                  </p>
                ) : (
                  <ul className="project-list" aria-label={`Projects of ${team.name}`}>
                    {projects.map((project) => (
                      <li key={project.id}>
                        <Link to={`/${encodeURIComponent(team.name)}/${encodeURIComponent(project.name)}/artifacts`}>{project.name}</Link>
                        <span className="muted">created {new Date(project.createdAt).toLocaleDateString()}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      )}
    </>
  );
}
