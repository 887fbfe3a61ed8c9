import { useMutation } from '@tanstack/react-query';
import { formatBytes } from '@/lib/format';
import { HttpError } from '@/lib/http';

export interface FileRowData {
  id: string;
  name: string;
  sizeBytes: number;
  /** Signed download URL; null when the viewer may not download (or the file never arrived). */
  directUrl: string | null;
}

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

function FileRow({ file }: { file: FileRowData }) {
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

/**
 * A version's files with their sizes, each with a download where the viewer may have it (through
 * TanStack Query: it is plain HTTP, not GraphQL). Render inside `WithQueryClient`.
 */
export function FilesTable({ files, total }: { files: FileRowData[]; total: number }) {
  if (files.length === 0) return <p className="muted">This version has no files.</p>;
  return (
    <>
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
      {total > files.length && (
        <p className="muted">
          Showing the first {files.length} of {total} files.
        </p>
      )}
    </>
  );
}
