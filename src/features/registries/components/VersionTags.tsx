import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { tagProblem } from '@shared/names';
import { errorMessage } from '@/lib/errors';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';

export const VersionTags_Artifact = graphql(`
  fragment VersionTags_Artifact on Artifact {
    id
    tags {
      id
      name
    }
  }
`);

// Answers with the version's tags as this component shows them, so the cache updates every place that shows them.
const VersionTags_Update = graphql(
  `
    mutation VersionTags_Update($input: UpdateArtifactInput!) {
      updateArtifact(input: $input) {
        artifact {
          id
          ...VersionTags_Artifact
        }
      }
    }
  `,
  [VersionTags_Artifact],
);

interface Props {
  artifact: FragmentOf<typeof VersionTags_Artifact>;
  /** Why the viewer may not add or remove tags; null when they may. */
  readOnlyReason: string | null;
}

/**
 * A linked version's tags. They belong to the version wherever it is linked; registry members add and
 * remove them here, with the naming rule the server applies checked as they type.
 */
export function VersionTags({ artifact, readOnlyReason }: Props) {
  const a = readFragment(VersionTags_Artifact, artifact);
  const [text, setText] = useState('');
  const [added, add] = useMutation(VersionTags_Update);
  const [removed, remove] = useMutation(VersionTags_Update);
  const id = useId();
  const canEdit = readOnlyReason === null;
  const tag = text.trim();
  const problem = !tag
    ? undefined
    : (tagProblem(tag) ?? (a.tags.some((t) => t.name === tag) ? `"${tag}" is already a tag of this version.` : undefined));
  const error = added.error ?? removed.error;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!tag || problem) return;
    const result = await add({ input: { artifactID: a.id, tagsToAdd: [{ tagName: tag }] } });
    if (!result.error) setText('');
  }

  return (
    <div className="version-tags">
      {a.tags.length ? (
        <ul className="chips" aria-label="Tags">
          {a.tags.map((t) => (
            <li key={t.id} className="chip chip--tag">
              {t.name}
              {canEdit && (
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={`Remove tag ${t.name}`}
                  disabled={removed.fetching}
                  onClick={() => void remove({ input: { artifactID: a.id, tagsToDelete: [{ tagName: t.name }] } })}
                >
                  <span aria-hidden="true">×</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <span className="muted">None</span>
      )}
      {canEdit ? (
        <form className="tag-form" onSubmit={submit}>
          <label className="visually-hidden" htmlFor={`${id}-input`}>
            Add tag
          </label>
          <input
            id={`${id}-input`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="New tag, e.g. approved"
            maxLength={200}
            aria-invalid={problem || added.error ? true : undefined}
            aria-describedby={`${id}-check`}
            autoComplete="off"
          />
          <button type="submit" className="button button--small" disabled={added.fetching || !tag || Boolean(problem)}>
            Add
          </button>
        </form>
      ) : (
        <p className="field__help" role="note">
          {readOnlyReason}
        </p>
      )}
      <div id={`${id}-check`} aria-live="polite">
        {problem && <p className="field__error">{problem}</p>}
      </div>
      {error && (
        <p className="field__error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </div>
  );
}
