import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from '@/lib/router';
import { useMutation } from 'urql';
import { Gated } from '@/components/Gated';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { nameProblem } from '@/lib/names';
import { needsRole } from '@/lib/roles';
import { errorMessage } from '@/lib/errors';
import { REGISTRY_PREFIX, registryShortName } from '@/lib/format';
import { FieldError } from './FieldError';

export const NameSection_Project = graphql(`
  fragment NameSection_Project on Project {
    id
    name
    displayName
    entityName
    isCore
  }
`);

const NameSection_Rename = graphql(
  `
    mutation NameSection_Rename($input: RenameProjectInput!) {
      renameProject(input: $input) {
        project {
          id
          ...NameSection_Project
        }
      }
    }
  `,
  [NameSection_Project],
);

/** What `registry-<name>` leaves for the name (the server's limit of a project name). */
const MAX_NAME = 113;
export const CORE_RENAME_REASON = 'Core registries (Models, Datasets) keep their names.';

interface Props {
  registry: FragmentOf<typeof NameSection_Project>;
  canEdit: boolean;
}

/** The registry's name: admins rename it (its address changes; links to the old one stop working). */
export function NameSection({ registry, canEdit }: Props) {
  const r = readFragment(NameSection_Project, registry);
  const id = useId();
  const navigate = useNavigate();
  const current = registryShortName(r.name);
  const [draft, setDraft] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, rename] = useMutation(NameSection_Rename);
  const allowed = canEdit && !r.isCore;
  const changed = draft.trim() !== current;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = draft.trim();
    const found = nameProblem('Registry', name, MAX_NAME);
    if (found) return setProblem(found);
    const res = await rename({ input: { entityName: r.entityName, oldProjectName: r.name, newProjectName: `${REGISTRY_PREFIX}${name}` } });
    if (res.error) return setProblem(errorMessage(res.error));
    navigate(`/registry/${encodeURIComponent(name)}/settings`, { replace: true });
  }

  return (
    <section className="panel settings__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Name</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={id}>
            Registry name
          </label>
          <input
            id={id}
            value={draft}
            readOnly={!allowed}
            maxLength={MAX_NAME + 20}
            autoComplete="off"
            aria-describedby={`${id}-help ${id}-error`}
            aria-invalid={Boolean(problem)}
            onChange={(e) => {
              setDraft(e.target.value);
              setProblem(null);
            }}
          />
          <p id={`${id}-help`} className="field__help">
            The registry&apos;s address and the name scripts use (<span className="mono">{r.entityName}/wandb-registry-&lt;name&gt;</span>)
            change with it.
          </p>
          <FieldError id={`${id}-error`} message={problem} />
        </div>
        <div className="row">
          <Gated allowed={allowed} reason={r.isCore ? CORE_RENAME_REASON : needsRole('admin')}>
            {(props) => (
              <button type="submit" className="button button--primary" {...props} disabled={props.disabled || !changed || result.fetching}>
                Rename registry
              </button>
            )}
          </Gated>
        </div>
      </form>
    </section>
  );
}
