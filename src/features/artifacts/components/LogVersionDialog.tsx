import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { Link } from '@/lib/router';
import { useClient } from 'urql';
import { Dialog } from '@/components/Dialog';
import { WithQueryClient } from '@/lib/query-client';
import { formatBytes } from '@/lib/format';
import { artifactsPath } from '../format';
import { UploadStopped, versionUpload, type LogProgress } from '../log-version';

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  entity: string;
  project: string;
  /** The selected collection and type, if any. */
  defaults: { name: string; type: string };
}

/** Reads the metadata field: empty, or a JSON object; anything else says what to fix. */
function parseMetadata(text: string): { value: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { value: value as Record<string, unknown> };
    return { error: 'Metadata must be a JSON object, e.g. {"accuracy": 0.93}.' };
  } catch (error) {
    return {
      error: `Metadata is not valid JSON (${error instanceof Error ? error.message : 'parse error'}). Write an object, e.g. {"accuracy": 0.93}.`,
    };
  }
}

function LogVersionForm({ onOpenChange, entity, project, defaults }: Props) {
  const client = useClient();
  const ids = {
    files: useId(),
    type: useId(),
    name: useId(),
    description: useId(),
    metadata: useId(),
    metadataError: useId(),
    filesError: useId(),
  };
  const [files, setFiles] = useState<File[]>([]);
  const [type, setType] = useState(defaults.type || 'model');
  const [name, setName] = useState(defaults.name);
  const [description, setDescription] = useState('');
  const [metadataText, setMetadataText] = useState('');
  const [touched, setTouched] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<LogProgress | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const metadata = parseMetadata(metadataText);
  const metadataError = 'error' in metadata ? metadata.error : null;
  const filesError = touched && files.length === 0 ? 'Add at least one file.' : null;
  const nameError = touched && !name.trim() ? 'Give the artifact a name.' : null;
  const typeError = touched && !type.trim() ? 'Give the artifact a type, e.g. model or dataset.' : null;

  // The variables are the upload itself: a Resume runs the last one again, from where it stopped.
  const upload = useMutation({
    mutationFn: (session: ReturnType<typeof versionUpload>) => session.run(setProgress),
  });
  const stopped = upload.error instanceof UploadStopped && upload.error.resumable ? upload.variables : undefined;

  function addFiles(list: FileList | null) {
    if (!list) return;
    // A later file with the same name replaces the earlier one: paths are unique in a version.
    setFiles((current) => [...current.filter((f) => ![...list].some((n) => n.name === f.name)), ...list]);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (files.length === 0 || !name.trim() || !type.trim() || 'error' in metadata) return;
    upload.mutate(
      versionUpload(client, {
        entity,
        project,
        type: type.trim(),
        name: name.trim(),
        description: description.trim(),
        metadata: metadata.value,
        files,
      }),
    );
  }

  if (upload.data) {
    const v = upload.data;
    const vName = `v${v.versionIndex ?? ''}`;
    return (
      <div className="stack" role="status">
        <p className="link-outcome">
          Logged {v.artifactSequence.name}:{vName}.
        </p>
        <p>
          <Link
            to={artifactsPath(entity, project, v.artifactType.name, v.artifactSequence.name, vName)}
            onClick={() => onOpenChange(false)}
          >
            View {v.artifactSequence.name}:{vName}
          </Link>
        </p>
        <div className="actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Close
          </button>
        </div>
      </div>
    );
  }

  const busy = upload.isPending;
  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="field">
        <span className="field__label" id={`${ids.files}-label`}>
          Files
        </span>
        <div
          className={`dropzone ${dragging ? 'dropzone--active' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p>Drop files here, or</p>
          <button type="button" className="button button--small" onClick={() => input.current?.click()} disabled={busy}>
            Choose files
          </button>
          <input
            ref={input}
            id={ids.files}
            type="file"
            multiple
            className="visually-hidden"
            aria-labelledby={`${ids.files}-label`}
            aria-describedby={ids.filesError}
            tabIndex={-1}
            onChange={(e) => addFiles(e.target.files)}
          />
        </div>
        {files.length > 0 && (
          <ul className="file-picks" aria-label="Files to upload">
            {files.map((file) => (
              <li key={file.name}>
                <span className="mono">{file.name}</span> <span className="muted">{formatBytes(file.size)}</span>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${file.name}`}
                  disabled={busy}
                  onClick={() => setFiles((current) => current.filter((f) => f !== file))}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <p id={ids.filesError} className="field__error">
          {filesError}
        </p>
      </div>
      <div className="field-row">
        <div className="field">
          <label className="field__label" htmlFor={ids.type}>
            Type
          </label>
          <input
            id={ids.type}
            value={type}
            onChange={(e) => setType(e.target.value)}
            aria-invalid={typeError !== null}
            aria-describedby={`${ids.type}-e`}
            autoComplete="off"
          />
          <p id={`${ids.type}-e`} className="field__error">
            {typeError}
          </p>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.name}>
            Name
          </label>
          <input
            id={ids.name}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameError !== null}
            aria-describedby={`${ids.name}-e`}
            autoComplete="off"
          />
          <p id={`${ids.name}-e`} className="field__error">
            {nameError}
          </p>
        </div>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={ids.description}>
          Description (optional)
        </label>
        <textarea id={ids.description} value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={ids.metadata}>
          Metadata (JSON, optional)
        </label>
        <textarea
          id={ids.metadata}
          className="mono"
          value={metadataText}
          onChange={(e) => setMetadataText(e.target.value)}
          rows={3}
          placeholder='{"accuracy": 0.93}'
          aria-invalid={metadataError !== null}
          aria-describedby={ids.metadataError}
        />
        <p id={ids.metadataError} className="field__error">
          {metadataError}
        </p>
      </div>
      {progress && busy && (
        <div className="field">
          <label className="field__label" htmlFor={`${ids.files}-progress`}>
            {progress.phase === 'hashing'
              ? 'Preparing files…'
              : progress.phase === 'uploading'
                ? `Uploading… ${percent}%`
                : 'Committing the version…'}
          </label>
          <progress id={`${ids.files}-progress`} max={progress.total || 1} value={progress.loaded} />
        </div>
      )}
      {upload.error && (
        <p className="form-error" role="alert">
          {upload.error.message}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={() => onOpenChange(false)} disabled={busy}>
          Cancel
        </button>
        {stopped && !busy ? (
          <button type="button" className="button button--primary" onClick={() => upload.mutate(stopped)}>
            Resume upload
          </button>
        ) : (
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Logging…' : 'Log version'}
          </button>
        )}
      </div>
    </form>
  );
}

/** "Log version": upload files as the next version of a collection, with the SDK's write path. */
export default function LogVersionDialog(props: Props) {
  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title="Log version"
      description={`Upload files as a new version in ${props.entity}/${props.project}.`}
    >
      <WithQueryClient>
        <LogVersionForm {...props} />
      </WithQueryClient>
    </Dialog>
  );
}
