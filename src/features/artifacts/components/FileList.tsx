import { useMutation } from '@tanstack/react-query';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { HttpError } from '@/lib/http';
import { WithQueryClient } from '@/lib/query-client';
import { formatBytes } from '../format';

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

/** Fetches the file through its signed URL and hands it to the browser as a download. */
async function download(file: { name: string; directUrl: string }): Promise<void> {
  const response = await fetch(file.directUrl);
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { errors?: { message: string }[] };
    throw new HttpError(body.errors?.[0]?.message ?? `The download failed (${response.status}).`, response.status);
  }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name.split('/').at(-1) ?? 'file';
  a.click();
  // Let the click start the download before the object URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Files({ artifact }: { artifact: FragmentOf<typeof FileList_Artifact> }) {
  const a = readFragment(FileList_Artifact, artifact);
  const files = a.files?.edges.map((e) => e.node) ?? [];
  const fetchFile = useMutation({ mutationFn: download });
  const total = a.files?.totalCount ?? 0;

  return (
    <section aria-labelledby="files-heading" className="overview__section">
      <h3 id="files-heading">Files</h3>
      {files.length === 0 ? (
        <p className="muted">No files.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Files</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">
                  <span className="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.map((file) => (
                <tr key={file.id}>
                  <td className="mono">{file.name}</td>
                  <td className="nowrap">{formatBytes(file.sizeBytes)}</td>
                  <td className="table__actions">
                    {file.directUrl ? (
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={`Download ${file.name}`}
                        disabled={fetchFile.isPending && fetchFile.variables.name === file.name}
                        onClick={() => file.directUrl && fetchFile.mutate({ name: file.name, directUrl: file.directUrl })}
                      >
                        Download
                      </button>
                    ) : (
                      <span className="muted">not uploaded</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total > files.length && <p className="muted">Showing the first {files.length} of {total} files.</p>}
      {fetchFile.error && (
        <p className="form-error" role="alert">
          {fetchFile.error.message}
        </p>
      )}
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
