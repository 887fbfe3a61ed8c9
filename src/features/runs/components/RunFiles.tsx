import { FilesTable } from '@/components/FilesTable';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { WithQueryClient } from '@/lib/query-client';

export const RunFiles_Run = graphql(`
  fragment RunFiles_Run on Run {
    id
    files(first: 100) {
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

function Files({ run }: { run: FragmentOf<typeof RunFiles_Run> }) {
  const files = readFragment(RunFiles_Run, run).files.edges.map((e) => e.node);
  return (
    <section aria-labelledby="run-files-heading" className="run-section">
      <h3 id="run-files-heading">Files</h3>
      {files.length === 0 ? <p className="muted">No files uploaded.</p> : <FilesTable files={files} total={files.length} />}
    </section>
  );
}

export function RunFiles(props: { run: FragmentOf<typeof RunFiles_Run> }) {
  return (
    <WithQueryClient>
      <Files {...props} />
    </WithQueryClient>
  );
}
