import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from '@/lib/router';
import { useMutation } from 'urql';
import { Dialog } from '@/components/Dialog';
import { graphql } from '@/lib/graphql';
import { REGISTRY_PREFIX } from '@/lib/format';
import { errorCode, errorMessage } from '@/lib/errors';
import { nameProblem } from '@/lib/names';
import { registryPath } from '../names';
import { RegistryCard_Project } from './RegistryCard';

const CreateRegistryDialog_Create = graphql(
  `
    mutation CreateRegistryDialog_Create($input: UpsertModelInput!) {
      upsertModel(input: $input) {
        inserted
        project {
          id
          entity {
            id
          }
          ...RegistryCard_Project
        }
      }
    }
  `,
  [RegistryCard_Project],
);

// `wandb-registry-<name>` may have at most 128 characters.
const MAX_NAME = 128 - REGISTRY_PREFIX.length;

function splitTypes(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/** "Create registry": name, description, visibility, accepted types; opens the new registry. */
export default function CreateRegistryDialog({ open, onOpenChange }: Props) {
  const id = useId();
  const navigate = useNavigate();
  const [{ fetching }, create] = useMutation(CreateRegistryDialog_Create);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [access, setAccess] = useState<'PRIVATE' | 'RESTRICTED'>('PRIVATE');
  const [allTypes, setAllTypes] = useState(true);
  const [typesText, setTypesText] = useState('');
  const [errors, setErrors] = useState<{ name?: string; types?: string; form?: string }>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    const types = splitTypes(typesText);
    const typeProblem = allTypes
      ? null
      : types.length === 0
        ? 'List at least one type, or accept all types.'
        : types.map((t) => nameProblem('type', t)).find(Boolean);
    const found = { name: nameProblem('Registry', name.trim(), MAX_NAME) ?? undefined, types: typeProblem ?? undefined };
    setErrors(found);
    if (found.name || found.types) return;
    const result = await create({
      input: {
        name: `${REGISTRY_PREFIX}${name.trim()}`,
        description,
        access,
        allowAllArtifactTypesInRegistry: allTypes,
        artifactTypes: allTypes ? [] : types.map((type) => ({ name: type })),
        createOnly: true,
      },
    });
    if (result.error) {
      const message = errorMessage(result.error);
      // A taken or invalid name belongs next to the name; anything else under the form.
      const aboutName = errorCode(result.error) === 'CONFLICT' || /registry name|name "/i.test(message);
      setErrors(aboutName ? { name: message } : { form: message });
      return;
    }
    const project = result.data?.upsertModel?.project;
    if (project) {
      onOpenChange(false);
      navigate(registryPath(`${REGISTRY_PREFIX}${name.trim()}`));
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Create registry"
      description="A registry holds the versions your organization publishes."
    >
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-name`}>
            Name
          </label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={Boolean(errors.name)}
            aria-describedby={`${id}-name-help${errors.name ? ` ${id}-name-error` : ''}`}
            autoComplete="off"
            autoFocus
          />
          <p id={`${id}-name-help`} className="field__help">
            Stored as{' '}
            <code>
              {REGISTRY_PREFIX}
              {name.trim() || 'name'}
            </code>
            . Letters, digits, “-”, “_”, “.”.
          </p>
          {errors.name && (
            <p id={`${id}-name-error`} className="field__error" role="alert">
              {errors.name}
            </p>
          )}
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-description`}>
            Description (optional)
          </label>
          <textarea id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} rows={3} />
        </div>
        <fieldset className="choices">
          <legend className="field__label">Visibility</legend>
          <label className="choice">
            <input type="radio" name={`${id}-access`} checked={access === 'PRIVATE'} onChange={() => setAccess('PRIVATE')} />
            <span>
              Organization <span className="choice__help">Everyone in the organization can see it.</span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name={`${id}-access`} checked={access === 'RESTRICTED'} onChange={() => setAccess('RESTRICTED')} />
            <span>
              Restricted <span className="choice__help">Only invited members can see it; you become its admin.</span>
            </span>
          </label>
        </fieldset>
        <fieldset className="choices">
          <legend className="field__label">Accepted types</legend>
          <label className="choice">
            <input type="radio" name={`${id}-types`} checked={allTypes} onChange={() => setAllTypes(true)} />
            <span>All types</span>
          </label>
          <label className="choice">
            <input type="radio" name={`${id}-types`} checked={!allTypes} onChange={() => setAllTypes(false)} />
            <span>Only these types</span>
          </label>
          {!allTypes && (
            <div className="field">
              <label className="field__label" htmlFor={`${id}-type-list`}>
                Types
              </label>
              <input
                id={`${id}-type-list`}
                value={typesText}
                onChange={(e) => setTypesText(e.target.value)}
                placeholder="e.g. model, dataset"
                aria-invalid={Boolean(errors.types)}
                aria-describedby={errors.types ? `${id}-types-error` : undefined}
                autoComplete="off"
              />
              {errors.types && (
                <p id={`${id}-types-error`} className="field__error" role="alert">
                  {errors.types}
                </p>
              )}
            </div>
          )}
        </fieldset>
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={fetching}>
            {fetching ? 'Creating…' : 'Create registry'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
