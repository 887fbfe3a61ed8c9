import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { errorMessage } from '@/lib/errors';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';

export const CollectionTags_Collection = graphql(`
  fragment CollectionTags_Collection on ArtifactCollection {
    id
    name
    tags {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

// Each answers with the collection as this component shows it, so the cache updates the list.
const CollectionTags_Add = graphql(
  `
    mutation CollectionTags_Add($input: CreateArtifactCollectionTagAssignmentsInput!) {
      createArtifactCollectionTagAssignments(input: $input) {
        artifactCollection {
          id
          ...CollectionTags_Collection
        }
      }
    }
  `,
  [CollectionTags_Collection],
);

const CollectionTags_Remove = graphql(
  `
    mutation CollectionTags_Remove($input: DeleteArtifactCollectionTagAssignmentsInput!) {
      deleteArtifactCollectionTagAssignments(input: $input) {
        artifactCollection {
          id
          ...CollectionTags_Collection
        }
      }
    }
  `,
  [CollectionTags_Collection],
);

interface Props {
  collection: FragmentOf<typeof CollectionTags_Collection>;
  /** The organization entity and registry project the collection lives in. */
  entityName: string;
  projectName: string;
  canEdit: boolean;
}

/** The collection's tags; members add and remove them. */
export function CollectionTags({ collection, entityName, projectName, canEdit }: Props) {
  const c = readFragment(CollectionTags_Collection, collection);
  const [text, setText] = useState('');
  const [added, add] = useMutation(CollectionTags_Add);
  const [removed, remove] = useMutation(CollectionTags_Remove);
  const id = useId();
  const target = { entityName, projectName, artifactCollectionName: c.name };
  const tags = c.tags.edges.map((e) => e.node);
  const error = added.error ?? removed.error;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const names = [
      ...new Set(
        text
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (names.length === 0) return;
    const result = await add({ input: { ...target, tags: names.map((tagName) => ({ tagName })) } });
    if (!result.error) setText('');
  }

  return (
    <section className="collection-tags" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        Tags
      </h2>
      {tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <ul className="chips" aria-label="Collection tags">
          {tags.map((tag) => (
            <li key={tag.id} className="chip chip--tag">
              {tag.name}
              {canEdit && (
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={`Remove tag ${tag.name}`}
                  disabled={removed.fetching}
                  onClick={() => void remove({ input: { ...target, tags: [{ tagName: tag.name }] } })}
                >
                  <span aria-hidden="true">×</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form className="tag-form" onSubmit={submit}>
          <label className="visually-hidden" htmlFor={`${id}-input`}>
            New tags
          </label>
          <input
            id={`${id}-input`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="e.g. vision, resnet"
            aria-invalid={added.error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            autoComplete="off"
          />
          <button type="submit" className="button button--small" disabled={added.fetching || !text.trim()}>
            Add tag
          </button>
        </form>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </section>
  );
}
