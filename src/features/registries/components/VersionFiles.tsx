import { useMutation } from '@tanstack/react-query';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { HttpError } from '@/lib/http';
import { WithQueryClient } from '@/lib/query-client';
import { formatBytes } from '../format';

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

/** Fetches a file through its signed URL and hands it to the browser as a download. */
async function download(file: { name: string; url: string }): Promise<void> {
  const response = await fetch(file.url, { credentials: 'same-origin' });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { errors?: { message: string }[] };
    throw new HttpError(body.errors?.[0]?.message ?? `The server answered ${response.status}.`, response.status);
  }
  const href = URL.createObjectURL(await response.blob());
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = file.name.split('/').at(-1) ?? file.name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser has started the download by now; the object URL is not needed after it.
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

function FileRow({ file }: { file: { id: string; name: string; sizeBytes: number; directUrl: string | null } }) {
  const fetchFile = useMutation({ mutationFn: download });
  const url = file.directUrl;
  return (
    <tr>
      <th scope="row" className="mono">
        {file.name}
      </th>
      <td className="nowrap">{formatBytes(file.sizeBytes)}</td>
      <td className="cell-actions">
        {fetchFile.error && (
          <span className="form-error" role="alert">
            {fetchFile.error.message}
          </span>
        )}
        {url && (
          <button
            type="button"
            className="button button--small"
            aria-label={`Download ${file.name}`}
            disabled={fetchFile.isPending}
            onClick={() => fetchFile.mutate({ name: file.name, url })}
          >
            {fetchFile.isPending ? 'Downloading…' : 'Download'}
          </button>
        )}
      </td>
    </tr>
  );
}

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
          As a restricted viewer of this registry you see the files’ names and sizes, but cannot download them. A registry admin can give you
          the viewer role.
        </p>
      )}
      {files.length === 0 ? (
        <p className="muted">This version has no files.</p>
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
                <FileRow key={file.id} file={file} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {m.files && m.files.totalCount > files.length && (
        <p className="muted">
          Showing the first {files.length} of {m.files.totalCount} files.
        </p>
      )}
    </WithQueryClient>
  );
}
