import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Gated } from '@/components/Gated';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { needsRole } from '@/lib/roles';
import { errorMessage } from '@/lib/errors';
import { FieldError } from './FieldError';

export const DescriptionSection_Project = graphql(`
  fragment DescriptionSection_Project on Project {
    id
    name
    description
  }
`);

const DescriptionSection_Save = graphql(
  `
    mutation DescriptionSection_Save($name: String!, $description: String!) {
      upsertModel(input: { name: $name, description: $description, updateOnly: true }) {
        project {
          id
          ...DescriptionSection_Project
        }
      }
    }
  `,
  [DescriptionSection_Project],
);

interface Props {
  registry: FragmentOf<typeof DescriptionSection_Project>;
  canEdit: boolean;
}

/** The registry's description: admins edit and save it; others read it. */
export function DescriptionSection({ registry, canEdit }: Props) {
  const r = readFragment(DescriptionSection_Project, registry);
  const id = useId();
  const [draft, setDraft] = useState(r.description ?? '');
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, save] = useMutation(DescriptionSection_Save);
  const changed = draft !== (r.description ?? '');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const res = await save({ name: r.name, description: draft });
    setSaved(!res.error);
    setProblem(errorMessage(res.error));
  }

  return (
    <section className="panel settings__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Description</h2>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label className="field__label" htmlFor={id}>
            Description
          </label>
          <textarea
            id={id}
            value={draft}
            readOnly={!canEdit}
            rows={3}
            maxLength={20000}
            placeholder={canEdit ? 'What this registry holds and who uses it' : 'No description'}
            aria-describedby={`${id}-error`}
            aria-invalid={Boolean(problem)}
            onChange={(e) => {
              setDraft(e.target.value);
              setSaved(false);
              setProblem(null);
            }}
          />
          <FieldError id={`${id}-error`} message={problem} />
        </div>
        <div className="row">
          <Gated allowed={canEdit} reason={needsRole('admin')}>
            {(props) => (
              <button type="submit" className="button button--primary" {...props} disabled={props.disabled || !changed || result.fetching}>
                Save description
              </button>
            )}
          </Gated>
          {saved && !changed && (
            <span className="muted" role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
