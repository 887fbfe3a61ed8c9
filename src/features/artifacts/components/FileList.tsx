import { FilesTable } from '@/components/FilesTable';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { WithQueryClient } from '@/lib/query-client';

export const FileList_Artifact = graphql(`
  fragment FileList_Artifact on Artifact {
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

function Files({ artifact }: { artifact: FragmentOf<typeof FileList_Artifact> }) {
  const a = readFragment(FileList_Artifact, artifact);
  return (
    <section aria-labelledby="files-heading" className="overview__section">
      <h3 id="files-heading">Files</h3>
      <FilesTable files={a.files?.edges.map((e) => e.node) ?? []} total={a.files?.totalCount ?? 0} />
    </section>
  );
}

export function FileList(props: { artifact: FragmentOf<typeof FileList_Artifact> }) {
  return (
    <WithQueryClient>
      <Files {...props} />
    </WithQueryClient>
  );
}
