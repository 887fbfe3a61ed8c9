import { routeQuery } from '@/lib/routeQuery';
import { graphql } from '@/lib/graphql';
import { CollectionTags_Collection } from '../components/CollectionTags';
import { ModelCard_Collection } from '../components/ModelCard';
import { VersionRow_Membership } from '../components/VersionRowFragment';
import { registryProject } from '../format';
import { versionFilterJson, versionFilterValues, versionOrder } from '../versionFilters';

export const PAGE_SIZE = 50;

const CollectionPageQuery = graphql(
  `
    query CollectionPage($registry: String!, $collection: String!, $first: Int!, $after: String, $order: String, $filters: JSONString) {
      viewer {
        id
        organizations {
          id
          orgEntity {
            id
            name
            project(name: $registry) {
              id
              name
              displayName
              protectedAliases
              viewerRole {
                role
              }
              artifactCollection(name: $collection) {
                __typename
                id
                name
                defaultArtifactType {
                  id
                  name
                }
                ...ModelCard_Collection
                ...CollectionTags_Collection
                artifactMemberships(first: $first, after: $after, order: $order, filters: $filters) {
                  totalCount
                  edges {
                    node {
                      id
                      ...VersionRow_Membership
                    }
                  }
                  pageInfo {
                    hasNextPage
                    endCursor
                  }
                }
              }
            }
          }
        }
      }
    }
  `,
  [ModelCard_Collection, CollectionTags_Collection, VersionRow_Membership],
);

/** The collection page's query: its versions a page at a time, filtered and sorted as the address says. */
export const collectionPageQuery = routeQuery(CollectionPageQuery, (params, search) => {
  const filters = versionFilterValues(search);
  return {
    registry: registryProject(params.registry ?? ''),
    collection: params.collection ?? '',
    first: PAGE_SIZE,
    after: search.get('after') || null,
    order: versionOrder(filters),
    filters: versionFilterJson(filters),
  };
});
