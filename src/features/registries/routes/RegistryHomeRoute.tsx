import { useQuery } from 'urql';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { graphql } from '@/lib/graphql';
import { RegistryCard, RegistryCard_Project } from '../components/RegistryCard';

const RegistryHomeQuery = graphql(
  `
    query RegistryHome {
      viewer {
        id
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
  const registries = data?.viewer?.organizations[0]?.orgEntity?.projects?.edges ?? [];

  return (
    <>
      <div className="page__header">
        <h1>Registry</h1>
        <p className="page__lead">Versions your organization has published, by registry.</p>
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
      ) : (
        <section className="grid" aria-label="Registries">
          {registries.map(({ node }) => (
            <RegistryCard key={node.id} registry={node} />
          ))}
        </section>
      )}
    </>
  );
}
