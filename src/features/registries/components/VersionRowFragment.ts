import { graphql } from '@/lib/graphql';

/** What a row of the versions table shows (mutations that change a version return it). */
export const VersionRow_Membership = graphql(`
  fragment VersionRow_Membership on ArtifactCollectionMembership {
    id
    version
    versionIndex
    createdAt
    aliases {
      id
      alias
    }
    linkedBy {
      id
      username
    }
    artifact {
      id
      versionIndex
      tags {
        id
        name
      }
      artifactType {
        id
        name
      }
      artifactSequence {
        id
        name
        project {
          id
          name
          entityName
        }
      }
      # The collections of the version the viewer can see: its own sequence is among them only when the
      # viewer can read the source project (see sourceReadable).
      artifactMemberships {
        edges {
          node {
            id
            artifactCollection {
              __typename
              id
            }
          }
        }
      }
    }
  }
`);
