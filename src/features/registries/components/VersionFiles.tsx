import { FilesTable } from '@/components/FilesTable';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { WithQueryClient } from '@/lib/query-client';

export const VersionFiles_Membership = graphql(`
  fragment VersionFiles_Membership on ArtifactCollectionMembership {
    id
    files(first: 100) {
      totalCount
      edges {
        node {
          id
          name
          sizeBytes
          directUrl
        }
      }
    }
  }
`);

interface Props {
  membership: FragmentOf<typeof VersionFiles_Membership>;
  /** Restricted viewers see names and sizes only. */
  canDownload: boolean;
}

/** The Files tab: names and sizes; viewers and above download them. */
export function VersionFiles({ membership, canDownload }: Props) {
  const m = readFragment(VersionFiles_Membership, membership);
  const files = m.files?.edges.map((e) => e.node) ?? [];
  return (
    <WithQueryClient>
      {!canDownload && (
        <p className="panel panel--info" role="note">
          As a restricted viewer of this registry you see the files’ names and sizes, but cannot download them. A registry admin can give
          you the viewer role.
        </p>
      )}
      <FilesTable files={files} total={m.files?.totalCount ?? 0} />
    </WithQueryClient>
  );
}
