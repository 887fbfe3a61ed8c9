import { graphql } from '@/lib/graphql';
import { routeQuery } from '@/lib/routeQuery';
import { RegistryCard_Project } from '../components/RegistryCard';

const RegistryHomeQuery = graphql(
  `
    query RegistryHome {
      viewer {
        id
        orgRole
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

/** The home page's query: the organization's registries (the address adds nothing to it). */
export const registryHomeQuery = routeQuery(RegistryHomeQuery, () => ({}));
