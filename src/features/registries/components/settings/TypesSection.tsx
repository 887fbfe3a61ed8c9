import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Gated } from '@/components/Gated';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { needsRole } from '@/lib/roles';
import { errorMessage } from '@/lib/errors';
import { FieldError } from './FieldError';

export const TypesSection_Project = graphql(`
  fragment TypesSection_Project on Project {
    id
    name
    allowAllArtifactTypesInRegistry
    artifactTypes {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const TypesSection_Add = graphql(
  `
    mutation TypesSection_Add($name: String!, $type: String!) {
      upsertModel(input: { name: $name, artifactTypes: [{ name: $type }], updateOnly: true }) {
        project {
          id
          ...TypesSection_Project
        }
      }
    }
  `,
  [TypesSection_Project],
);

interface Props {
  registry: FragmentOf<typeof TypesSection_Project>;
  canEdit: boolean;
}

/** The artifact types the registry accepts. Add-only: a saved type is never removed. */
export function TypesSection({ registry, canEdit }: Props) {
  const r = readFragment(TypesSection_Project, registry);
  const id = useId();
  const [type, setType] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [result, add] = useMutation(TypesSection_Add);
  const types = r.artifactTypes.edges.map((e) => e.node.name);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = type.trim();
    if (!name) return setProblem('Type the name of an artifact type, e.g. "model".');
    if (types.includes(name)) return setProblem(`"${name}" is accepted already.`);
    const res = await add({ name: r.name, type: name });
    setProblem(errorMessage(res.error));
    // Only what was added is cleared: the person may have typed on meanwhile.
    if (!res.error) setType((current) => (current === type ? '' : current));
  }

  return (
    <section className="panel settings__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Accepted types</h2>
      {r.allowAllArtifactTypesInRegistry ? (
        <p>
          <span className="chip">All types</span> This registry accepts versions of every artifact type.
        </p>
      ) : (
        <>
          <ul className="chips settings__list" aria-label="Accepted types">
            {types.map((name) => (
              <li key={name} className="chip">
                {name}
              </li>
            ))}
          </ul>
          <p className="field__help">Types cannot be removed once accepted: collections and versions of a type stay valid.</p>
          <form className="inline-form settings__form" onSubmit={submit} noValidate>
            <div className="field">
              <label className="field__label" htmlFor={id}>
                New type
              </label>
              <input
                id={id}
                value={type}
                readOnly={!canEdit}
                placeholder="e.g. onnx-model"
                autoComplete="off"
                aria-invalid={Boolean(problem)}
                aria-describedby={`${id}-error`}
                onChange={(e) => {
                  setType(e.target.value);
                  setProblem(null);
                }}
              />
            </div>
            <Gated allowed={canEdit} reason={needsRole('admin')}>
              {(props) => (
                <button type="submit" className="button" {...props} disabled={props.disabled || result.fetching}>
                  Add type
                </button>
              )}
            </Gated>
            <FieldError id={`${id}-error`} message={problem} />
          </form>
        </>
      )}
    </section>
  );
}
