import { REGISTRY_PREFIX } from '@/lib/format';
import { graphql } from '@/lib/graphql';
import { routeQuery } from '@/lib/routeQuery';
import { CollectionRow_ArtifactPortfolio } from '../components/CollectionRow';
import { RegistryHeader_Project } from '../components/RegistryHeader';

export const PAGE_SIZE = 20;

const RegistryPageQuery = graphql(
  `
    query RegistryPage($name: String!, $first: Int!, $after: String, $order: String, $filters: JSONString) {
      viewer {
        id
        organizations {
          id
          orgEntity {
            id
            project(name: $name) {
              id
              name
              allowAllArtifactTypesInRegistry
              artifactTypes {
                edges {
                  node {
                    id
                    name
                  }
                }
              }
              viewerRole {
                role
              }
              ...RegistryHeader_Project
              artifactCollections(first: $first, after: $after, order: $order, filters: $filters, collectionTypes: [PORTFOLIO]) {
                totalCount
                edges {
                  cursor
                  node {
                    __typename
                    id
                    ...CollectionRow_ArtifactPortfolio
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
  `,
  [RegistryHeader_Project, CollectionRow_ArtifactPortfolio],
);

export const SORTS = [
  { value: '-createdAt', label: 'Newest' },
  { value: '-updatedAt', label: 'Recently updated' },
  { value: '+name', label: 'Name' },
] as const;

/** A regex matching `text` literally, ignoring letter case. */
function literal(text: string): string {
  return `(?i)${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
}

/** The list's filters as the API takes them (JSON), or undefined when there are none. */
function filtersOf(search: string, type: string, tag: string): string | undefined {
  const filters: Record<string, unknown> = {};
  if (search) filters.name = { $regex: literal(search) };
  if (type) filters.type = type;
  if (tag) filters.tag = tag;
  return Object.keys(filters).length ? JSON.stringify(filters) : undefined;
}

/** The registry page's query: its collections a page at a time, searched, filtered and sorted as the address says. */
export const registryPageQuery = routeQuery(RegistryPageQuery, (params, search) => ({
  name: `${REGISTRY_PREFIX}${params.registry ?? ''}`,
  first: PAGE_SIZE,
  after: search.get('after') || undefined,
  order: search.get('sort') ?? SORTS[0].value,
  filters: filtersOf(search.get('q') ?? '', search.get('type') ?? '', search.get('tag') ?? ''),
}));
