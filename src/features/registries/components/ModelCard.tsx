import { lazy, Suspense, useId, useState } from 'react';
import { useMutation } from 'urql';
import { Gated } from '@/components/Gated';
import { Loading } from '@/components/States';
import { errorMessage } from '@/lib/errors';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { needsRole } from '@/lib/roles';

const Markdown = lazy(() => import('./Markdown'));

export const ModelCard_Collection = graphql(`
  fragment ModelCard_Collection on ArtifactCollection {
    id
    description
  }
`);

const ModelCard_Save = graphql(`
  mutation ModelCard_Save($id: ID!, $description: String!) {
    updateArtifactPortfolio(input: { artifactPortfolioID: $id, description: $description }) {
      artifactCollection {
        id
        description
      }
    }
  }
`);

interface Props {
  collection: FragmentOf<typeof ModelCard_Collection>;
  canEdit: boolean;
}

/** The collection's Markdown description, rendered; members edit it in place. */
export function ModelCard({ collection, canEdit }: Props) {
  const c = readFragment(ModelCard_Collection, collection);
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, save] = useMutation(ModelCard_Save);
  const id = useId();
  const description = c.description ?? '';

  async function submit() {
    if (draft === null) return;
    const result = await save({ id: c.id, description: draft });
    if (!result.error) setDraft(null);
  }

  return (
    <section className="panel model-card" aria-labelledby={`${id}-title`}>
      <header className="model-card__header">
        <h2 id={`${id}-title`} className="section-title">
          Model card
        </h2>
        {draft === null && (
          <Gated allowed={canEdit} reason={needsRole('member')}>
            {(gate) => (
              <button type="button" className="button button--small" onClick={() => setDraft(description)} {...gate}>
                Edit
              </button>
            )}
          </Gated>
        )}
      </header>
      {draft !== null ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label className="field__label" htmlFor={`${id}-text`}>
              Description (Markdown)
            </label>
            <textarea
              id={`${id}-text`}
              className="model-card__editor"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              rows={14}
              aria-invalid={saving.error ? true : undefined}
              aria-describedby={saving.error ? `${id}-error` : undefined}
            />
            {saving.error && (
              <p id={`${id}-error`} className="field__error" role="alert">
                {errorMessage(saving.error)}
              </p>
            )}
          </div>
          <div className="actions">
            <button type="button" className="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={saving.fetching}>
              Save
            </button>
          </div>
        </form>
      ) : description.trim() ? (
        <Suspense fallback={<Loading label="Loading the model card…" />}>
          <Markdown source={description} />
        </Suspense>
      ) : (
        <p className="muted">
          No model card yet.{canEdit ? ' Describe what this collection holds, how it was trained and how to use it.' : ''}
        </p>
      )}
    </section>
  );
}
