import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Gated } from '@/components/Gated';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { needsRole } from '@/lib/roles';
import { errorMessage } from '@/lib/errors';
import { FieldError } from './FieldError';

export const ProtectedAliasesSection_Project = graphql(`
  fragment ProtectedAliasesSection_Project on Project {
    id
    protectedAliases
  }
`);

const ProtectedAliasesSection_Add = graphql(
  `
    mutation ProtectedAliasesSection_Add($projectId: ID!, $alias: String!) {
      addRegistryProtectedAliases(input: { projectId: $projectId, aliases: [$alias] }) {
        project {
          id
          ...ProtectedAliasesSection_Project
        }
      }
    }
  `,
  [ProtectedAliasesSection_Project],
);

const ProtectedAliasesSection_Remove = graphql(
  `
    mutation ProtectedAliasesSection_Remove($projectId: ID!, $alias: String!) {
      removeRegistryProtectedAliases(input: { projectId: $projectId, aliases: [$alias] }) {
        project {
          id
          ...ProtectedAliasesSection_Project
        }
      }
    }
  `,
  [ProtectedAliasesSection_Project],
);

interface Props {
  registry: FragmentOf<typeof ProtectedAliasesSection_Project>;
  canEdit: boolean;
}

/** Aliases only registry admins may put on or take off versions, e.g. `production`. */
export function ProtectedAliasesSection({ registry, canEdit }: Props) {
  const r = readFragment(ProtectedAliasesSection_Project, registry);
  const id = useId();
  const [alias, setAlias] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [added, add] = useMutation(ProtectedAliasesSection_Add);
  const [removed, remove] = useMutation(ProtectedAliasesSection_Remove);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!alias) return setProblem('Type an alias to protect, e.g. "production".');
    if (r.protectedAliases.includes(alias)) return setProblem(`"${alias}" is protected already.`);
    const res = await add({ projectId: r.id, alias });
    setProblem(errorMessage(res.error));
    // Only what was added is cleared: the person may have typed on meanwhile.
    if (!res.error) setAlias((current) => (current === alias ? '' : current));
  }

  async function unprotect(name: string) {
    const res = await remove({ projectId: r.id, alias: name });
    setProblem(errorMessage(res.error));
  }

  return (
    <section className="panel settings__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Protected aliases</h2>
      <p className="field__help">Only registry admins may add these aliases to a version, move them or remove them.</p>
      {r.protectedAliases.length === 0 ? (
        <p className="muted">No protected aliases.</p>
      ) : (
        <ul className="chips settings__list" aria-label="Protected aliases">
          {r.protectedAliases.map((name) => (
            <li key={name} className="chip settings__alias">
              <code>{name}</code>
              <Gated allowed={canEdit} reason={needsRole('admin')}>
                {(props) => (
                  <button
                    type="button"
                    className="settings__chip-remove"
                    aria-label={`Stop protecting ${name}`}
                    {...props}
                    disabled={props.disabled || removed.fetching}
                    onClick={() => void unprotect(name)}
                  >
                    <span aria-hidden="true">×</span>
                  </button>
                )}
              </Gated>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form settings__form" onSubmit={submit} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={id}>
            Alias to protect
          </label>
          <input
            id={id}
            value={alias}
            readOnly={!canEdit}
            placeholder="e.g. production"
            autoComplete="off"
            aria-invalid={Boolean(problem)}
            aria-describedby={`${id}-error`}
            onChange={(e) => {
              setAlias(e.target.value);
              setProblem(null);
            }}
          />
        </div>
        <Gated allowed={canEdit} reason={needsRole('admin')}>
          {(props) => (
            <button type="submit" className="button" {...props} disabled={props.disabled || added.fetching}>
              Protect alias
            </button>
          )}
        </Gated>
        <FieldError id={`${id}-error`} message={problem} />
      </form>
    </section>
  );
}
